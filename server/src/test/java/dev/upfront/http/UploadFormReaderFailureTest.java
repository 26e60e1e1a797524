package dev.upfront.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.error.ErrorCode;
import dev.upfront.inspect.ContentSniffer;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.fs.FilesystemBlobStore;
import dev.upfront.storage.StagedBlob;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.RandomContent;
import dev.upfront.upload.FileIntakes;
import dev.upfront.upload.PendingUploads;
import dev.upfront.upload.SizeLimits;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jetty's multipart parser swallows every Throwable a listener callback throws. A JVM Error while a chunk is staged
 * (an OutOfMemoryError for a direct buffer under memory pressure, a StackOverflowError) must still fail the upload
 * and discard what was staged: it must never be skipped, leaving a file with a chunk missing but counted in its
 * size and checksum.
 */
class UploadFormReaderFailureTest {

    @Test
    void anErrorWhileStagingAChunkFailsTheUploadAndLeavesNothing(@TempDir Path dir) throws Exception {
        FilesystemBlobStore real = new FilesystemBlobStore(dir);
        UploadFormReader reader = new UploadFormReader(new FileIntakes(new FailingOnce(real), new ContentSniffer(),
                new SizeLimits(10 << 20, 10 << 20), new PendingUploads(10 << 20)));
        byte[] content;
        try (InputStream in = new RandomContent(42, 1_000_000)) {
            content = in.readAllBytes();
        }
        Multipart body = Multipart.of(Map.of("fileName", "a.bin")).file(content);

        assertThatThrownBy(() -> reader.read(body.contentType(), new ByteArrayInputStream(body.bytes()), fields -> true).close())
                .isInstanceOf(OutOfMemoryError.class);
        try (Stream<Path> staged = Files.list(dir.resolve(".staging"))) {
            assertThat(staged).as("staging after the failed upload").isEmpty();
        }
    }

    /**
     * A client that stops sending meets the connection's idle timeout: that is a 408 (too slow), as the rate check
     * would have said had any byte come, not a malformed body. Any other failure of the body is one.
     */
    @Test
    void aBodyThatStallsIsTooSlowAndOneThatBreaksIsMalformed(@TempDir Path dir) {
        UploadFormReader reader = new UploadFormReader(new FileIntakes(new FilesystemBlobStore(dir), new ContentSniffer(),
                new SizeLimits(1 << 20, 1 << 20), new PendingUploads(1 << 20)));
        Multipart body = Multipart.of(Map.of("fileName", "a.bin")).file(new byte[1000]);
        byte[] bytes = body.bytes();
        Map<Throwable, ErrorCode> outcomes = Map.of(
                new TimeoutException("Idle timeout expired: 30000/30000 ms"), ErrorCode.UPLOAD_TOO_SLOW,
                new EOFException("reset by peer"), ErrorCode.MALFORMED_MULTIPART);
        outcomes.forEach((failure, expected) -> {
            AsyncContent source = new AsyncContent();
            source.write(false, ByteBuffer.wrap(bytes, 0, bytes.length / 2), Callback.NOOP);
            source.fail(failure);
            assertThatThrownBy(() -> reader.read(body.contentType(), source, fields -> true).close()).as(failure.toString())
                    .isInstanceOfSatisfying(UploadFormReader.FormException.class, e -> assertThat(e.error().code()).isEqualTo(expected));
        });
    }

    /** A store whose staged blobs throw an Error on their second write (and work again afterwards). */
    private record FailingOnce(BlobStore delegate) implements BlobStore {
        @Override
        public StagedBlob stage(String key) throws IOException {
            StagedBlob blob = delegate.stage(key);
            return new StagedBlob() {
                private int writes;

                @Override
                public String key() {
                    return blob.key();
                }

                @Override
                public void write(ByteBuffer bytes) throws IOException {
                    if (++writes == 2) {
                        throw new OutOfMemoryError("Cannot reserve 65536 bytes of direct buffer memory (simulated)");
                    }
                    blob.write(bytes);
                }

                @Override
                public void finish() throws IOException {
                    blob.finish();
                }

                @Override
                public InputStream open() throws IOException {
                    return blob.open();
                }

                @Override
                public long size() {
                    return blob.size();
                }

                @Override
                public void close() {
                    blob.close();
                }
            };
        }

        @Override
        public void publish(StagedBlob staged) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Blob> find(String key) throws IOException {
            return delegate.find(key);
        }

        @Override
        public void delete(String key) throws IOException {
            delegate.delete(key);
        }

        @Override
        public void copy(String fromKey, String toKey) throws IOException {
            delegate.copy(fromKey, toKey);
        }

        @Override
        public int deleteWithPrefix(String prefix) throws IOException {
            return delegate.deleteWithPrefix(prefix);
        }

        @Override
        public boolean ready() {
            return delegate.ready();
        }
    }
}

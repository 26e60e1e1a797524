package dev.upfront.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.error.ErrorCode;
import dev.upfront.inspect.ContentSniffer;
import dev.upfront.storage.fs.FilesystemBlobStore;
import dev.upfront.testing.Checksums;
import dev.upfront.testing.Multipart;
import dev.upfront.upload.FileIntakes;
import dev.upfront.upload.PendingUploads;
import dev.upfront.upload.SizeLimits;
import dev.upfront.upload.StagedUpload;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The form reader takes a request's own chunks (Jetty's pooled buffers): it must read the same form however the body
 * is cut into chunks, including a last chunk that still carries bytes, and must release every chunk it took, whether
 * the form was read or refused. The source here answers "nothing yet" before every chunk, so each one is waited for.
 */
class UploadFormChunksTest {
    private static final int MAX_FILE = 64 * 1024;

    @TempDir
    Path dir;

    private UploadFormReader reader() throws IOException {
        return new UploadFormReader(new FileIntakes(new FilesystemBlobStore(dir), new ContentSniffer(),
                new SizeLimits(MAX_FILE, MAX_FILE), new PendingUploads(1 << 20)));
    }

    @Test
    void readsTheSameFormWhereverTheBodyIsCutAndReleasesEveryChunk() throws Exception {
        byte[] file = new byte[700];
        new Random(17).nextBytes(file);
        file[100] = '\r'; // bytes that begin a delimiter inside the file: the parser must give them back as content
        file[101] = '\n';
        file[102] = '-';
        file[103] = '-';
        Multipart form = Multipart.of(Map.of("fileName", "a.bin", "tags", "x,y")).file(file);
        byte[] body = form.bytes();
        String checksum = Checksums.crc32c(file);
        UploadFormReader reader = reader();

        for (int cut = 0; cut <= body.length; cut++) {
            for (int third : new int[] {cut, Math.min(body.length, cut + 1), Math.min(body.length, cut + 37)}) {
                Chunks chunks = new Chunks(List.of(
                        Arrays.copyOfRange(body, 0, cut),
                        Arrays.copyOfRange(body, cut, third),
                        Arrays.copyOfRange(body, third, body.length)), null);
                try (UploadForm read = reader.read(form.contentType(), chunks, fields -> true)) {
                    assertThat(read.fields()).as("fields, cut at %d and %d", cut, third)
                            .isEqualTo(Map.of("fileName", "a.bin", "tags", "x,y"));
                    StagedUpload staged = read.staged().orElseThrow();
                    assertThat(staged.size()).as("file size, cut at %d and %d", cut, third).isEqualTo(file.length);
                    assertThat(staged.checksum()).as("file checksum, cut at %d and %d", cut, third).isEqualTo(checksum);
                }
                chunks.assertAllReleased();
            }
        }
        assertNothingStaged();
    }

    @Test
    void aBodyEndingBeforeItsClosingBoundaryIsRefusedAndEveryChunkReleased() throws Exception {
        Multipart form = Multipart.of(Map.of("fileName", "a.bin")).file(new byte[] {1, 2, 3, 4});
        byte[] body = form.unterminated();
        Chunks chunks = new Chunks(List.of(Arrays.copyOfRange(body, 0, 50), Arrays.copyOfRange(body, 50, body.length)), null);

        assertThatThrownBy(() -> reader().read(form.contentType(), chunks, fields -> true))
                .isInstanceOfSatisfying(UploadFormReader.FormException.class,
                        e -> assertThat(e.error().code()).isEqualTo(ErrorCode.MALFORMED_MULTIPART));
        chunks.assertAllReleased();
        assertNothingStaged();
    }

    @Test
    void aBodyPastTheLargestUploadIsRefusedAtTheChunkThatPassesItAndTheRestIsNotRead() throws Exception {
        UploadFormReader reader = reader();
        Multipart form = Multipart.of(Map.of("fileName", "a.bin")).file(new byte[MAX_FILE / 2]);
        byte[] body = form.bytes();
        byte[] huge = new byte[(int) reader.maxBody()];
        Chunks chunks = new Chunks(List.of(Arrays.copyOfRange(body, 0, 200), huge, Arrays.copyOfRange(body, 200, body.length)), null);

        assertThatThrownBy(() -> reader.read(form.contentType(), chunks, fields -> true))
                .isInstanceOfSatisfying(UploadFormReader.FormException.class,
                        e -> assertThat(e.error().code()).isEqualTo(ErrorCode.FILE_TOO_LARGE));
        assertThat(chunks.left()).as("chunks not read after the refusal").isEqualTo(1);
        chunks.assertAllReleased();
        assertNothingStaged();
    }

    @Test
    void aFailedReadEndsTheFormAsAnEarlyEndAndDiscardsTheFile() throws Exception {
        Multipart form = Multipart.of(Map.of("fileName", "a.bin")).file(new byte[5000]);
        byte[] body = form.bytes();
        Chunks chunks = new Chunks(List.of(Arrays.copyOfRange(body, 0, 3000)), new EOFException("connection reset"));

        assertThatThrownBy(() -> reader().read(form.contentType(), chunks, fields -> true))
                .isInstanceOfSatisfying(UploadFormReader.FormException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(ErrorCode.MALFORMED_MULTIPART);
                    assertThat(e.getMessage()).contains("ended early");
                });
        chunks.assertAllReleased();
        assertNothingStaged();
    }

    private void assertNothingStaged() throws IOException {
        Path staging = dir.resolve(".staging");
        if (Files.isDirectory(staging)) {
            try (Stream<Path> staged = Files.list(staging)) {
                assertThat(staged).as("staged files once the form is closed").isEmpty();
            }
        }
    }

    /**
     * A body as the given chunks (the last one marked last, or followed by a failure), each handed out after a
     * "nothing yet" that is resolved by the demand callback, as a connection's would be once bytes arrive.
     */
    private static final class Chunks implements Content.Source {
        private final Queue<byte[]> parts;
        private final Throwable failure;
        private int handedOut;
        private int released;
        private boolean ready;

        Chunks(List<byte[]> parts, Throwable failure) {
            // An empty part is no chunk: a connection hands out none (Jetty's Chunk.from gives a shared empty one).
            this.parts = new ArrayDeque<>(parts.stream().filter(bytes -> bytes.length > 0).toList());
            this.failure = failure;
        }

        @Override
        public synchronized Content.Chunk read() {
            if (!ready) {
                return null;
            }
            ready = false;
            if (parts.isEmpty()) {
                return failure != null ? Content.Chunk.from(failure, true) : Content.Chunk.EOF;
            }
            byte[] bytes = parts.poll();
            handedOut++;
            boolean last = parts.isEmpty() && failure == null;
            return Content.Chunk.from(ByteBuffer.wrap(bytes), last, this::released);
        }

        private synchronized void released() {
            released++;
        }

        @Override
        public void demand(Runnable demandCallback) {
            synchronized (this) {
                ready = true;
            }
            demandCallback.run();
        }

        @Override
        public void fail(Throwable cause) {
            throw new AssertionError("the reader does not fail the body", cause);
        }

        synchronized int left() {
            return parts.size();
        }

        synchronized void assertAllReleased() {
            assertThat(released).as("chunks released of %d handed out", handedOut).isEqualTo(handedOut);
        }
    }
}

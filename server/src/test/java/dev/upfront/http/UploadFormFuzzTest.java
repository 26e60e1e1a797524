package dev.upfront.http;

import static dev.upfront.testing.ClientErrors.requireClientError;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.upfront.inspect.ContentSniffer;
import dev.upfront.storage.fs.FilesystemBlobStore;
import dev.upfront.upload.FileIntakes;
import dev.upfront.upload.PendingUploads;
import dev.upfront.upload.SizeLimits;
import dev.upfront.upload.StagedUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the multipart upload reader with raw request bodies (boundary {@value #BOUNDARY}, so a seed is a plain
 * body file). Each body is read twice, whole and in 3-byte reads, and the two readings must agree: same fields,
 * same file (size, checksum, type) or URL, or the same refusal. A refusal is a {@link UploadFormReader.FormException}
 * with a 4xx; nothing may stay staged once the form is closed. Small size limits let the fuzzer reach them.
 */
class UploadFormFuzzTest {
    static final String BOUNDARY = "fuzzboundary";
    private static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private static Path root;
    private static UploadFormReader reader;

    @BeforeAll
    static void createStore() throws IOException {
        root = Files.createTempDirectory("upfront-fuzz-");
        reader = new UploadFormReader(new FileIntakes(new FilesystemBlobStore(root), new ContentSniffer(),
                new SizeLimits(1024, 2048), new PendingUploads(1L << 30)));
    }

    @AfterAll
    static void deleteStore() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    void readsOrRefusesTheSameWayWhateverTheChunking(byte[] body) throws IOException {
        String whole = outcome(new ByteArrayInputStream(body));
        String chunked = outcome(new SmallReads(body, 3));
        assertThat(chunked).as("reading in 3-byte chunks").isEqualTo(whole);
    }

    /** What reading {@code in} led to, as text to compare; asserts the refusal is a 4xx and staging is empty after. */
    private static String outcome(InputStream in) throws IOException {
        String outcome;
        try (UploadForm form = reader.read(CONTENT_TYPE, in, fieldsSoFar -> false)) {
            outcome = "fields " + form.fields() + ", url " + form.fileUrl().orElse(null) + ", file "
                    + form.staged().map(UploadFormFuzzTest::describe).orElse(null);
        } catch (UploadFormReader.FormException e) {
            requireClientError(e.error());
            // The names of the fields read before the refusal, not their values: when the body is not valid multipart,
            // the last value is whatever Jetty's parser had buffered when it met the fault, and a bare CR at a read
            // boundary is buffered differently (a campaign found it). The refusal itself must not depend on chunking.
            outcome = "refused " + e.error().code() + ": " + e.getMessage() + " after " + e.fieldsSoFar().keySet();
        }
        try (Stream<Path> staged = Files.list(root.resolve(".staging"))) {
            assertThat(staged).as("staged files once the form is closed").isEmpty();
        }
        return outcome;
    }

    private static String describe(StagedUpload file) {
        return file.size() + " bytes, " + file.checksum() + ", " + file.type();
    }

    /** A body that arrives a few bytes at a time, as a slow client's would. */
    private static final class SmallReads extends ByteArrayInputStream {
        private final int most;

        SmallReads(byte[] bytes, int most) {
            super(bytes);
            this.most = most;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, most));
        }
    }
}

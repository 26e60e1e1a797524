package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.inspect.ContentSniffer;
import dev.upfront.storage.fs.FilesystemBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The intake sniffs the type from its first buffer (or, for unauthenticated requests, from a head of its own): the
 * type must come from the file's first bytes whatever the chunking, be known before the first buffer is written, and
 * the staged bytes must be the file's.
 */
class FileIntakeTest {
    private static final int KB = 1024;
    private static final long MAX_FILE = 150 * KB;
    private static final long MAX_VIDEO = 4 * 1024 * KB;

    @TempDir
    Path dir;

    private FileIntakes intakes() {
        return new FileIntakes(new FilesystemBlobStore(dir.resolve("blobs")), new ContentSniffer(),
                new SizeLimits(MAX_FILE, MAX_VIDEO), new PendingUploads(1 << 24));
    }

    /** JPEG's signature, then bytes that name no type. */
    private static byte[] jpeg(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        return bytes;
    }

    /** Sizes below, at and above the sniffing head and the first buffer; chunks smaller than, as large as and larger than both. */
    @ParameterizedTest
    @CsvSource({"49916, 8192", "49916, 49916", "65536, 1000", "65536, 65536", "65537, 65536", "100000, 100000",
            "140000, 16384", "140000, 70000"})
    void theTypeComesFromTheFirstBytesAndTheBytesAreStagedIntact(int size, int chunk) throws IOException {
        byte[] file = jpeg(size);
        try (FileIntake intake = intakes().open()) {
            for (int at = 0; at < size; at += chunk) {
                intake.write(ByteBuffer.wrap(file, at, Math.min(chunk, size - at)));
            }
            StagedUpload staged = intake.finish();
            assertThat(staged.type().mime()).isEqualTo("image/jpeg");
            assertThat(staged.size()).isEqualTo(size);
            try (InputStream in = staged.blob().open()) {
                assertThat(in.readAllBytes()).isEqualTo(file);
            }
            staged.close();
        }
    }

    /**
     * A file that fits the first buffer is held in memory for its inspection, and reading it from there gives the
     * staged bytes; a larger one is read back from staging.
     */
    @ParameterizedTest
    @CsvSource({"49916, true", "65535, true", "65536, false", "140000, false"})
    void aSmallFileIsReadFromMemoryALargerOneFromStaging(int size, boolean held) throws IOException {
        byte[] file = jpeg(size);
        try (FileIntake intake = intakes().open()) {
            for (int at = 0; at < size; at += 16_000) {
                intake.write(ByteBuffer.wrap(file, at, Math.min(16_000, size - at)));
            }
            try (StagedUpload staged = intake.finish()) {
                assertThat(staged.held() != null).isEqualTo(held);
                try (InputStream in = staged.open(); InputStream stored = staged.blob().open()) {
                    assertThat(in.readAllBytes()).isEqualTo(file);
                    assertThat(stored.readAllBytes()).isEqualTo(file);
                }
            }
        }
    }

    /**
     * A request's declared length bounds its file: the first buffer is no larger (a small upload allocates little),
     * and a file of up to that size is still held whole for its inspection.
     */
    @ParameterizedTest
    @CsvSource({"1000, 1000", "1000, 1500", "49916, 50300", "65535, 65535"})
    void aDeclaredBoundSizesTheFirstBuffer(int size, long bound) throws IOException {
        byte[] file = jpeg(size);
        try (FileIntake intake = intakes().open(bound)) {
            for (int at = 0; at < size; at += 16_000) {
                intake.write(ByteBuffer.wrap(file, at, Math.min(16_000, size - at)));
            }
            try (StagedUpload staged = intake.finish()) {
                assertThat(staged.held()).isNotNull();
                assertThat(staged.held().length).isLessThanOrEqualTo((int) bound + 1);
                try (InputStream in = staged.open(); InputStream stored = staged.blob().open()) {
                    assertThat(in.readAllBytes()).isEqualTo(file);
                    assertThat(stored.readAllBytes()).isEqualTo(file);
                }
            }
        }
    }

    /**
     * A bound the file outgrows is only a hint: the type still comes from the whole head (an SVG whose root element
     * lies past the bound), and every byte is staged.
     */
    @ParameterizedTest
    @CsvSource({"50, 40", "50, 5000", "300, 100000"})
    void aBoundTheFileOutgrowsChangesNothing(long bound, int chunk) throws IOException {
        String svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- " + "padding ".repeat(60) + "-->\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n";
        byte[] file = (svg + "<!-- " + "x".repeat(120_000) + " -->\n").getBytes(StandardCharsets.UTF_8);
        ContentSniffer sniffer = new ContentSniffer();
        assertThat(sniffer.detect(file, (int) bound).mime()).isNotEqualTo("image/svg+xml"); // the bound alone would not tell
        try (FileIntake intake = intakes().open(bound)) {
            for (int at = 0; at < file.length; at += chunk) {
                intake.write(ByteBuffer.wrap(file, at, Math.min(chunk, file.length - at)));
            }
            try (StagedUpload staged = intake.finish(); InputStream stored = staged.blob().open()) {
                assertThat(staged.type().mime()).isEqualTo("image/svg+xml");
                assertThat(stored.readAllBytes()).isEqualTo(file);
            }
        }
    }

    /**
     * Once the head is in, the type's own limit applies to the next chunk: a JPEG past the image limit fails while
     * streaming, not only at its end (a video limit of 4 MB would otherwise let it run on).
     */
    @ParameterizedTest
    @CsvSource({"8192", "70000", "100000"})
    void anImagePastItsLimitFailsAsSoonAsTheTypeIsKnown(int chunk) throws IOException {
        byte[] file = jpeg(1024 * KB);
        try (FileIntake intake = intakes().open()) {
            assertThatThrownBy(() -> {
                for (int at = 0; at < file.length; at += chunk) {
                    intake.write(ByteBuffer.wrap(file, at, Math.min(chunk, file.length - at)));
                }
            }).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FILE_TOO_LARGE));
            assertThat(intake.size()).isLessThanOrEqualTo(MAX_FILE + chunk);
        }
    }

    @Test
    void aFileShorterThanTheHeadAndAnEmptyOneAreSniffedAsTheSnifferSays() throws IOException {
        ContentSniffer sniffer = new ContentSniffer();
        byte[] text = "just some words, no signature\n".repeat(40).getBytes(StandardCharsets.UTF_8);
        for (byte[] file : new byte[][] {text, new byte[0]}) {
            try (FileIntake intake = intakes().open()) {
                intake.write(ByteBuffer.wrap(file));
                StagedUpload staged = intake.finish();
                assertThat(staged.type()).isEqualTo(sniffer.detect(file, file.length));
                assertThat(staged.size()).isEqualTo(file.length);
                staged.close();
            }
        }
        assertThat(new ContentSniffer().detect(text, text.length).mime()).isEqualTo("text/plain");
    }

    /** An unauthenticated request's bytes skip the buffers; its own head gives the same type. */
    @Test
    void anUnauthenticatedUploadIsSniffedFromItsOwnHead() throws IOException {
        byte[] file = jpeg(100_000);
        FileIntakes intakes = intakes();
        try (PendingUploads.Claim claim = intakes.pending().claim(); FileIntake intake = intakes.openPending(claim)) {
            for (int at = 0; at < file.length; at += 30_000) {
                intake.write(ByteBuffer.wrap(file, at, Math.min(30_000, file.length - at)));
            }
            StagedUpload staged = intake.finish();
            assertThat(staged.type().mime()).isEqualTo("image/jpeg");
            try (InputStream in = staged.blob().open()) {
                assertThat(in.readAllBytes()).isEqualTo(file);
            }
            staged.close();
        }
        try (var leftovers = Files.list(dir.resolve("blobs/.staging"))) {
            assertThat(leftovers).isEmpty();
        }
    }
}

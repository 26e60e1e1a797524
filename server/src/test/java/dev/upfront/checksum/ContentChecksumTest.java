package dev.upfront.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.testing.Checksums;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentChecksumTest {
    private final byte[] bytes = new byte[100_000];

    ContentChecksumTest() {
        new Random(11).nextBytes(bytes);
    }

    @Test
    void newUploadsTakeCrc32cFedInPiecesAndLeaveTheBuffersWhereTheyWere() {
        ContentChecksum checksum = ContentChecksum.crc32c();
        ByteBuffer first = ByteBuffer.wrap(bytes, 0, 40_000);
        checksum.update(first);
        assertThat(first.position()).as("the caller's buffer is not consumed").isZero();
        checksum.update(ByteBuffer.allocateDirect(60_000).put(bytes, 40_000, 60_000).flip());

        assertThat(checksum.value()).isEqualTo(Checksums.crc32c(bytes)).matches("crc32c:[0-9a-f]{8}");
        assertThat(checksum.value()).as("asked twice").isEqualTo(Checksums.crc32c(bytes));
        assertThat(ContentChecksum.crc32c().value()).as("of nothing").isEqualTo("crc32c:00000000");
    }

    @Test
    void aRecordedChecksumIsCheckedWithItsOwnAlgorithm() {
        for (String recorded : new String[] {Checksums.crc32c(bytes), Checksums.md5(bytes)}) {
            ContentChecksum again = ContentChecksum.like(recorded);
            again.update(bytes, 0, 50_000);
            again.update(bytes, 50_000, 50_000);
            assertThat(again.value()).isEqualTo(recorded).isEqualTo(again.value());
        }
        assertThatThrownBy(() -> ContentChecksum.like("sha1:abc")).isInstanceOf(IllegalArgumentException.class);
    }
}

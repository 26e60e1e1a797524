package dev.upfront.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A HEIF file's size is its primary item's: a decoy {@code ispe} listed first (a tile's, a thumbnail's, or a crafted
 * one) must not stand for the image a decoder will produce.
 */
class HeifPrimarySizeTest {
    private static final ContentType AVIF = new ContentType("image/avif");

    @Test
    void theSizeIsThePrimaryItemsNotTheFirstListed() throws Exception {
        byte[] file = heif(2, new int[] {100, 100}, new int[] {16384, 12000}, false);
        assertThat(HeifPrimarySize.of(new ByteArrayInputStream(file))).hasValueSatisfying(s -> assertThat(s).containsExactly(16384, 12000));
        MediaInfo info = new MediaInspector().inspect(AVIF, () -> new ByteArrayInputStream(file));
        assertThat(info.width()).isEqualTo(16384);
        assertThat(info.height()).isEqualTo(12000);
    }

    @Test
    void aQuarterTurnSwapsTheSides() throws Exception {
        byte[] file = heif(1, new int[] {4032, 3024}, new int[] {512, 512}, true);
        assertThat(HeifPrimarySize.of(new ByteArrayInputStream(file))).hasValueSatisfying(s -> assertThat(s).containsExactly(3024, 4032));
    }

    @Test
    void withoutAnAssociatedSizeThereIsNone() throws Exception {
        byte[] file = heif(7, new int[] {100, 100}, new int[] {200, 200}, false); // item 7 has no properties
        assertThat(HeifPrimarySize.of(new ByteArrayInputStream(file))).isEmpty();
        assertThat(new MediaInspector().inspect(AVIF, () -> new ByteArrayInputStream(file)).width()).isNull();
        assertThat(HeifPrimarySize.of(new ByteArrayInputStream("not a heif file at all".getBytes(StandardCharsets.US_ASCII)))).isEmpty();
        byte[] truncated = Arrays.copyOf(heif(2, new int[] {1, 1}, new int[] {2, 2}, false), 60);
        assertThat(HeifPrimarySize.of(new ByteArrayInputStream(truncated))).isEmpty();
    }

    /**
     * ftyp, then meta with pitm naming {@code primary}, and iprp: ipco [ispe first, ispe second, irot] and ipma giving
     * item 1 the first ispe and item 2 the second (plus the irot when {@code rotated} and it is the primary).
     */
    private static byte[] heif(int primary, int[] first, int[] second, boolean rotated) {
        byte[] ipco = box("ipco", ispe(first), ispe(second), box("irot", new byte[] {1}));
        ByteBuffer ipma = ByteBuffer.allocate(4 + 4 + 2 * (2 + 1) + 3);
        ipma.putInt(0).putInt(2);
        ipma.putShort((short) 1).put((byte) (rotated && primary == 1 ? 2 : 1)).put((byte) 1);
        if (rotated && primary == 1) {
            ipma.put((byte) 3);
        }
        ipma.putShort((short) 2).put((byte) 1).put((byte) 2);
        byte[] ipmaBytes = Arrays.copyOf(ipma.array(), ipma.position());
        byte[] pitm = box("pitm", ByteBuffer.allocate(6).putInt(0).putShort((short) primary).array());
        byte[] meta = box("meta", new byte[4], pitm, box("iprp", ipco, box("ipma", ipmaBytes)));
        return concat(box("ftyp", "avif".getBytes(StandardCharsets.US_ASCII), new byte[4], "avifmif1".getBytes(StandardCharsets.US_ASCII)),
                meta, box("mdat", new byte[16]));
    }

    private static byte[] ispe(int[] size) {
        return box("ispe", ByteBuffer.allocate(12).putInt(0).putInt(size[0]).putInt(size[1]).array());
    }

    private static byte[] box(String type, byte[]... content) {
        byte[] body = concat(content);
        return concat(ByteBuffer.allocate(8).putInt(8 + body.length).put(type.getBytes(StandardCharsets.US_ASCII)).array(), body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}

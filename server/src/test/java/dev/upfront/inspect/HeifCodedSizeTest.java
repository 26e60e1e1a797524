package dev.upfront.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A HEIF file cannot pass off a large bitstream as a small image: its size is checked against what the coded data's
 * parameter sets (an AV1 sequence header, an HEVC SPS) ask decoders for. The fixtures are 4000×4000 black images that
 * libvips encoded (AV1 with its sequence header in the item's data, HEVC with its SPS in {@code hvcC}); the decoys
 * are the same files with their {@code ispe} rewritten to 100×100, as a crafted upload would be.
 */
class HeifCodedSizeTest {

    @Test
    void anHonestFileKeepsItsDeclaredSize() throws IOException {
        for (String name : new String[] {"black-4000.avif", "black-4000.heic"}) {
            assertThat(HeifPrimarySize.of(new ByteArrayInputStream(fixture(name))))
                    .as(name).hasValueSatisfying(s -> assertThat(s).containsExactly(4000, 4000));
        }
    }

    @Test
    void aDecoySizeGivesWayToTheCodedOne() throws IOException {
        for (String name : new String[] {"black-4000.avif", "black-4000.heic"}) {
            byte[] decoy = withIspe(fixture(name), 100, 100);
            assertThat(HeifPrimarySize.of(new ByteArrayInputStream(decoy)))
                    .as(name).hasValueSatisfying(s -> assertThat(s).containsExactly(4000, 4000));
        }
    }

    @Test
    void aSizeWithinTheCodecsPaddingStands() throws IOException {
        // HEVC codes whole blocks and crops: a declared size a few pixels short of the coded one is honest.
        byte[] cropped = withIspe(fixture("black-4000.heic"), 3990, 3950);
        assertThat(HeifPrimarySize.of(new ByteArrayInputStream(cropped))).hasValueSatisfying(s -> assertThat(s).containsExactly(3990, 3950));
    }

    @Test
    void dataPastTheHeadIsReadFromTheRestOfTheStream() throws IOException {
        byte[] decoy = withIspe(fixture("black-4000.avif"), 100, 100);
        ByteBuffer whole = ByteBuffer.wrap(decoy);
        HeifPrimarySize.Box meta = HeifPrimarySize.child(whole, 0, whole.limit(), "meta");
        // A head that ends with the meta box: the item's data (in mdat) is only in the stream after it.
        ByteBuffer head = ByteBuffer.wrap(Arrays.copyOf(decoy, meta.end()));
        InputStream rest = new ByteArrayInputStream(decoy, meta.end(), decoy.length - meta.end());
        assertThat(HeifCodedItems.scan(head, meta, rest)).hasValueSatisfying(scan -> {
            assertThat(scan.width()).isEqualTo(4000);
            assertThat(scan.height()).isEqualTo(4000);
        });
    }

    @Test
    void aPictureLongerThanWhatIsReadStillCounts() throws IOException {
        // A phone's tiles are each larger than the window read: the picture's first bytes are enough.
        for (String name : new String[] {"black-4000.avif", "black-4000.heic"}) {
            byte[] decoy = withIspe(fixture(name), 100, 100);
            ByteBuffer whole = ByteBuffer.wrap(decoy);
            HeifPrimarySize.Box mdat = HeifPrimarySize.child(whole, 0, whole.limit(), "mdat");
            byte[] cut = Arrays.copyOf(decoy, mdat.start() + 20); // inside the first picture's unit
            assertThat(HeifPrimarySize.of(new ByteArrayInputStream(cut)))
                    .as(name).hasValueSatisfying(s -> assertThat(s).containsExactly(4000, 4000));
        }
    }

    @Test
    void dataThatEndsBeforeItsPictureGivesNoSize() throws IOException {
        byte[] avif = fixture("black-4000.avif");
        ByteBuffer whole = ByteBuffer.wrap(avif);
        HeifPrimarySize.Box mdat = HeifPrimarySize.child(whole, 0, whole.limit(), "mdat");
        // Cut inside the image's data, after its sequence header (the mdat's first 16 bytes) and before its frame.
        byte[] cut = Arrays.copyOf(avif, mdat.start() + 16);
        assertThat(HeifPrimarySize.of(new ByteArrayInputStream(cut))).isEmpty();
        assertThat(new MediaInspector().inspect(new ContentType("image/avif"), () -> new ByteArrayInputStream(cut)).width()).isNull();
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = HeifCodedSizeTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** The file with its (only) {@code ispe} saying {@code width}×{@code height}. */
    private static byte[] withIspe(byte[] file, int width, int height) {
        byte[] copy = file.clone();
        String text = new String(copy, StandardCharsets.ISO_8859_1);
        int ispe = text.indexOf("ispe");
        assertThat(ispe).isPositive();
        assertThat(text.indexOf("ispe", ispe + 1)).isNegative();
        ByteBuffer.wrap(copy, ispe + 8, 8).putInt(width).putInt(height);
        return copy;
    }
}

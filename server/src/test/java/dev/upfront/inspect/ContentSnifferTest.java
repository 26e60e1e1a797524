package dev.upfront.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.Images;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MimeTypes;
import org.junit.jupiter.api.Test;

/** The sniffer's shortcut for common image types answers exactly what Tika's full detection answers. */
class ContentSnifferTest {
    private final ContentSniffer sniffer = new ContentSniffer();
    private final MimeTypes tika = MimeTypes.getDefaultMimeTypes();

    @Test
    void commonTypesAgreeWithTika() throws Exception {
        byte[] webp = Arrays.copyOf("RIFF\u0024\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1), 64);
        byte[] gif87 = Images.gif(4, 4).clone();
        gif87[4] = '7';
        List<byte[]> samples = List.of(Images.jpeg(40, 30), Images.jpegWithExif(40, 30, "Make", "Model"), Images.png(5, 5),
                Images.gif(4, 4), gif87, webp, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
        List<String> expected = List.of("image/jpeg", "image/jpeg", "image/png", "image/gif", "image/gif", "image/webp", "image/jpeg");
        for (int i = 0; i < samples.size(); i++) {
            byte[] s = samples.get(i);
            String byTika = tika.detect(new ByteArrayInputStream(s), new Metadata()).getBaseType().toString();
            assertThat(byTika).as("Tika on sample %d", i).isEqualTo(expected.get(i));
            assertThat(sniffer.detect(s, s.length).mime()).as("sniffer on sample %d", i).isEqualTo(byTika);
        }
    }

    @Test
    void otherBytesStillGoToTika() {
        byte[] pdf = "%PDF-1.4\n%...".getBytes(StandardCharsets.US_ASCII);
        assertThat(sniffer.detect(pdf, pdf.length).mime()).isEqualTo("application/pdf");
        byte[] truncatedPng = {(byte) 0x89, 'P', 'N', 'G'};
        assertThat(sniffer.detect(truncatedPng, truncatedPng.length).mime()).isNotEqualTo("image/png");
    }
}

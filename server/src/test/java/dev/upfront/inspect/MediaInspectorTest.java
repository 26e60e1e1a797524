package dev.upfront.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.drew.imaging.ImageMetadataReader;
import dev.upfront.testing.Images;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A JPEG is read with only the segment readers whose directories the inspector uses; the facts must be exactly
 * those that metadata-extractor's full reading (every reader, after detecting the type) gives.
 */
class MediaInspectorTest {
    private static final ContentType JPEG = new ContentType("image/jpeg");
    private final MediaInspector inspector = new MediaInspector();

    @Test
    void plainJpegGivesItsDimensionsAsTheFullReadingDoes() throws Exception {
        byte[] jpeg = Images.jpeg(40, 30);
        MediaInfo info = inspector.inspect(JPEG, () -> new ByteArrayInputStream(jpeg));
        assertThat(info.width()).isEqualTo(40);
        assertThat(info.height()).isEqualTo(30);
        assertThat(info.hasAlpha()).isFalse();
        assertThat(info).isEqualTo(fullReading(jpeg));
    }

    @Test
    void exifXmpIptcAndIccSegmentsGiveWhatTheFullReadingGives() throws Exception {
        byte[] jpeg = withSegments(Images.jpegWithExif(24, 16, "Upfront Camera Co", "Model X-100"),
                segment(0xE1, "http://ns.adobe.com/xap/1.0/\0", xmp().getBytes(StandardCharsets.UTF_8)),
                segment(0xE2, "ICC_PROFILE\0", concat(new byte[] {1, 1}, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData())),
                segment(0xED, "Photoshop 3.0\0", photoshopIptc("Upfront Title")),
                segment(0xFE, "", "a comment".getBytes(StandardCharsets.US_ASCII)));
        MediaInfo info = inspector.inspect(JPEG, () -> new ByteArrayInputStream(jpeg));
        assertThat(info.embeddedMetadata()).containsEntry("Make", "Upfront Camera Co")
                .containsEntry("CreatorTool", "Upfront Test")
                .containsEntry("ObjectName", "Upfront Title");
        assertThat(info.width()).isEqualTo(24);
        assertThat(info).isEqualTo(fullReading(jpeg));
    }

    @Test
    void bytesThatAreNoJpegGiveNoFacts() {
        byte[] notJpeg = "not a jpeg at all".getBytes(StandardCharsets.US_ASCII);
        assertThat(inspector.inspect(JPEG, () -> new ByteArrayInputStream(notJpeg))).isEqualTo(MediaInfo.NONE);
    }

    private static MediaInfo fullReading(byte[] bytes) throws Exception {
        return MediaInspector.facts(ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes)), JPEG);
    }

    private static String xmp() {
        return "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:CreatorTool=\"Upfront Test\"/>"
                + "</rdf:RDF></x:xmpmeta>";
    }

    /** An APP13 body after its preamble: one 8BIM IPTC resource holding the object name (2:05). */
    private static byte[] photoshopIptc(String objectName) {
        byte[] name = objectName.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer iptc = ByteBuffer.allocate(5 + name.length);
        iptc.put((byte) 0x1C).put((byte) 2).put((byte) 5).putShort((short) name.length).put(name);
        int size = iptc.capacity();
        ByteBuffer resource = ByteBuffer.allocate(4 + 2 + 2 + 4 + size + (size % 2));
        resource.put("8BIM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0x0404).putShort((short) 0)
                .putInt(size).put(iptc.array());
        return resource.array();
    }

    private static byte[] segment(int marker, String preamble, byte[] body) {
        byte[] head = preamble.getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + head.length + body.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(marker);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(head);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** {@code jpeg} with {@code segments} inserted right after its first segment (SOI, then the EXIF APP1). */
    private static byte[] withSegments(byte[] jpeg, byte[]... segments) {
        int afterExif = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, afterExif);
        for (byte[] s : segments) {
            out.writeBytes(s);
        }
        out.write(jpeg, afterExif, jpeg.length - afterExif);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

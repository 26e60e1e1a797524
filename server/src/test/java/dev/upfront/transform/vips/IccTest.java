package dev.upfront.transform.vips;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import org.junit.jupiter.api.Test;

/** Needs no libvips: the ICC header and 'desc' checks on the JDK's own profiles. */
class IccTest {
    @Test
    void tellsSrgbFromOtherRgbAndNonRgbProfiles() {
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[] linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        byte[] gray = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
        assertThat(Icc.description(srgb)).startsWith("sRGB");
        assertThat(Icc.description(linear)).isNotBlank().doesNotStartWith("sRGB");
        assertThat(Icc.isRgb(srgb)).isTrue();
        assertThat(Icc.isSrgb(srgb)).isTrue();
        assertThat(Icc.isRgb(linear)).isTrue();
        assertThat(Icc.isSrgb(linear)).isFalse();
        assertThat(Icc.isRgb(gray)).isFalse();
        assertThat(Icc.isRgb(new byte[10])).isFalse();
        assertThat(Icc.isSrgb(new byte[10])).isFalse();
        byte[] truncated = java.util.Arrays.copyOf(srgb, 140);
        assertThat(Icc.isSrgb(truncated)).isFalse();
    }

    @Test
    void magicNumbers() {
        assertThat(Magic.allowed(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0})).isTrue();
        assertThat(Magic.allowed("RIFF\0\0\0\0WEBPVP8 ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isTrue();
        assertThat(Magic.allowed("RIFF\0\0\0\0AVI LIST".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isFalse();
        assertThat(Magic.allowed("\0\0\0\u001cftypavif".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isTrue();
        assertThat(Magic.allowed("<svg".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isFalse();
        assertThat(Magic.allowed("%PDF-1.7".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isFalse();
        assertThat(Magic.allowed(new byte[0])).isFalse();
    }
}

package dev.upfront.transform.vips;

import java.nio.charset.StandardCharsets;

/** Just enough of the ICC header and tag table to tell "an RGB profile that is not sRGB" apart. */
final class Icc {
    private Icc() {}

    /** The profile's data colour space is RGB (not CMYK, grey, Lab…). */
    static boolean isRgb(byte[] profile) {
        return profile.length >= 128 && profile[16] == 'R' && profile[17] == 'G' && profile[18] == 'B' && profile[19] == ' ';
    }

    /** The profile's description ('desc' tag, v2 ASCII or v4 UTF-16) starts with "sRGB" ("sRGB IEC61966-2.1"…). */
    static boolean isSrgb(byte[] profile) {
        String description = description(profile);
        return description != null && description.strip().startsWith("sRGB");
    }

    /** The text of the 'desc' tag, or null when there is none or it is malformed. */
    static String description(byte[] profile) {
        if (profile.length < 132) {
            return null;
        }
        long count = u32(profile, 128);
        for (long i = 0; i < count && 132 + i * 12 + 12 <= profile.length; i++) {
            int entry = (int) (132 + i * 12);
            if (!tag(profile, entry, "desc")) {
                continue;
            }
            long offset = u32(profile, entry + 4);
            long size = u32(profile, entry + 8);
            if (size < 12 || offset + size > profile.length) {
                return null;
            }
            int at = (int) offset;
            int end = (int) (offset + size);
            if (tag(profile, at, "desc")) { // v2 textDescriptionType: count, then ASCII with a NUL
                long n = u32(profile, at + 8);
                if (n < 1 || at + 12 + n > end) {
                    return null;
                }
                return new String(profile, at + 12, (int) n - 1, StandardCharsets.US_ASCII);
            }
            if (tag(profile, at, "mluc") && size >= 28) { // v4 multiLocalizedUnicodeType: the first record
                long length = u32(profile, at + 20);
                long textOffset = u32(profile, at + 24);
                if (at + textOffset + length > end) {
                    return null;
                }
                return new String(profile, (int) (at + textOffset), (int) length, StandardCharsets.UTF_16BE);
            }
            return null;
        }
        return null;
    }

    private static boolean tag(byte[] b, int at, String signature) {
        for (int i = 0; i < 4; i++) {
            if (b[at + i] != signature.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long u32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }
}

package dev.upfront.transform.vips;

/**
 * The magic numbers of the formats the backend reads, checked in Java before libvips sees the bytes, so that only
 * those loaders' sniffers and parsers ever run on untrusted input.
 */
final class Magic {
    private Magic() {}

    /** JPEG, PNG, GIF, WebP, TIFF, or an ISO-BMFF file (HEIF, HEIC, AVIF: libvips checks the brand). */
    static boolean allowed(byte[] b) {
        return starts(b, 0, 0xFF, 0xD8, 0xFF)
                || starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)
                || starts(b, 0, 'G', 'I', 'F', '8')
                || (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P'))
                || starts(b, 0, 'I', 'I', 0x2A, 0x00)
                || starts(b, 0, 'M', 'M', 0x00, 0x2A)
                || starts(b, 0, 'I', 'I', 0x2B, 0x00) // BigTIFF
                || starts(b, 0, 'M', 'M', 0x00, 0x2B)
                || starts(b, 4, 'f', 't', 'y', 'p');
    }

    private static boolean starts(byte[] b, int at, int... magic) {
        if (b.length < at + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[at + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}

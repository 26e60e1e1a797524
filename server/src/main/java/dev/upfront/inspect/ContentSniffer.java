package dev.upfront.inspect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * Detects a file's type from its first bytes with Apache Tika's magic-number database (no file name is given to
 * Tika, on purpose). Thread-safe.
 */
public final class ContentSniffer {
    /** How many leading bytes detection looks at. Uploads buffer this much at most for sniffing. */
    public static final int HEAD_BYTES = 64 * 1024;

    private final MimeTypes types = MimeTypes.getDefaultMimeTypes();

    private static final ContentType JPEG = new ContentType("image/jpeg");
    private static final ContentType PNG = new ContentType("image/png");
    private static final ContentType GIF = new ContentType("image/gif");
    private static final ContentType WEBP = new ContentType("image/webp");

    public ContentType detect(byte[] head, int length) {
        ContentType common = common(head, length);
        if (common != null) {
            return common;
        }
        try {
            MediaType type = types.detect(new ByteArrayInputStream(head, 0, length), new Metadata());
            return type == null ? ContentType.UNKNOWN : new ContentType(type.getBaseType().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The most common upload types, from the same leading signatures Tika's database names for them (and no other
     * type of its database claims): Tika evaluates every magic of its database over the whole head, which was a
     * third of a small upload's CPU time. Null for anything else, which Tika then decides.
     */
    private static ContentType common(byte[] h, int n) {
        if (n >= 3 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8 && (h[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (n >= 8 && (h[0] & 0xFF) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G' && h[4] == 0x0D && h[5] == 0x0A
                && h[6] == 0x1A && h[7] == 0x0A) {
            return PNG;
        }
        if (n >= 6 && h[0] == 'G' && h[1] == 'I' && h[2] == 'F' && h[3] == '8' && (h[4] == '7' || h[4] == '9') && h[5] == 'a') {
            return GIF;
        }
        if (n >= 12 && h[0] == 'R' && h[1] == 'I' && h[2] == 'F' && h[3] == 'F' && h[8] == 'W' && h[9] == 'E' && h[10] == 'B'
                && h[11] == 'P') {
            return WEBP;
        }
        return null;
    }
}

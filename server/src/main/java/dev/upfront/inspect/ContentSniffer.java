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

    public ContentType detect(byte[] head, int length) {
        try {
            MediaType type = types.detect(new ByteArrayInputStream(head, 0, length), new Metadata());
            return type == null ? ContentType.UNKNOWN : new ContentType(type.getBaseType().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

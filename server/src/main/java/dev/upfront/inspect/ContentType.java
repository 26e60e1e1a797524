package dev.upfront.inspect;

/**
 * What a file is, decided from its bytes alone (never from a name or a client's Content-Type).
 *
 * @param mime the detected media type, e.g. {@code image/jpeg}; {@code application/octet-stream} when unknown
 */
public record ContentType(String mime) {
    public static final ContentType UNKNOWN = new ContentType("application/octet-stream");

    /** ImageKit's {@code fileType}: {@code image} or {@code non-image}. */
    public String fileType() {
        return isImage() ? "image" : "non-image";
    }

    public boolean isImage() {
        return mime.startsWith("image/");
    }

    /** Videos get their own, larger size limit. */
    public boolean isVideo() {
        return mime.startsWith("video/");
    }
}

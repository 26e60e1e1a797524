package dev.upfront.library;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version of a file: its bytes (by blob key) and everything ImageKit attaches to a version.
 *
 * @param checksum the original's checksum, with its algorithm ({@code crc32c:…}, or {@code md5:…} before V11)
 * @param tags null when the version has no tags (ImageKit answers {@code null}, not {@code []})
 * @param mediaMetadata what a media probe read from a video ({@code duration}, {@code bitRate}, {@code videoCodec},
 *     {@code audioCodec}); null when nothing was probed
 */
public record FileVersion(
        String versionId,
        String fileId,
        int number,
        String blobKey,
        long size,
        String checksum,
        String mime,
        String fileType,
        Integer width,
        Integer height,
        Boolean hasAlpha,
        List<String> tags,
        String customCoordinates,
        Map<String, Object> customMetadata,
        Map<String, Object> embeddedMetadata,
        String description,
        boolean isPrivate,
        boolean isPublished,
        Instant createdAt,
        Instant updatedAt,
        Map<String, Object> mediaMetadata) {

    /** A version without probed media metadata (images, documents). */
    public FileVersion(String versionId, String fileId, int number, String blobKey, long size, String checksum, String mime, String fileType,
                       Integer width, Integer height, Boolean hasAlpha, List<String> tags, String customCoordinates,
                       Map<String, Object> customMetadata, Map<String, Object> embeddedMetadata, String description, boolean isPrivate,
                       boolean isPublished, Instant createdAt, Instant updatedAt) {
        this(versionId, fileId, number, blobKey, size, checksum, mime, fileType, width, height, hasAlpha, tags, customCoordinates,
                customMetadata, embeddedMetadata, description, isPrivate, isPublished, createdAt, updatedAt, null);
    }

    /** The format as ImageKit names it: the mime subtype, with the usual short names ('jpg', 'svg', 'mov'). */
    public String format() {
        return format(mime);
    }

    /** The format ImageKit names for a media type. */
    public static String format(String mime) {
        String subtype = mime.substring(mime.indexOf('/') + 1);
        return switch (subtype) {
            case "jpeg" -> "jpg";
            case "svg+xml" -> "svg";
            case "quicktime" -> "mov";
            case "plain" -> "txt";
            case "x-icon", "vnd.microsoft.icon" -> "ico";
            default -> subtype.startsWith("x-") ? subtype.substring(2) : subtype;
        };
    }

    /** ImageKit's version name. */
    public String versionName() {
        return "Version " + number;
    }
}

package dev.upfront.library;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version of a file: its bytes (by blob key) and everything ImageKit attaches to a version.
 *
 * @param tags null when the version has no tags (ImageKit answers {@code null}, not {@code []})
 */
public record FileVersion(
        String versionId,
        String fileId,
        int number,
        String blobKey,
        long size,
        String md5,
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
        Instant updatedAt) {

    /** The format as ImageKit names it: the mime subtype, with the usual short names ('jpg', 'svg', 'mov'). */
    public String format() {
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

package dev.upfront.http;

import dev.upfront.delivery.Urls;
import dev.upfront.library.FileVersion;
import dev.upfront.library.LibraryFile;
import dev.upfront.video.VideoRenditions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON shapes of files: the upload response (reference §2.6) and the media API's file object (§5). */
public final class FileJson {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private FileJson() {}

    /** The default upload response fields, plus the optional ones named in {@code responseFields}. */
    public static Map<String, Object> uploadResponse(LibraryFile f, Set<String> responseFields, Urls urls) {
        FileVersion v = f.version();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fileId", f.file().fileId());
        out.put("name", f.file().name());
        out.put("size", v.size());
        out.put("versionInfo", versionInfo(v));
        out.put("filePath", f.file().filePath());
        out.put("url", urls.url(f.file().filePath()));
        out.put("fileType", v.fileType());
        putDimensions(out, v);
        String thumbnail = thumbnailUrl(v, f.file().filePath(), true, urls);
        if (thumbnail != null) {
            out.put("thumbnailUrl", thumbnail);
        }
        out.put("AITags", null);
        out.put("description", v.description());
        for (String field : responseFields) {
            switch (field) {
                case "tags" -> out.put("tags", v.tags());
                case "customCoordinates" -> out.put("customCoordinates", v.customCoordinates());
                case "isPrivateFile" -> out.put("isPrivateFile", v.isPrivate());
                case "isPublished" -> out.put("isPublished", v.isPublished());
                case "customMetadata" -> out.put("customMetadata", v.customMetadata());
                case "embeddedMetadata" -> out.put("embeddedMetadata", v.embeddedMetadata() == null ? Map.of() : v.embeddedMetadata());
                case "metadata" -> out.put("metadata", metadata(v));
                default -> { } // selectedFieldsSchema: path policies do not exist here
            }
        }
        return out;
    }

    /**
     * An image's thumbnail is the named transformation; a video's, as ImageKit gives it, the first frame at
     * {@code <file url>/ik-thumbnail.jpg} (rendered with ffmpeg when first asked for). Other files have none.
     */
    private static String thumbnailUrl(FileVersion v, String path, boolean current, Urls urls) {
        if (v.fileType().equals("image")) {
            return urls.thumbnailUrl(path, v.versionId(), current);
        }
        if (v.mime().startsWith("video/")) {
            String url = urls.url(path) + "/" + VideoRenditions.THUMBNAIL;
            return current ? url : url + "?ik-obj-version=" + v.versionId();
        }
        return null;
    }

    /** The file object of the media API, for the file at the version {@code f} holds. */
    public static Map<String, Object> fileObject(LibraryFile f, Urls urls) {
        FileVersion v = f.version();
        boolean current = f.isCurrentVersion();
        String path = f.file().filePath();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fileId", f.file().fileId());
        out.put("type", current ? "file" : "file-version");
        out.put("name", f.file().name());
        out.put("filePath", path);
        out.put("tags", v.tags());
        out.put("AITags", null);
        out.put("versionInfo", versionInfo(v));
        out.put("isPrivateFile", v.isPrivate());
        out.put("isPublished", v.isPublished());
        out.put("customCoordinates", v.customCoordinates());
        out.put("url", urls.url(path, v.versionId(), current));
        out.put("thumbnail", thumbnailUrl(v, path, current, urls));
        out.put("fileType", v.fileType());
        out.put("mime", v.mime());
        putDimensions(out, v);
        out.put("size", v.size());
        out.put("hasAlpha", v.hasAlpha() != null && v.hasAlpha());
        out.put("customMetadata", v.customMetadata());
        out.put("embeddedMetadata", v.embeddedMetadata() == null ? Map.of() : v.embeddedMetadata());
        out.put("description", v.description());
        out.put("createdAt", iso(current ? f.file().createdAt() : v.createdAt()));
        out.put("updatedAt", iso(current ? f.file().updatedAt() : v.updatedAt()));
        return out;
    }

    private static Map<String, Object> versionInfo(FileVersion v) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", v.versionId());
        info.put("name", v.versionName());
        return info;
    }

    /** Height and width when known, then a video's probed {@code bitRate}, {@code duration} and codecs. */
    private static void putDimensions(Map<String, Object> out, FileVersion v) {
        if (v.height() != null && v.width() != null) {
            out.put("height", v.height());
            out.put("width", v.width());
        }
        if (v.mediaMetadata() != null) {
            for (String key : List.of("bitRate", "duration", "audioCodec", "videoCodec")) {
                if (v.mediaMetadata().get(key) != null) {
                    out.put(key, v.mediaMetadata().get(key));
                }
            }
        }
    }

    /** The legacy {@code metadata} object, with what inspection knows. */
    private static Map<String, Object> metadata(FileVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (v.height() != null) {
            m.put("height", v.height());
            m.put("width", v.width());
        }
        m.put("size", v.size());
        String subtype = v.mime().substring(v.mime().indexOf('/') + 1);
        m.put("format", subtype.equals("jpeg") ? "jpg" : subtype);
        m.put("hasTransparency", v.hasAlpha() != null && v.hasAlpha());
        if (v.mediaMetadata() != null) {
            m.putAll(v.mediaMetadata());
        }
        return m;
    }

    static String iso(Instant t) {
        return ISO_MILLIS.format(t);
    }
}

package dev.upfront.inspect;

import java.util.Map;

/**
 * What inspection found in a file's bytes. Dimensions are null when unknown (non-images, unreadable headers).
 *
 * @param embeddedMetadata EXIF/IPTC/XMP values flattened to ImageKit's {@code embeddedMetadata} shape
 * @param media a video's {@code duration}, {@code bitRate}, {@code videoCodec}, {@code audioCodec} as far as a probe
 *     read them; empty otherwise
 */
public record MediaInfo(Integer width, Integer height, Boolean hasAlpha, Map<String, Object> embeddedMetadata,
                        Map<String, Object> media) {
    public static final MediaInfo NONE = new MediaInfo(null, null, null, Map.of());

    /** An image's (or nothing's) facts: no media fields. */
    public MediaInfo(Integer width, Integer height, Boolean hasAlpha, Map<String, Object> embeddedMetadata) {
        this(width, height, hasAlpha, embeddedMetadata, Map.of());
    }
}

package dev.upfront.inspect;

import java.util.Map;

/**
 * What inspection found in a file's bytes. Dimensions are null when unknown (non-images, unreadable headers).
 *
 * @param embeddedMetadata EXIF/IPTC/XMP values flattened to ImageKit's {@code embeddedMetadata} shape
 */
public record MediaInfo(Integer width, Integer height, Boolean hasAlpha, Map<String, Object> embeddedMetadata) {
    public static final MediaInfo NONE = new MediaInfo(null, null, null, Map.of());
}

package dev.upfront.upload;

import dev.upfront.inspect.ContentType;

/** Upload size limits by detected type (PRODUCT.md §2): videos have their own, larger limit. */
public record SizeLimits(long maxFileSize, long maxVideoFileSize) {

    /** The limit while the type is not known yet: the larger of the two. */
    public long beforeDetection() {
        return Math.max(maxFileSize, maxVideoFileSize);
    }

    public long forType(ContentType type) {
        return type.isVideo() ? maxVideoFileSize : maxFileSize;
    }
}

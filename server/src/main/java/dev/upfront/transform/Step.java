package dev.upfront.transform;

/**
 * One step of a transformation chain ({@code w-300,h-200} between two {@code :}), parsed and validated. Null
 * means "not given". Immutable.
 *
 * @param width pixels when ≥ 1, a fraction of the input when in (0, 1)
 * @param aspectRatio width / height from {@code ar-4-3}
 * @param rotation degrees clockwise; null for none; {@link #AUTO_ROTATION} for {@code rt-auto} (EXIF orientation)
 * @param radius corner radius in pixels; {@link #MAX_RADIUS} for {@code r-max}
 * @param background RGBA, e.g. 0xFFFFFFFF; null for the default (white, or transparent for formats with alpha)
 */
public record Step(
        Double width,
        Double height,
        Double aspectRatio,
        Crop crop,
        CropMode cropMode,
        Focus focus,
        Integer x,
        Integer y,
        Integer xCenter,
        Integer yCenter,
        Integer quality,
        Format format,
        Integer blur,
        Integer rotation,
        Double dpr,
        Long background,
        Integer radius,
        boolean original) {

    public static final int AUTO_ROTATION = Integer.MIN_VALUE;
    public static final int MAX_RADIUS = Integer.MAX_VALUE;

    public enum Crop { MAINTAIN_RATIO, FORCE, AT_MAX, AT_MAX_ENLARGE, AT_LEAST }

    public enum CropMode { PAD_RESIZE, EXTRACT, PAD_EXTRACT }

    public enum Focus { CENTER, TOP, LEFT, BOTTOM, RIGHT, TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT, AUTO, CUSTOM }

    public enum Format {
        AUTO, JPG, PNG, WEBP, AVIF;

        public String mime() {
            return switch (this) {
                case JPG -> "image/jpeg";
                case PNG -> "image/png";
                case WEBP -> "image/webp";
                case AVIF -> "image/avif";
                case AUTO -> throw new IllegalStateException("auto is resolved before encoding");
            };
        }
    }

    /** Whether the step changes geometry (resize, crop or pad). */
    public boolean resizes() {
        return width != null || height != null || cropMode != null;
    }
}

package dev.upfront.transform;

/**
 * One concrete image operation, with every number already decided by {@link Planner}. Both backends execute the
 * same list of these, so they produce the same geometry; only resampling and encoding differ (within rounding).
 */
public sealed interface Op {
    /** Resize to exactly width × height (aspect may change). */
    record Resize(int width, int height) implements Op {}

    /** Keep the area at (x, y) of width × height; it lies inside the image. */
    record Crop(int x, int y, int width, int height) implements Op {}

    /** Place the image at (x, y) on a width × height canvas filled with {@code rgba}. */
    record Pad(int width, int height, int x, int y, long rgba) implements Op {}

    /** Rotate clockwise by 90, 180 or 270 degrees, or any other angle with the corners filled with {@code rgba}. */
    record Rotate(int degrees, long rgba) implements Op {}

    /** Apply the EXIF orientation (rt-auto): all eight, mirrored ones included; 5-8 swap width and height. */
    record AutoRotate() implements Op {}

    /** Gaussian blur. */
    record Blur(double sigma) implements Op {}

    /** Round the corners to transparency with this radius. */
    record RoundCorners(int radius) implements Op {}
}

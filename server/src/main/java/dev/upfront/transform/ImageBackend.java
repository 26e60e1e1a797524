package dev.upfront.transform;

import java.util.Set;

/**
 * Renders a {@link Plan} on an image. Two implementations: libvips through a small FFM binding, and pure Java
 * (Java2D + ImageIO) when libvips is absent. Implementations are thread-safe; callers bound concurrency.
 */
public interface ImageBackend {

    /** {@code libvips 8.14.1} or {@code java}: logged at start. */
    String name();

    /** Output formats this backend can encode. */
    Set<Step.Format> formats();

    /** Input media types this backend can decode. */
    boolean canRead(String mime);

    /**
     * Decodes {@code source}, applies the plan's operations in order, and encodes the result.
     *
     * @throws ImageException when the bytes cannot be decoded or processed (answered as a 4xx)
     */
    byte[] render(byte[] source, Plan plan) throws ImageException;

    /** A failure to decode or process an image. */
    final class ImageException extends Exception {
        public ImageException(String message) {
            super(message);
        }

        public ImageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

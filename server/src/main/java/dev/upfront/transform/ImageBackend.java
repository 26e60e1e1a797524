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
     * The pixels {@code source}'s header declares for what {@link #render} decodes (its first frame or page), read
     * without decoding any: what a render will cost in memory, whatever inspection recorded.
     *
     * @throws ImageException when the header cannot be read
     */
    long pixels(byte[] source) throws ImageException;

    /**
     * Decodes {@code source}, applies the plan's operations in order, and encodes the result, stopping soon after
     * {@code deadline} passes or is cancelled (then with an {@link ImageException}).
     *
     * @throws ImageException when the bytes cannot be decoded or processed (answered as a 4xx), or the deadline passed
     */
    byte[] render(byte[] source, Plan plan, Deadline deadline) throws ImageException;

    /** {@link #render(byte[], Plan, Deadline)} without a time limit. */
    default byte[] render(byte[] source, Plan plan) throws ImageException {
        return render(source, plan, Deadline.none());
    }

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

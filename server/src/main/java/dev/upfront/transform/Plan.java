package dev.upfront.transform;

import java.util.List;

/**
 * Everything a backend needs to render: the operations in order, and how to encode the result.
 *
 * @param background RGBA used to flatten transparency when the output format has none (JPEG)
 * @param width the output width the operations produce (known in advance)
 */
public record Plan(List<Op> ops, Step.Format format, int quality, long background, int width, int height) {
    public Plan {
        ops = List.copyOf(ops);
        if (format == Step.Format.AUTO) {
            throw new IllegalArgumentException("resolve the format before planning");
        }
    }
}

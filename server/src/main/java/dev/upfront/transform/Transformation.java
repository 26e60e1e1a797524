package dev.upfront.transform;

import java.util.List;

/**
 * A parsed transformation chain: steps applied in order. {@link #canonical()} is a normal form (fixed key order,
 * named transformations expanded) used as the derived-image cache key, so {@code h-2,w-1} and {@code w-1,h-2}
 * share one cached result.
 *
 * @param namedOnly every step came from a named transformation (those work unsigned on private files)
 */
public record Transformation(List<Step> steps, String canonical, boolean namedOnly) {
    public static final Transformation NONE = new Transformation(List.of(), "", false);

    public Transformation {
        steps = List.copyOf(steps);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** {@code orig-true} anywhere: serve the original bytes untouched. */
    public boolean original() {
        return steps.stream().anyMatch(Step::original);
    }

    /** The output format the chain asks for (the last {@code f-} wins), or AUTO. */
    public Step.Format format() {
        Step.Format f = Step.Format.AUTO;
        for (Step s : steps) {
            if (s.format() != null) {
                f = s.format();
            }
        }
        return f;
    }

    /** The quality the chain asks for (the last {@code q-} wins), or null for the default. */
    public Integer quality() {
        Integer q = null;
        for (Step s : steps) {
            if (s.quality() != null) {
                q = s.quality();
            }
        }
        return q;
    }
}

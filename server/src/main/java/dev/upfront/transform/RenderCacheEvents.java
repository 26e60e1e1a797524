package dev.upfront.transform;

/**
 * What the rendering cache of {@link DerivedImages} reports to an observer (the metrics). Called on request and
 * render threads, so implementations must be cheap and never throw.
 */
public interface RenderCacheEvents {
    RenderCacheEvents NONE = new RenderCacheEvents() {
        @Override
        public void hit() {}

        @Override
        public void miss() {}

        @Override
        public void evicted(int renderings) {}
    };

    /** A request was served a rendering already in the cache. */
    void hit();

    /** A request found no rendering in the cache (it rendered, or waited for a render in flight). */
    void miss();

    /** Renderings were dropped to keep the cache within its cap (not when a deleted version's renderings go). */
    void evicted(int renderings);
}

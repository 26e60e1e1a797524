package dev.upfront.metrics;

import dev.upfront.transform.RenderCacheEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Hits, misses and evictions of the derived-image cache. */
public final class RenderCacheMetrics implements RenderCacheEvents {
    private final Counter hits;
    private final Counter misses;
    private final Counter evictions;

    RenderCacheMetrics(MeterRegistry registry) {
        hits = counter(registry, "hit", "Requests served a cached rendering");
        misses = counter(registry, "miss", "Requests that found no cached rendering");
        evictions = Counter.builder("upfront.render.cache.evictions").description("Renderings dropped to keep the cache within its cap")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String result, String description) {
        return Counter.builder("upfront.render.cache.requests").description(description).tag("result", result).register(registry);
    }

    @Override
    public void hit() {
        hits.increment();
    }

    @Override
    public void miss() {
        misses.increment();
    }

    @Override
    public void evicted(int renderings) {
        evictions.increment(renderings);
    }
}

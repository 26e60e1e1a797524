package dev.upfront.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The server's meters, in Micrometer's Prometheus registry, and their text exposition for {@code GET /metrics}.
 * JVM, process and Jetty thread pool meters come from Micrometer's binders; the server's own meters are made by
 * {@link HttpMetrics}, and the gauges and function counters below read a value at scrape time.
 */
public final class Metrics implements AutoCloseable {
    /** The Prometheus text format this registry writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final HttpMetrics http = new HttpMetrics(registry);
    private final List<Object> sources = new CopyOnWriteArrayList<>();

    public Metrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public HttpMetrics http() {
        return http;
    }

    /**
     * Hits, misses and evictions of the rendering cache, read from the totals it keeps.
     *
     * @param hits lookups that found a rendering
     * @param misses lookups that found none (the request rendered, or waited for a render in flight)
     * @param evictions renderings dropped to keep the cache within its cap
     */
    public void renderCache(LongSupplier hits, LongSupplier misses, LongSupplier evictions) {
        sources.add(hits);
        sources.add(misses);
        sources.add(evictions);
        FunctionCounter.builder("upfront.render.cache.requests", hits, h -> h.getAsLong()).tag("result", "hit")
                .description("Rendering cache lookups by result").register(registry);
        FunctionCounter.builder("upfront.render.cache.requests", misses, m -> m.getAsLong()).tag("result", "miss")
                .description("Rendering cache lookups by result").register(registry);
        FunctionCounter.builder("upfront.render.cache.evictions", evictions, e -> e.getAsLong())
                .description("Renderings dropped to keep the cache within its cap").register(registry);
    }

    /** The one-time upload tokens (and JWT ids) remembered until they expire. */
    public void tokenStoreSize(LongSupplier size) {
        Gauge.builder("upfront.tokens.stored", size, s -> s.getAsLong())
                .description("One-time upload tokens remembered until they expire")
                .strongReference(true) // the supplier is a method reference nothing else holds
                .register(registry);
    }

    /** Renders waiting for a render thread: bind it to the render queue of the derived-image cache. */
    public void renderQueueDepth(IntSupplier depth) {
        Gauge.builder("upfront.render.queue.depth", depth, d -> d.getAsInt())
                .description("Renders waiting for a render thread")
                .strongReference(true)
                .register(registry);
    }

    /** Busy, idle and queued threads of the HTTP server's pool. */
    public void httpThreadPool(ThreadPool pool) {
        new JettyServerThreadPoolMetrics(pool, Tags.empty()).bindTo(registry);
    }

    /** Bytes the HTTP server read from request bodies and wrote in responses, as totals it keeps. */
    public void httpBytes(LongSupplier received, LongSupplier sent) {
        // Function counters hold their source weakly, and these method references are held nowhere else.
        sources.add(received);
        sources.add(sent);
        FunctionCounter.builder("upfront.http.received", received, r -> r.getAsLong()).baseUnit("bytes")
                .description("Request body bytes read").register(registry);
        FunctionCounter.builder("upfront.http.sent", sent, s -> s.getAsLong()).baseUnit("bytes")
                .description("Response bytes written").register(registry);
    }

    /**
     * Counts one webhook delivery attempt by its outcome: {@code delivered}, {@code retry} (failed, tried again
     * later), {@code gone} (the endpoint answered 410) or {@code failed} (given up).
     */
    public void webhookDelivery(String outcome) {
        Counter.builder("upfront.webhook.deliveries").tag("result", outcome)
                .description("Webhook delivery attempts by outcome").register(registry).increment();
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}

package dev.upfront.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-request meters. Every label comes from a small closed set: the route's template (never the raw path),
 * the method, the status, our error {@code code}, so the number of series stays bounded whatever clients send.
 */
public final class HttpMetrics {
    /** Histogram buckets of request latency: from a cached delivery to a large upload. */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterRegistry registry;
    /** Timers by method, route and status: found without building and sorting tags on every request. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    private final Counter inline;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.inline = Counter.builder("upfront.http.inline")
                .description("Requests answered from memory on an I/O thread, without a thread of their own")
                .register(registry);
    }

    /** A request answered inline (a delivery hit held in memory); it is also counted by {@link #request}. */
    public void inline() {
        inline.increment();
    }

    /**
     * A finished request: {@code route} is the matched template, e.g. {@code /v1/files/{fileId}/details}. A method
     * outside HTTP's usual ones counts as {@code OTHER}: clients may send any token as a method, and each new one
     * would otherwise be a series of its own, kept for ever.
     */
    public void request(String method, String route, int status, long nanos) {
        String known = KNOWN_METHODS.contains(method) ? method : "OTHER";
        timers.computeIfAbsent(known + ' ' + status + ' ' + route, key -> Timer.builder("upfront.http.requests")
                        .description("HTTP requests by route template, method and status")
                        .tags("method", known, "route", route, "status", Integer.toString(status))
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** An error answer, by our error code (e.g. {@code FILE_TOO_LARGE}). */
    public void error(String code) {
        Counter.builder("upfront.errors").description("Error answers by code").tag("code", code)
                .register(registry).increment();
    }

    /**
     * An upload request's outcome: {@code auth} is {@code basic}, {@code signature} (v1 client-side) or {@code jwt}
     * (v2 client-side); {@code result} is {@code success} or the error code.
     */
    public void upload(String auth, String result) {
        Counter.builder("upfront.uploads").description("Upload requests by authentication method and result")
                .tags("auth", auth, "result", result)
                .register(registry).increment();
    }
}

package dev.upfront.http;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.metrics.Metrics;
import dev.upfront.metrics.MetricsAccess;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the Prometheus text exposition, behind a bearer token when one is configured. */
final class MetricsRoutes {
    private final Metrics metrics;
    private final MetricsAccess access;

    MetricsRoutes(Metrics metrics, MetricsAccess access) {
        this.metrics = metrics;
        this.access = access;
    }

    void register(Router router) {
        router.add("GET", "/metrics", this::scrape);
    }

    private void scrape(Exchange ex) throws Exception {
        if (!access.allows(ex.header("Authorization"))) {
            ex.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
            throw new ApiException(ErrorCode.METRICS_UNAUTHORIZED);
        }
        byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        ex.setHeader("Content-Type", Metrics.CONTENT_TYPE);
        ex.setHeader("Cache-Control", "no-store");
        ex.stream(200, text.length, new ByteArrayInputStream(text));
    }
}

package dev.upfront.http;

import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import dev.upfront.metrics.HttpMetrics;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Every request passes here: it gets a request id (also in the logging MDC as {@code requestId}, so every log line
 * of the request carries it), CORS headers, its route, errors rendered by {@link ErrorRenderer}, its meters, and
 * one log line (method, path without query, status, time; never headers or bodies). Runs blocking on a virtual
 * thread.
 */
final class AppHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger("dev.upfront.access");
    static final String MDC_REQUEST_ID = "requestId";

    private final Router router;
    private final Cors cors;
    private final HttpMetrics metrics;

    AppHandler(Router router, Cors cors, HttpMetrics metrics) {
        this.router = router;
        this.cors = cors;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String requestId = Ids.requestId();
        MDC.put(MDC_REQUEST_ID, requestId);
        Exchange ex = new Exchange(request, response, requestId, callback);
        ex.setHeader("x-request-id", requestId);
        ex.setHeader("x-ik-requestid", requestId);
        try {
            cors.apply(ex, ex.header("Origin"));
            if (Cors.isPreflight(ex)) {
                ex.route("preflight");
                cors.preflight(ex);
            } else {
                router.resolve(ex).handle(ex);
            }
            if (!ex.handedOff()) {
                callback.succeeded();
            }
        } catch (Throwable failure) {
            if (ErrorRenderer.render(ex, failure)) {
                callback.succeeded();
            } else {
                callback.failed(failure); // a response already under way: abort the connection
            }
        } finally {
            long nanos = System.nanoTime() - start;
            log.info("{} {} {} {}ms requestId={}", request.getMethod(), ex.path(), response.getStatus(), nanos / 1_000_000, requestId);
            record(ex, response.getStatus(), ex.error(), nanos);
            MDC.remove(MDC_REQUEST_ID);
        }
        return true;
    }

    private void record(Exchange ex, int status, ErrorCode error, long nanos) {
        metrics.request(ex.method(), ex.route(), status, nanos);
        if (error != null) {
            metrics.error(error.name());
        }
        if (ex.route().endsWith("/files/upload")) {
            metrics.upload(uploadAuth(ex), error == null ? "success" : error.name());
        }
    }

    /** How an upload authenticated: a Basic header (server-side), else v1 signature fields or a v2 JWT. */
    private static String uploadAuth(Exchange ex) {
        String authorization = ex.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "basic";
        }
        return ex.route().startsWith("/api/v2/") ? "jwt" : "signature";
    }
}

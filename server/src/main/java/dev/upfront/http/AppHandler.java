package dev.upfront.http;

import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import dev.upfront.metrics.HttpMetrics;
import java.util.concurrent.Executor;
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
 * one log line (method, path without query, status, time; never headers or bodies).
 *
 * <p>Two lanes. Jetty calls this on the connection's I/O thread (the handler says it never blocks). A route's
 * {@link InlineRoute} may answer there and then, from memory; every other request, and every one it declines, is
 * handed to a virtual thread of its own, where the route may block freely (uploads stream to disk, the database is
 * JDBC).
 */
final class AppHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger("dev.upfront.access");
    static final String MDC_REQUEST_ID = "requestId";
    /**
     * Every so many requests of one connection take the blocking lane even when they could be answered inline:
     * a client pipelining hits would otherwise keep an I/O thread, and the other connections it serves, to itself.
     */
    private static final long INLINE_RUN = 16;
    /** Bytes of an unread request body read and dropped after an error answer, to keep the connection. */
    private static final long UNREAD_BODY_READ = 64 * 1024;

    private final Router router;
    private final Cors cors;
    private final HttpMetrics metrics;
    private final Executor blocking;

    /** @param blocking runs each request that is not answered inline, on a thread that may block */
    AppHandler(Router router, Cors cors, HttpMetrics metrics, Executor blocking) {
        super(InvocationType.NON_BLOCKING);
        this.router = router;
        this.cors = cors;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Completion done = new Completion(callback, System.nanoTime());
        Exchange ex = new Exchange(request, response, Ids.requestId(), done);
        done.exchange = ex;
        Route route;
        InlineRoute inline = null;
        if (Cors.isPreflight(ex)) {
            route = cors::preflight;
            ex.route("preflight");
        } else {
            try {
                Router.Match match = router.resolve(ex);
                route = match.route();
                inline = match.inline();
            } catch (RuntimeException unrouted) {
                route = _ -> {
                    throw unrouted; // 404 or 405, written by the blocking lane like every error
                };
            }
        }
        if (inline != null && request.getConnectionMetaData().getConnection().getMessagesIn() % INLINE_RUN != 0
                && answeredInline(ex, inline)) {
            return true;
        }
        Route chosen = route;
        blocking.execute(() -> handleBlocking(ex, chosen, done));
        return true;
    }

    /** Tries the inline lane; false when it declined (or failed) having written nothing. */
    private boolean answeredInline(Exchange ex, InlineRoute inline) {
        MDC.put(MDC_REQUEST_ID, ex.requestId());
        try {
            begin(ex);
            if (!inline.tryAnswer(ex)) {
                return false;
            }
            metrics.inline();
            return true;
        } catch (RuntimeException e) {
            return ex.handedOff(); // unexpected: unless it was answered, the blocking lane answers it, errors included
        } finally {
            MDC.remove(MDC_REQUEST_ID);
        }
    }

    private void handleBlocking(Exchange ex, Route route, Callback done) {
        MDC.put(MDC_REQUEST_ID, ex.requestId());
        try {
            begin(ex);
            route.handle(ex);
            if (!ex.handedOff()) {
                done.succeeded();
            }
        } catch (Throwable failure) {
            // A refusal may come before the request's body did (a form refused by its Origin header). Left unread,
            // Jetty would close the connection after an answer that promised to keep it, and a client pooling
            // connections could send its next request into the closing socket. A small body is read instead; a large
            // one is not, and the answer says the connection closes.
            boolean readRest = ex.request().getLength() <= UNREAD_BODY_READ;
            if (!readRest && !ex.committed()) {
                ex.setHeader("Connection", "close");
            }
            if (ErrorRenderer.render(ex, failure)) {
                if (readRest) {
                    ex.discardBody(UNREAD_BODY_READ);
                }
                done.succeeded();
            } else {
                done.failed(failure); // a response already under way: abort the connection
            }
        } finally {
            MDC.remove(MDC_REQUEST_ID);
        }
    }

    /**
     * Completes a request: its log line and meters first, while the request and response can still be read (Jetty
     * may reuse them for the connection's next request once told), then Jetty. A response written without blocking
     * may complete later, on an I/O thread.
     */
    private final class Completion implements Callback {
        private final Callback jetty;
        private final long start;
        private Exchange exchange;

        Completion(Callback jetty, long start) {
            this.jetty = jetty;
            this.start = start;
        }

        @Override
        public void succeeded() {
            try {
                finishQuietly();
            } finally {
                jetty.succeeded();
            }
        }

        @Override
        public void failed(Throwable failure) {
            try {
                finishQuietly();
            } finally {
                jetty.failed(failure);
            }
        }

        /** The log line and meters; a failure there must not keep Jetty from completing the request. */
        private void finishQuietly() {
            try {
                finish(exchange, start);
            } catch (RuntimeException e) {
                log.warn("Could not record request {}: {}", exchange.requestId(), e.toString());
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return jetty.getInvocationType();
        }
    }

    /** The headers every answer carries; setting them twice (a declined inline answer) changes nothing. */
    private void begin(Exchange ex) {
        ex.setHeader("x-request-id", ex.requestId());
        ex.setHeader("x-ik-requestid", ex.requestId());
        cors.apply(ex, ex.header("Origin"));
    }

    private void finish(Exchange ex, long start) {
        long nanos = System.nanoTime() - start;
        int status = ex.status();
        MDC.put(MDC_REQUEST_ID, ex.requestId()); // also when a write completes on an I/O thread
        try {
            log.info("{} {} {} {}ms requestId={}", ex.method(), ex.path(), status, nanos / 1_000_000, ex.requestId());
        } finally {
            MDC.remove(MDC_REQUEST_ID);
        }
        record(ex, status, ex.error(), nanos);
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

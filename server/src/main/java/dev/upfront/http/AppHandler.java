package dev.upfront.http;

import dev.upfront.ids.Ids;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request passes here: it gets a request id, CORS headers, its route, errors rendered by
 * {@link ErrorRenderer}, and one log line (method, path without query, status, time; never headers or bodies).
 * Runs blocking on a virtual thread.
 */
final class AppHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger("dev.upfront.access");

    private final Router router;
    private final Cors cors;

    AppHandler(Router router, Cors cors) {
        this.router = router;
        this.cors = cors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String requestId = Ids.requestId();
        Exchange ex = new Exchange(request, response, requestId);
        ex.setHeader("x-request-id", requestId);
        ex.setHeader("x-ik-requestid", requestId);
        try {
            cors.apply(ex, ex.header("Origin"));
            if (Cors.isPreflight(ex)) {
                cors.preflight(ex);
            } else {
                router.resolve(ex).handle(ex);
            }
            callback.succeeded();
        } catch (Throwable failure) {
            if (ErrorRenderer.render(ex, failure)) {
                callback.succeeded();
            } else {
                callback.failed(failure); // a response already under way: abort the connection
            }
        } finally {
            log.info("{} {} {} {}ms requestId={}", request.getMethod(), ex.path(), response.getStatus(),
                    (System.nanoTime() - start) / 1_000_000, requestId);
        }
        return true;
    }
}

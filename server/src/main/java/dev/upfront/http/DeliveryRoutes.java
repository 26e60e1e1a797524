package dev.upfront.http;

import dev.upfront.delivery.DeliveryService;
import dev.upfront.delivery.DeliveryService.Delivery;
import dev.upfront.delivery.Urls;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.util.URIUtil;

/**
 * Delivery at {@code <urlEndpoint path>/[tr:<transformation>/]<filePath>}: takes the request apart, lets
 * {@link DeliveryService} decide, and writes what it decided (304, a range, or the whole body).
 *
 * <p>A hit whose whole answer is in memory (a small hot body, or a 304 for one) is answered inline, on the
 * connection's I/O thread, with no hand-over to a request thread: in the cached-hits benchmark that hand-over and
 * the wake-ups it causes cost more than the hit itself. Everything else (ranges, errors, misses) runs on the route's
 * own thread.
 */
final class DeliveryRoutes {
    private final DeliveryService delivery;
    private final Urls urls;

    DeliveryRoutes(DeliveryService delivery, Urls urls) {
        this.delivery = delivery;
        this.urls = urls;
    }

    void register(Router router) {
        router.add("GET", urls.deliveryPath() + "/**", this::serve, this::serveFromMemory);
    }

    private boolean serveFromMemory(Exchange ex) {
        if (ex.header("Range") != null) {
            return false; // rare, and its errors are written by the route
        }
        Optional<Delivery> kept = delivery.deliverFromMemory(request(ex));
        if (kept.isEmpty()) {
            return false;
        }
        Delivery d = kept.get();
        setHeaders(ex, d);
        ex.send(d.notModified() ? 304 : 200, d.notModified() ? ByteBuffer.allocate(0) : d.memory());
        return true;
    }

    private void serve(Exchange ex) throws IOException {
        Delivery d = delivery.deliver(request(ex));
        setHeaders(ex, d);
        if (d.notModified()) {
            ex.empty(304);
            return;
        }
        writeBody(ex, d);
    }

    /** The request taken apart for {@link DeliveryService}. */
    private DeliveryService.Request request(Exchange ex) {
        String signedText = rawPathAfterEndpoint(ex);
        String rest = ex.path().substring(urls.deliveryPath().length());
        String pathTransformation = null;
        if (rest.startsWith("/tr:")) {
            int slash = rest.indexOf('/', 1);
            if (slash < 0) {
                throw new ApiException(ErrorCode.FILE_NOT_FOUND);
            }
            pathTransformation = rest.substring(4, slash);
            rest = rest.substring(slash);
        }
        return new DeliveryService.Request(rest, signedText, ex.rawQuery(),
                join(pathTransformation, ex.queryParam("tr")), ex.queryParam("ik-obj-version"),
                "true".equals(ex.queryParam("ik-attachment")), ex.header("Accept"), ex.header("If-None-Match"),
                ex.ifModifiedSince());
    }

    /**
     * The raw path after the endpoint: the text a signed URL signs. The file is found by Jetty's decoded path, which
     * drops {@code ;parameters} and resolves dot segments ({@code /media;tr:w-10/a.jpg} decodes to {@code /media/a.jpg}).
     * A request is served only when both name the same thing, so a signature made for one path never serves another.
     */
    private String rawPathAfterEndpoint(Exchange ex) {
        String raw = ex.rawPath();
        String prefix = urls.deliveryPath() + "/";
        // Without a '%' the raw path is its own decoding (the common case, and no decoding to pay for on a hot hit).
        String decoded = raw.indexOf('%') < 0 ? raw : URIUtil.decodePath(raw);
        if (!raw.startsWith(prefix) || raw.indexOf(';') >= 0 || !decoded.equals(ex.path())) {
            throw new ApiException(ErrorCode.FILE_NOT_FOUND);
        }
        return raw.substring(prefix.length());
    }

    private static void setHeaders(Exchange ex, Delivery d) {
        for (Map.Entry<String, String> h : d.headers().entrySet()) {
            ex.setHeader(h.getKey(), h.getValue());
        }
        if (d.lastModified() != null) {
            ex.setHeader("Last-Modified", DateGenerator.formatDate(d.lastModified()));
        }
        if (d.varyAccept()) {
            ex.addHeader("Vary", "Accept"); // added: CORS may already have set Vary: Origin
        }
    }

    private void writeBody(Exchange ex, Delivery d) throws IOException {
        long size = d.size();
        long[] range = ByteRange.parse(ex.header("Range"), size, ex.header("If-Range"), d.etag());
        if (range == ByteRange.UNSATISFIABLE) {
            ex.setHeader("Content-Range", "bytes */" + size);
            throw new ApiException(ErrorCode.RANGE_NOT_SATISFIABLE);
        }
        if (range != null) {
            ex.setHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
            if (d.memory() != null) {
                ex.send(206, d.memory().slice((int) range[0], (int) (range[1] - range[0] + 1)));
                return;
            }
            ex.stream(206, range[1] - range[0] + 1, d.blob().open(range[0], range[1] - range[0] + 1));
            return;
        }
        if (d.memory() != null) {
            ex.send(200, d.memory()); // a small hot body: written from memory without blocking
            return;
        }
        ex.stream(200, size, d.blob().open(0, size));
    }

    private static String join(String a, String b) {
        if (a == null || a.isEmpty()) {
            return b;
        }
        return b == null || b.isEmpty() ? a : a + ":" + b;
    }
}

package dev.upfront.http;

import dev.upfront.delivery.DeliveryService;
import dev.upfront.delivery.DeliveryService.Delivery;
import dev.upfront.delivery.Urls;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.http.DateGenerator;

/**
 * Delivery at {@code <urlEndpoint path>/[tr:<transformation>/]<filePath>}: takes the request apart, lets
 * {@link DeliveryService} decide, and writes what it decided (304, a range, or the whole body).
 */
final class DeliveryRoutes {
    private final DeliveryService delivery;
    private final Urls urls;

    DeliveryRoutes(DeliveryService delivery, Urls urls) {
        this.delivery = delivery;
        this.urls = urls;
    }

    void register(Router router) {
        router.add("GET", urls.deliveryPath() + "/**", this::serve);
    }

    private void serve(Exchange ex) throws IOException {
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
        Delivery d = delivery.deliver(new DeliveryService.Request(rest,
                ex.rawPath().substring(urls.deliveryPath().length() + 1), ex.rawQuery(),
                join(pathTransformation, ex.queryParam("tr")), ex.queryParam("ik-obj-version"),
                "true".equals(ex.queryParam("ik-attachment")), ex.header("Accept"), ex.header("If-None-Match"),
                ex.ifModifiedSince()));
        for (Map.Entry<String, String> h : d.headers().entrySet()) {
            ex.setHeader(h.getKey(), h.getValue());
        }
        if (d.lastModified() != null) {
            ex.setHeader("Last-Modified", DateGenerator.formatDate(d.lastModified()));
        }
        if (d.varyAccept()) {
            ex.addHeader("Vary", "Accept"); // added: CORS may already have set Vary: Origin
        }
        if (d.notModified()) {
            ex.empty(304);
            return;
        }
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

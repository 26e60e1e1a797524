package dev.upfront.http;

import java.io.IOException;
import java.util.List;

/**
 * CORS for browser uploads (reference §2.9): any SDK path with a progress listener sends a preflight, and the
 * SDKs read {@code x-request-id} from the response, so it is exposed.
 */
public final class Cors {
    private static final String EXPOSED = "x-request-id, x-ik-requestid";
    private final List<String> origins;

    public Cors(List<String> origins) {
        this.origins = List.copyOf(origins);
    }

    /** Adds the response headers for a request from {@code origin} (may be null). */
    void apply(Exchange ex, String origin) {
        if (origins.contains("*")) {
            ex.setHeader("Access-Control-Allow-Origin", "*");
        } else if (origin != null && origins.contains(origin)) {
            ex.setHeader("Access-Control-Allow-Origin", origin);
            ex.setHeader("Vary", "Origin");
        } else {
            return;
        }
        ex.setHeader("Access-Control-Expose-Headers", EXPOSED);
    }

    /** Whether this is a preflight request, which is answered here and never routed. */
    static boolean isPreflight(Exchange ex) {
        return ex.method().equals("OPTIONS") && ex.header("Access-Control-Request-Method") != null;
    }

    void preflight(Exchange ex) throws IOException {
        String requested = ex.header("Access-Control-Request-Headers");
        ex.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        ex.setHeader("Access-Control-Allow-Headers",
                requested == null || requested.isBlank() ? "Authorization, Content-Type, X-Requested-With" : requested);
        ex.setHeader("Access-Control-Max-Age", "86400");
        ex.empty(204);
    }
}

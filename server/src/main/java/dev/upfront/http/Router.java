package dev.upfront.http;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps method + path to a {@link Route}. Patterns are literal segments and {@code {name}} segments; a pattern
 * ending in {@code /**} matches any rest of the path (delivery). Routes are tried in the order they were added.
 */
public final class Router {
    private record Entry(String method, String pattern, String[] segments, boolean prefix, Route route, InlineRoute inline) {}

    /** A matched route: its handler, and what may answer it at once from memory (null: nothing). */
    record Match(Route route, InlineRoute inline) {}

    private final List<Entry> entries = new ArrayList<>();

    public Router add(String method, String pattern, Route route) {
        return add(method, pattern, route, null);
    }

    /** A route whose requests {@code inline} may answer first, from memory (see {@link InlineRoute}). */
    Router add(String method, String pattern, Route route, InlineRoute inline) {
        boolean prefix = pattern.endsWith("/**");
        String path = prefix ? pattern.substring(0, pattern.length() - 3) : pattern;
        entries.add(new Entry(method, pattern, split(path), prefix, route, inline));
        return this;
    }

    /** The route for the request, its path parameters set on the exchange. */
    Match resolve(Exchange exchange) {
        String method = exchange.method().equals("HEAD") ? "GET" : exchange.method();
        String[] path = split(exchange.path());
        boolean pathMatched = false;
        for (Entry e : entries) {
            Optional<Map<String, String>> params = match(e, path);
            if (params.isEmpty()) {
                continue;
            }
            pathMatched = true;
            if (e.method.equals(method)) {
                exchange.pathParams(params.get());
                exchange.route(e.pattern);
                return new Match(e.route, e.inline);
            }
        }
        if (pathMatched) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, exchange.method());
        }
        throw new ApiException(ErrorCode.ROUTE_NOT_FOUND);
    }

    private static Optional<Map<String, String>> match(Entry e, String[] path) {
        if (e.prefix ? path.length < e.segments.length : path.length != e.segments.length) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < e.segments.length; i++) {
            String s = e.segments[i];
            if (s.startsWith("{") && s.endsWith("}")) {
                params.put(s.substring(1, s.length() - 1), path[i]);
            } else if (!s.equals(path[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}

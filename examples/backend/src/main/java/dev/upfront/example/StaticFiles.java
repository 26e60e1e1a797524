package dev.upfront.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the client pages from the classpath folder {@code public/} at {@code /} ({@code /} is index.html). In HTML
 * pages each placeholder key is replaced by its value (the jQuery samples need the server's URL and the public key
 * written into them, as a customer would write their own).
 */
final class StaticFiles implements HttpHandler {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json", "png", "image/png", "svg", "image/svg+xml",
            "ico", "image/x-icon");

    private final Map<String, String> placeholders;

    StaticFiles(Map<String, String> placeholders) {
        this.placeholders = Map.copyOf(placeholders);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                Http.error(ex, 405, "Only GET.");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("/")) {
                path += "index.html";
            }
            if (path.contains("..") || path.contains("//") || path.contains("\\")) {
                Http.error(ex, 404, "Not found.");
                return;
            }
            String ext = path.substring(path.lastIndexOf('.') + 1);
            try (InputStream in = StaticFiles.class.getResourceAsStream("/public" + path)) {
                if (in == null || !TYPES.containsKey(ext)) {
                    Http.error(ex, 404, "Not found.");
                    return;
                }
                ex.getResponseHeaders().set("Content-Type", TYPES.get(ext));
                ex.getResponseHeaders().set("Cache-Control", "no-cache");
                byte[] bytes = in.readAllBytes();
                if (ext.equals("html")) {
                    bytes = fillIn(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                if (method.equals("HEAD")) {
                    ex.sendResponseHeaders(200, -1);
                } else {
                    Http.send(ex, 200, bytes);
                }
            }
        }
    }

    private String fillIn(String page) {
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            page = page.replace(p.getKey(), p.getValue());
        }
        return page;
    }
}

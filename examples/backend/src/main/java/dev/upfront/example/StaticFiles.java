package dev.upfront.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Serves the client pages from the classpath folder {@code public/} at {@code /} ({@code /} is index.html). */
final class StaticFiles implements HttpHandler {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json", "png", "image/png", "svg", "image/svg+xml",
            "ico", "image/x-icon");

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
                if (method.equals("HEAD")) {
                    ex.sendResponseHeaders(200, -1);
                } else {
                    Http.send(ex, 200, bytes);
                }
            }
        }
    }
}

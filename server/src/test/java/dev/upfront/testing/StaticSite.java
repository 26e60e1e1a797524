package dev.upfront.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A second web origin for browser tests: a tiny HTTP server on 127.0.0.1 (another port than the Upfront server,
 * so the browser treats them as different origins and CORS is exercised for real) that serves static files, with
 * placeholders in {@code .html} files replaced, and routes the test defines (e.g. the customer's {@code /auth}).
 */
public final class StaticSite implements AutoCloseable {
    /** What a route gets: method, raw query, body. */
    public record Request(String method, String query, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What a route answers. */
    public record Response(int status, String contentType, byte[] body) {
        public static Response json(String json) {
            return new Response(200, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    @FunctionalInterface
    public interface Route {
        Response handle(Request request) throws Exception;
    }

    private interface Answer {
        Response get() throws Exception;
    }

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "png", "image/png", "jpg", "image/jpeg", "json", "application/json; charset=utf-8");

    private final HttpServer server;
    private final Map<String, String> replacements = new LinkedHashMap<>();

    private StaticSite(HttpServer server) {
        this.server = server;
    }

    public static StaticSite start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return new StaticSite(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** In every {@code .html} file served from now on, {@code placeholder} becomes {@code value}. */
    public StaticSite replace(String placeholder, String value) {
        replacements.put(placeholder, value);
        return this;
    }

    /** Serves the files under {@code dir} at {@code prefix} (e.g. {@code /} or {@code /bundles/}). */
    public StaticSite files(String prefix, Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        server.createContext(prefix, ex -> answer(ex, () -> {
            Path file = root.resolve(ex.getRequestURI().getPath().substring(prefix.length())).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                return new Response(404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
            String name = file.getFileName().toString();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            byte[] bytes = Files.readAllBytes(file);
            if (extension.equals("html")) {
                String text = new String(bytes, StandardCharsets.UTF_8);
                for (var r : replacements.entrySet()) {
                    text = text.replace(r.getKey(), r.getValue());
                }
                bytes = text.getBytes(StandardCharsets.UTF_8);
            }
            return new Response(200, TYPES.getOrDefault(extension, "application/octet-stream"), bytes);
        }));
        return this;
    }

    public StaticSite route(String path, Route route) {
        server.createContext(path, ex -> answer(ex, () -> route.handle(
                new Request(ex.getRequestMethod(), ex.getRequestURI().getRawQuery(), ex.getRequestBody().readAllBytes()))));
        return this;
    }

    private static void answer(HttpExchange ex, Answer answer) throws IOException {
        Response r;
        try {
            r = answer.get();
        } catch (Exception e) {
            r = new Response(500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
        }
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        try (var out = ex.getResponseBody()) {
            out.write(r.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.upfront.example;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Small response helpers shared by the example's handlers: CORS on every answer, JSON bodies. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The headers the guide's sample clients send with their credential requests. */
    static final String ALLOWED_HEADERS = "Authorization, CustomHeader, Content-Type";

    private Http() {}

    static void cors(HttpExchange ex) {
        ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
    }

    /** Answers a CORS preflight: any origin, the listed methods and the sample clients' headers. */
    static void preflight(HttpExchange ex, String methods) throws IOException {
        cors(ex);
        ex.getResponseHeaders().set("Access-Control-Allow-Methods", methods);
        ex.getResponseHeaders().set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        ex.getResponseHeaders().set("Access-Control-Max-Age", "600");
        ex.sendResponseHeaders(204, -1);
        ex.close();
    }

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        cors(ex);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, status, bytes);
    }

    static void error(HttpExchange ex, int status, String message) throws IOException {
        json(ex, status, Map.of("message", message));
    }

    static void send(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The request body, up to {@code limit} bytes; null when it is longer. */
    static byte[] body(HttpExchange ex, int limit) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(limit + 1);
            return bytes.length > limit ? null : bytes;
        }
    }
}

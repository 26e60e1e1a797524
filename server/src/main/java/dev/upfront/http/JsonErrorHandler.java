package dev.upfront.http;

import dev.upfront.json.Json;
import dev.upfront.metrics.HttpMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches our routes (a malformed or ambiguous URI, oversized headers, a
 * bad HTTP version) get the same JSON envelope as ours instead of Jetty's HTML page. No detail of the failure is
 * echoed back.
 *
 * <p>Each answer says {@code Connection: close}. Jetty closes the connection after some of them (a path escaping the
 * root, a request the parser refused), and a keep-alive client that was not told would send its next request into
 * the closed connection (Node's agent then gets ECONNRESET). These errors are rare enough that closing after every
 * one costs nothing.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final HttpMetrics metrics;

    JsonErrorHandler(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        byte[] body = body(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8"));
        fields.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        return ByteBuffer.wrap(body(status));
    }

    private byte[] body(int status) {
        metrics.error(code(status));
        Map<String, Object> body = new LinkedHashMap<>();
        String reason = HttpStatus.getMessage(status);
        body.put("message", "The request could not be processed: " + (reason == null ? "HTTP " + status : reason) + ".");
        body.put("help", ErrorRenderer.HELP);
        body.put("code", code(status));
        return Json.writeBytes(body);
    }

    private static String code(int status) {
        return "HTTP_" + status;
    }
}

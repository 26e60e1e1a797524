package dev.upfront.http;

import dev.upfront.error.ErrorCode;
import dev.upfront.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.eclipse.jetty.http.DateParser;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request and its response, as route handlers see it. Routes run on a virtual thread and may block; every write
 * here but {@link #send} blocks until the bytes are handed to the connection. An {@link InlineRoute} may use
 * {@link #send} only.
 */
public final class Exchange {
    /** The route label of a request that matched no route. */
    static final String UNMATCHED = "unmatched";

    private final Request request;
    private final Response response;
    private final String requestId;
    private Map<String, String> pathParams = Map.of();
    private String route = UNMATCHED;
    private ErrorCode error;
    private Fields query;
    private InputStream body;
    private final Callback done;
    private boolean handedOff;

    /** @param done completes the request: {@link #send} hands it to Jetty, otherwise the caller completes it */
    Exchange(Request request, Response response, String requestId, Callback done) {
        this.request = request;
        this.response = response;
        this.requestId = requestId;
        this.done = done;
    }

    public Request request() {
        return request;
    }

    public String requestId() {
        return requestId;
    }

    public String method() {
        return request.getMethod();
    }

    /** The decoded path, e.g. {@code /v1/files/abc/details}. */
    public String path() {
        return request.getHttpURI().getDecodedPath();
    }

    /** The path exactly as received, still percent-encoded. */
    public String rawPath() {
        return request.getHttpURI().getPath();
    }

    /** The query exactly as received, or null. */
    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    public String queryParam(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query.getValue(name);
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The If-Modified-Since header as an instant, or null when it is absent or not a date. */
    public Instant ifModifiedSince() {
        String since = header("If-Modified-Since");
        long millis = since == null ? -1 : DateParser.parseDate(since);
        return millis < 0 ? null : Instant.ofEpochMilli(millis);
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    /** The pattern of the matched route, e.g. {@code /v1/files/{fileId}/details}: a bounded label, unlike the path. */
    /** The error this request was answered with, or null: set by {@link ErrorRenderer}, read for the metrics. */
    public ErrorCode error() {
        return error;
    }

    void error(ErrorCode code) {
        this.error = code;
    }

    public String route() {
        return route;
    }

    void route(String pattern) {
        this.route = pattern;
    }

    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** Adds a field line, keeping any already set under the name (e.g. a second {@code Vary}). */
    public void addHeader(String name, String value) {
        response.getHeaders().add(name, value);
    }

    public boolean committed() {
        return response.isCommitted();
    }

    public int status() {
        return response.getStatus();
    }

    public void json(int status, Object body) throws IOException {
        byte[] bytes = Json.writeBytes(body);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        write(ByteBuffer.wrap(bytes));
    }

    public void empty(int status) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        write(ByteBuffer.allocate(0));
    }

    /** Sends {@code length} bytes of {@code body} with the headers already set; HEAD sends the headers only. */
    public void stream(int status, long length, InputStream body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (method().equals("HEAD")) {
            write(ByteBuffer.allocate(0));
            return;
        }
        // Large chunks, the last one flagged last: a small file goes out in one write with the headers.
        int chunk = (int) Math.min(length, 512 * 1024);
        try (InputStream in = body) {
            long left = length;
            byte[] buffer = new byte[Math.max(1, chunk)];
            while (left > 0) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
                if (n <= 0) {
                    throw new IOException("the blob ended early");
                }
                left -= n;
                writeChunk(ByteBuffer.wrap(buffer, 0, n), left == 0);
            }
        }
    }

    /**
     * Sends {@code body} (already in memory) with the headers already set, without blocking: Jetty writes it when
     * the connection can take it and then completes the request. Nothing may be written after this; HEAD sends
     * the headers only.
     */
    public void send(int status, ByteBuffer body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        handedOff = true;
        response.write(true, method().equals("HEAD") ? ByteBuffer.allocate(0) : body, done);
    }

    /** Whether {@link #send} handed the request's completion to Jetty. */
    boolean handedOff() {
        return handedOff;
    }

    private void write(ByteBuffer bytes) throws IOException {
        writeChunk(bytes, true);
    }

    private void writeChunk(ByteBuffer bytes, boolean last) throws IOException {
        try (Blocker.Callback callback = Blocker.callback()) {
            response.write(last, bytes, callback);
            callback.block();
        }
    }

    /** The request body as a blocking stream (the same stream on every call). */
    public InputStream body() {
        if (body == null) {
            body = Content.Source.asInputStream(request);
        }
        return body;
    }

    /**
     * From now on the body is read at {@code pace} or not at all (see {@link BodyPace}); {@link #body()} returns the
     * paced stream, {@link #pacedBody()} the paced body.
     */
    BodyPace.PacedBody paceBody(BodyPace pace) {
        BodyPace.PacedBody paced = pace.watch(body(), request);
        body = paced;
        return paced;
    }

    /** The body as {@link #paceBody} paces it, or null when it was not paced. */
    BodyPace.PacedBody pacedBody() {
        return body instanceof BodyPace.PacedBody paced ? paced : null;
    }

    /**
     * Reads and throws away what is left of the request body, at most {@code maxBytes}. A handler that answers
     * before the client has finished sending must do this after answering: otherwise Jetty closes the connection
     * with the client's bytes unread, and TCP resets it, which can destroy the answer before the client reads it.
     * Never throws.
     *
     * @return true when the body was read to its end (the connection can be reused), false when it was not
     */
    public boolean discardBody(long maxBytes) {
        byte[] sink = new byte[64 * 1024];
        long left = maxBytes;
        try {
            InputStream in = body();
            while (true) {
                int n = in.read(sink, 0, (int) Math.max(1, Math.min(sink.length, left)));
                if (n < 0) {
                    return true;
                }
                left -= n;
                if (left < 0) {
                    return false;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false; // the client went away, or sent too slowly
        }
    }
}

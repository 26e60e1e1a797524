package dev.upfront.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A multipart/form-data upload whose file part streams from an {@link InputStream} of known length, with an exact
 * Content-Length: text fields first, then the binary {@code file} part. Nothing but the fields is held in memory.
 */
public final class StreamedMultipart {
    private final String boundary = "----upfront" + UUID.randomUUID().toString().replace("-", "");
    private final byte[] head;
    private final byte[] tail;
    private final InputStream content;
    private final long contentLength;
    private final AtomicBoolean opened = new AtomicBoolean();

    public StreamedMultipart(Map<String, String> fields, String fileName, InputStream content, long contentLength) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((name, value) -> sb.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        sb.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(fileName).append("\"\r\n")
                .append("Content-Type: application/octet-stream\r\n\r\n");
        this.head = sb.toString().getBytes(StandardCharsets.UTF_8);
        this.tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        this.content = content;
        this.contentLength = contentLength;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public long length() {
        return head.length + contentLength + tail.length;
    }

    /** The body, streamable once (an upload is never silently sent twice). */
    public HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            if (!opened.compareAndSet(false, true)) {
                throw new IllegalStateException("the upload body was requested twice");
            }
            return new SequenceInputStream(Collections.enumeration(List.of(
                    new ByteArrayInputStream(head), content, new ByteArrayInputStream(tail))));
        }), length());
    }
}

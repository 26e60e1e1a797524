package dev.upfront.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Builds multipart/form-data bodies byte for byte, including broken ones (no closing boundary, raw bytes in
 * names), so tests control exactly what goes on the wire.
 */
public final class Multipart {
    private final String boundary = "----upfront" + UUID.randomUUID().toString().replace("-", "");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean closed;

    public static Multipart of(Map<String, String> fields) {
        Multipart m = new Multipart();
        fields.forEach(m::field);
        return m;
    }

    public Multipart field(String name, String value) {
        return rawField(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public Multipart fields(Map<String, String> fields) {
        fields.forEach(this::field);
        return this;
    }

    public Multipart rawField(String name, byte[] value) {
        head("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
        out.writeBytes(value);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** A binary part with a filename, as browsers and the SDKs send files. */
    public Multipart file(String name, String fileName, String contentType, byte[] content) {
        head("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n");
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public Multipart file(byte[] content) {
        return file("file", "upload.bin", "application/octet-stream", content);
    }

    private void head(String headers) {
        out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public String boundary() {
        return boundary;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The body with its closing boundary. */
    public byte[] bytes() {
        if (!closed) {
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            closed = true;
        }
        return out.toByteArray();
    }

    /** The body so far, without a closing boundary (a truncated upload). */
    public byte[] unterminated() {
        return out.toByteArray();
    }
}

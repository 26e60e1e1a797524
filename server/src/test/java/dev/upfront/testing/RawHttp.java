package dev.upfront.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 by hand over one socket to 127.0.0.1, for tests that control exactly what goes on the wire and when
 * (a body sent slowly, a second request on the same connection). Reads time out after 10 seconds.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedInputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    public static RawHttp connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return new RawHttp(socket);
    }

    /** Writes {@code text} (a request head, say) as ISO-8859-1 and flushes. */
    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends the head of a POST with a Content-Length body; extra header lines as {@code "Name: value"}. */
    public RawHttp post(String path, String contentType, long contentLength, String... headerLines) throws IOException {
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + contentLength + "\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        return send(head.append("\r\n").toString());
    }

    /** Reads one response with a Content-Length body; its head and body as text. */
    public String readResponse() throws IOException {
        return readResponse(in);
    }

    /** Whether a response head announces that the server closes the connection after it. */
    public static boolean closes(String response) {
        return response.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
    }

    /** Reads one response with a Content-Length body from {@code in}; its head and body as text. */
    public static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("connection closed inside the body after: " + text);
        }
        return text + new String(body, StandardCharsets.UTF_8);
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.upfront.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a server that drops one connection mid-request: the first connection
 * whose client has sent more than {@code cutAfterBytes} is reset (both sides) right there, once. Every other
 * connection, before and after, is forwarded untouched. For testing what a client does after a network error.
 */
public final class CuttingProxy extends LoopbackProxy {
    private final long cutAfterBytes;
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicInteger connections = new AtomicInteger();

    public CuttingProxy(int targetPort, long cutAfterBytes) {
        super(targetPort, "cutting-proxy");
        this.cutAfterBytes = cutAfterBytes;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Whether the one connection has been cut yet. */
    public boolean hasCut() {
        return cut.get();
    }

    public int connections() {
        return connections.get();
    }

    @Override
    void forward(Socket client, Socket upstream) {
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> pump(client, upstream, true));
        Thread.ofVirtual().start(() -> pump(upstream, client, false));
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (fromClient && total > cutAfterBytes && cut.compareAndSet(false, true)) {
                    reset(from);
                    reset(to);
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other direction closed the sockets
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Closes with SO_LINGER 0: a TCP reset, as a dropped network path or a crashed peer looks to the client. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(socket);
    }
}

package dev.upfront.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A webhook endpoint on 127.0.0.1 for tests: records every POST (lower-cased headers, raw body, the status it
 * answered) and answers with the statuses queued by {@link #answer}, then 200.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    public record Received(String path, Map<String, String> headers, String body, int answered) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private volatile int bodyBytes;
    private volatile String hangPrefix;
    private final CountDownLatch closed = new CountDownLatch(1);

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        return start(0);
    }

    /**
     * A receiver on {@code port} of 127.0.0.1 (0: any free one); for a receiver that comes up at an address the
     * server was already told, e.g. one {@link #freePort()} gave while the receiver was down.
     */
    public static WebhookReceiver start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port of 127.0.0.1 that was free a moment ago: a receiver that is down answers there with a refusal. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of {@code path} on a receiver at {@code port} of 127.0.0.1 (up or not). */
    public static String url(int port, String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The URL of {@code path} on this receiver, e.g. {@code /hooks}. */
    public String url(String path) {
        return url(server.getAddress().getPort(), path);
    }

    /** Requests to paths starting with {@code prefix} get no answer until the receiver closes (at most a minute). */
    public WebhookReceiver hangOn(String prefix) {
        hangPrefix = prefix;
        return this;
    }

    /** Every answer carries a body of this many bytes (none by default). */
    public WebhookReceiver answerWithBody(int bytes) {
        bodyBytes = bytes;
        return this;
    }

    /** The next requests get these statuses, in order; after them, 200. */
    public WebhookReceiver answer(Integer... statuses) {
        answers.addAll(List.of(statuses));
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String hang = hangPrefix;
            if (hang != null && ex.getRequestURI().getPath().startsWith(hang)) {
                synchronized (received) {
                    received.add(new Received(ex.getRequestURI().getPath(), headers, body, 0));
                    received.notifyAll();
                }
                try {
                    closed.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            Integer queued = answers.poll();
            int status = queued == null ? 200 : queued;
            synchronized (received) {
                received.add(new Received(ex.getRequestURI().getPath(), headers, body, status));
                received.notifyAll();
            }
            int size = bodyBytes;
            ex.sendResponseHeaders(status, size == 0 ? -1 : size);
            if (size > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(new byte[size]);
                } catch (IOException clientStoppedReading) {
                    // the sender may close once it has the status
                }
            }
        }
    }

    /** Everything received so far. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits (bounded) until {@code count} received requests match, and returns those that match. */
    public List<Received> await(Predicate<Received> match, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                List<Received> matching = received.stream().filter(match).toList();
                long left = deadline - System.nanoTime();
                if (matching.size() >= count || left <= 0) {
                    if (matching.size() < count) {
                        throw new AssertionError("expected " + count + " matching webhook request(s) within "
                                + timeout.toSeconds() + " s, got " + matching.size() + "; all received: " + received);
                    }
                    return matching;
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Requests whose body has {@code "type":"<type>"}. */
    public static Predicate<Received> ofType(String type) {
        return r -> r.body().contains("\"type\":\"" + type + "\"");
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}

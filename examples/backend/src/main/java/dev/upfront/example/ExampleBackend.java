package dev.upfront.example;

import com.sun.net.httpserver.HttpServer;
import dev.upfront.client.UpfrontClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The example backend: a customer's "authentication endpoint" built with the Java SDK on the JDK's own HTTP server.
 * {@code /auth} hands out upload credentials (see {@link AuthHandler}), {@code /config} tells the client pages where
 * the Upfront server is, {@code /} serves those pages.
 *
 * <p>Configuration (environment): {@code UPFRONT_EXAMPLE_PORT} (default 3000), {@code UPFRONT_EXAMPLE_SERVER}
 * (default {@code http://localhost:8080}), {@code UPFRONT_URL_ENDPOINT} (default the server's {@code /media}) and the
 * key pair {@code UPFRONT_PUBLIC_KEY} / {@code UPFRONT_PRIVATE_KEY}.
 */
public final class ExampleBackend implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private ExampleBackend(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on {@code port} (0: a free one) in front of the server at {@code serverUrl}. */
    public static ExampleBackend start(int port, String serverUrl, UpfrontClient client, SessionCheck session) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/auth", new AuthHandler(client, session));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("publicKey", client.publicKey());
        config.put("urlEndpoint", client.urlEndpoint());
        config.put("serverUrl", serverUrl);
        config.put("authenticationEndpoint", "/auth");
        server.createContext("/config", ex -> {
            try (ex) {
                Http.json(ex, 200, config);
            }
        });
        server.createContext("/", new StaticFiles(Map.of("__UPFRONT_SERVER__", serverUrl, "__UPFRONT_PUBLIC_KEY__", client.publicKey())));
        server.start();
        return new ExampleBackend(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> env = System.getenv();
        String publicKey = env.get("UPFRONT_PUBLIC_KEY");
        String privateKey = env.get("UPFRONT_PRIVATE_KEY");
        if (publicKey == null || publicKey.isBlank() || privateKey == null || privateKey.isBlank()) {
            System.err.println("upfront example: set UPFRONT_PUBLIC_KEY and UPFRONT_PRIVATE_KEY to the server's key pair "
                    + "(the server prints them on its first start).");
            System.exit(2);
        }
        String serverUrl = env.getOrDefault("UPFRONT_EXAMPLE_SERVER", "http://localhost:8080").replaceAll("/+$", "");
        String portText = env.getOrDefault("UPFRONT_EXAMPLE_PORT", "3000");
        if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) > 65535) {
            System.err.println("upfront example: UPFRONT_EXAMPLE_PORT must be a port number, not '" + portText + "'.");
            System.exit(2);
        }
        UpfrontClient client = UpfrontClient.builder()
                .publicKey(publicKey)
                .privateKey(privateKey)
                .urlEndpoint(env.getOrDefault("UPFRONT_URL_ENDPOINT", serverUrl + "/media"))
                .baseUrl(serverUrl)
                .build();
        ExampleBackend backend = start(Integer.parseInt(portText), serverUrl, client, SessionCheck.ACCEPT_ALL);
        System.out.println("Example backend on http://localhost:" + backend.port() + "/ (credentials at /auth) for the server at "
                + serverUrl + " with key " + publicKey);
    }
}

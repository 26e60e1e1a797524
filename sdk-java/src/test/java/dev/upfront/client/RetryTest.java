package dev.upfront.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries only where they are safe, against a loopback HTTP server that answers 503 (with {@code Retry-After: 0})
 * a given number of times: a GET is repeated, an upload (one-time credentials, unrepeatable stream) and a POST are not.
 */
class RetryTest {
    HttpServer server;
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    UpfrontClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            boolean fail = failuresLeft.getAndDecrement() > 0;
            byte[] body = (fail ? "{\"message\":\"busy\",\"code\":\"NOT_READY\"}" : "[]").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Retry-After", "0");
            ex.getResponseHeaders().set("x-request-id", "req-" + requests.get());
            ex.sendResponseHeaders(fail ? 503 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        client = UpfrontClient.builder().publicKey("public_k").privateKey("private_k").urlEndpoint(base + "/media")
                .maxRetries(2).build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aGetIsRetriedUpToTheLimit() {
        failuresLeft.set(2);
        assertThat(client.files().list(Map.of())).isEmpty();
        assertThat(requests.get()).isEqualTo(3);

        failuresLeft.set(5);
        requests.set(0);
        assertThatThrownBy(() -> client.files().list(Map.of())).isInstanceOfSatisfying(UpfrontException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("NOT_READY");
            assertThat(e.requestId()).isEqualTo("req-3");
        });
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void uploadsAndPostsAreSentOnce() {
        failuresLeft.set(1);
        UploadRequest upload = UploadRequest.of(new ByteArrayInputStream(new byte[10]), "a.bin")
                .authenticationParameters(client.getAuthenticationParameters()).build();
        assertThatThrownBy(() -> client.upload(upload)).isInstanceOf(UpfrontException.class);
        assertThat(requests.get()).isEqualTo(1);

        failuresLeft.set(1);
        assertThatThrownBy(() -> client.folders().create("x", "/")).isInstanceOf(UpfrontException.class);
        assertThat(requests.get()).isEqualTo(2);
    }
}

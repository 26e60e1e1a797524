package dev.upfront.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.RawHttp;
import dev.upfront.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A keep-alive client reuses its connection unless the response said {@code Connection: close}. So after an error
 * Jetty answers itself, the connection must either serve the next request or be announced as closing; a silent
 * close makes the client's next request fail (Node's agent gets ECONNRESET).
 */
class KeepAliveTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/media/%2e%2e/x", "/media/../../x", "/../x", "/media/a/%2e%2e/%2e%2e/x", "/media/%2F/x"})
    void anAmbiguousUriIsAnsweredWithoutBreakingTheConnection(String path) throws Exception {
        try (RawHttp http = RawHttp.connect(server.port())) {
            String refused = http.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readResponse();
            assertThat(refused).startsWith("HTTP/1.1 400 ").contains("\"code\":\"HTTP_400\"");
            if (!RawHttp.closes(refused)) {
                String next = http.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readResponse();
                assertThat(next).as("the connection was kept open after: " + refused).startsWith("HTTP/1.1 200 ");
            } else {
                assertThat(http.socket().getInputStream().read()).as("the server closes as announced").isEqualTo(-1);
            }
        }
    }
}

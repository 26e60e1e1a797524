package dev.upfront.scaleout;

import dev.upfront.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code /readyz} for outage tests: asked with a bound (it must answer quickly even during an outage), or awaited. */
final class Readyz {
    private Readyz() {}

    static HttpResponse<String> ask(TestServer server) {
        return server.send(HttpRequest.newBuilder(server.uri("/readyz")).timeout(Duration.ofSeconds(5)).GET().build());
    }

    /** Waits up to 30 s for a 200 after {@code what} came back. */
    static void await(TestServer server, String what) throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            if (ask(server).statusCode() == 200) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("/readyz did not recover within 30 s of " + what + "'s return");
    }
}

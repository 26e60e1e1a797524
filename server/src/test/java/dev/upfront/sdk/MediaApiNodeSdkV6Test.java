package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.ImageKitApiProxy;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The media API through ImageKit's classic Node SDK, npm {@code imagekit} 6.x (pinned in
 * {@code src/test/node/package.json}), whose media API URLs are hard-coded to {@code https://api.imagekit.io}.
 * {@code src/test/node/media-v6.mjs} runs with {@code HTTPS_PROXY} pointing at an {@link ImageKitApiProxy}: axios 1.x
 * (the SDK's HTTP client, from the lock file) sends {@code CONNECT api.imagekit.io:443} and then TLS inside the tunnel;
 * the proxy terminates that TLS with a test certificate the script trusts via {@code NODE_EXTRA_CA_CERTS} and pipes
 * the requests to the test server. Uploads use the SDK's {@code uploadEndpoint} and go straight to the server. The
 * assertions and state checks are {@link MediaApiNodeSdkContract}'s; this class also checks the proxy's record.
 */
class MediaApiNodeSdkV6Test extends MediaApiNodeSdkContract {
    private ImageKitApiProxy proxy;

    @Override
    String script() {
        return "media-v6.mjs";
    }

    @Override
    String sdkPackage() {
        return "imagekit";
    }

    @Override
    Map<String, String> sdkEnvironment(TestServer server, Path work) throws IOException {
        proxy = ImageKitApiProxy.start(server.port(), work.resolve("proxy"));
        return proxy.nodeEnvironment();
    }

    @Override
    void stopHelpers() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void everyMediaCallWentThroughTheApiImageKitIoTunnel() throws Exception {
        JsonNode environment = Json.parse(run.stdoutLines().getFirst());
        assertThat(environment.path("proxy").asText()).isEqualTo(proxy.url());
        assertThat(proxy.refused()).as("requests the proxy refused").isEmpty();
        assertThat(proxy.failures()).as("proxy failures").isEmpty();
        assertThat(proxy.tunnels()).as("CONNECT tunnels").isNotEmpty().containsOnly(ImageKitApiProxy.API_HOST + ":443");
        // The SDK saw this server's answers (our error codes) for calls it addressed to https://api.imagekit.io.
        assertThat(failed("files.get.deleted", 404, "FILE_NOT_FOUND").path("help").asText()).contains("Upfront");
    }
}

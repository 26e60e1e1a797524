package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code checks} and {@code transformation} as {@code @imagekit/nodejs} 7.x sends them from its own {@code upload()}
 * (script {@code src/test/node/upload-checks-v7.mjs}): a passing check with a {@code pre} resize is stored resized,
 * a failing check gets ImageKit's 400.
 */
class UploadChecksNodeSdkTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void nodeSdkSendsChecksAndTransformation() throws Exception {
        NodeProject project = NodeProject.prepare(tmp);
        Path sample = tmp.resolve("sample.png");
        Files.write(sample, Images.png(640, 480));

        try (TestServer server = TestServer.start()) {
            Map<String, String> env = Map.of(
                    "UPFRONT_URL", server.baseUrl(),
                    "UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY,
                    "UPFRONT_SAMPLE_FILE", sample.toAbsolutePath().toString());
            NodeProject.ProcessResult script = project.node("upload-checks-v7.mjs", env, SCRIPT_TIMEOUT);
            assertThat(script.exitCode()).as("upload-checks-v7.mjs failed:%n%s", script.describe()).isZero();

            JsonNode out = Json.parse(script.lastLine());
            assertThat(out.path("sdkVersion").asText()).isEqualTo(project.pinnedVersion("@imagekit/nodejs"));

            JsonNode passing = out.path("passing");
            assertThat(passing.path("status").asInt()).as(passing.toString()).isEqualTo(200);
            assertThat(passing.path("body").path("width").asInt()).isEqualTo(100);
            assertThat(passing.path("body").path("height").asInt()).isEqualTo(75);
            HttpResponse<byte[]> stored = server.getBytes(passing.path("body").path("url").asText());
            assertThat(Images.decode(stored.body()).size()).isEqualTo("100x75");

            JsonNode failing = out.path("failing");
            assertThat(failing.path("status").asInt()).as(failing.toString()).isEqualTo(400);
            assertThat(failing.path("body").path("code").asText()).isEqualTo("CHECKS_FAILED");
            assertThat(failing.path("body").path("message").asText()).isEqualTo("Your request failed 'checks' validation.");
        }
    }
}

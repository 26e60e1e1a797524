package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Conformance;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.NodeProject.ProcessResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared conformance vectors hold what ImageKit's own code computes: {@code conformance.mjs} recomputes every
 * case with the pinned npm {@code imagekit} ({@code getAuthenticationParameters(token, expire)},
 * {@code url(options)} with the clock stopped at the case's time) and {@code jsonwebtoken} (the docs' v2 sample),
 * and each result must equal the vector's expected value.
 */
class ConformanceNodeTest {
    @TempDir
    Path tmp;

    @Test
    void imageKitsNodeSdkAndJsonwebtokenComputeEveryVector() throws Exception {
        NodeProject project = NodeProject.prepare(tmp);
        ProcessResult run = project.node("conformance.mjs", Map.of("UPFRONT_CONFORMANCE_DIR", Conformance.dir().toString()),
                Duration.ofSeconds(60));
        assertThat(run.ok()).as(run.describe()).isTrue();
        JsonNode computed = Json.parse(run.lastLine());
        assertThat(computed.path("sdkVersion").asText()).isEqualTo(project.pinnedVersion("imagekit"));

        int checked = 0;
        for (JsonNode c : Conformance.cases("v1-parameters.json")) {
            JsonNode p = computed.path("v1").path(c.get("name").asText());
            assertThat(p.path("token").asText()).as(c.get("name").asText()).isEqualTo(c.get("token").asText());
            assertThat(p.path("expire").asLong()).as(c.get("name").asText()).isEqualTo(c.get("expire").asLong());
            assertThat(p.path("signature").asText()).as(c.get("name").asText()).isEqualTo(c.get("signature").asText());
            checked++;
        }
        for (JsonNode c : Conformance.cases("upload-jwts.json")) {
            assertThat(computed.path("jwts").path(c.get("name").asText()).asText()).as(c.get("name").asText())
                    .isEqualTo(c.get("token").asText());
            checked++;
        }
        for (JsonNode c : Conformance.cases("urls.json")) {
            assertThat(computed.path("urls").path(c.get("name").asText()).asText()).as(c.get("name").asText())
                    .isEqualTo(c.get("url").asText());
            checked++;
        }
        assertThat(checked).isEqualTo(computed.path("v1").size() + computed.path("jwts").size() + computed.path("urls").size());
    }
}

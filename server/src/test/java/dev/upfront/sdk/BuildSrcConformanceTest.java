package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser SDK's {@code buildSrc} gives the URL that {@code @imagekit/javascript} 5's gives, on every case of
 * {@code conformance/buildSrc.json} (paths and endpoints, both positions, query parameters, absolute sources,
 * chains, effects, overlays, encoding): both run in Node, and both must also equal the URL the file records, so
 * the vectors stay true for other implementations (the Java SDK's URL builder) too.
 */
class BuildSrcConformanceTest {
    @TempDir
    Path tmp;


    @Test
    void upfrontBuildSrcMatchesImageKitJavascript5OnEveryCase() throws Exception {
        NodeProject project = NodeProject.prepare(tmp);
        Path vectors = RepoFiles.find("conformance/buildSrc.json");
        NodeProject.ProcessResult run = project.node("buildsrc-conformance.mjs", Map.of(
                "UPFRONT_CONFORMANCE", vectors.toString(),
                "UPFRONT_SDK_JS", RepoFiles.find("sdk-js/upfront.js").toString()), Duration.ofSeconds(60));
        assertThat(run.ok()).as(run.describe()).isTrue();
        JsonNode out = Json.parse(run.lastLine());
        assertThat(out.path("js5Version").asText()).isEqualTo(project.pinnedVersion("@imagekit/javascript"));

        Map<String, String> recorded = new HashMap<>();
        Json.parse(Files.readString(vectors)).path("cases").forEach(c -> recorded.put(c.path("id").asText(), c.path("url").asText()));
        assertThat(out.path("results").size()).isEqualTo(recorded.size()).isGreaterThanOrEqualTo(30);
        for (JsonNode r : out.path("results")) {
            String id = r.path("id").asText();
            assertThat(r.path("js5").asText()).as("%s: @imagekit/javascript gives the recorded URL", id).isEqualTo(recorded.get(id));
            assertThat(r.path("upfront").asText()).as("%s: upfront.js gives the recorded URL", id).isEqualTo(recorded.get(id));
        }
    }
}

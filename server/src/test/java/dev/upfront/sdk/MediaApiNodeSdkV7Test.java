package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The media API through ImageKit's Stainless-generated Node SDK, npm {@code @imagekit/nodejs} 7.x (pinned in
 * {@code src/test/node/package.json}), pointed at the server with {@code baseURL}: {@code src/test/node/media-v7.mjs}
 * binds every scenario call to {@code client.files.*}, {@code client.files.bulk.*}, {@code client.files.versions.*},
 * {@code client.files.metadata.get}, {@code client.assets.list}, {@code client.folders.*} (with {@code job.get}) and
 * {@code client.customMetadataFields.*}. The assertions and the state checks are {@link MediaApiNodeSdkContract}'s.
 */
class MediaApiNodeSdkV7Test extends MediaApiNodeSdkContract {
    @Override
    String script() {
        return "media-v7.mjs";
    }

    @Override
    String sdkPackage() {
        return "@imagekit/nodejs";
    }

    @Override
    Map<String, String> sdkEnvironment(TestServer server, Path work) {
        return Map.of();
    }

    @Test
    void descriptionIsStoredThroughTheSdk() throws Exception {
        JsonNode updated = ok("files.update.description", 200);
        assertThat(updated.path("description").asText()).isEqualTo("Gap file");
        assertThat(details(ok("upload:gap", 200)).path("description").asText()).isEqualTo("Gap file");
    }

    @Test
    void renameFolderThroughTheSdk() throws Exception {
        String jobId = ok("folders.rename", 200).path("jobId").asText();
        JsonNode job = ok("folders.rename.job", 200);
        assertThat(job.path("jobId").asText()).isEqualTo(jobId);
        assertThat(job.path("type").asText()).isEqualTo("RENAME_FOLDER");
        assertThat(job.path("status").asText()).isEqualTo("Completed");
        JsonNode r = ok("upload:ren", 200);
        assertThat(details(r).path("filePath").asText()).isEqualTo("/m/gaps/renamed/r.png");
        assertThat(details(ok("upload:renSub", 200)).path("filePath").asText()).isEqualTo("/m/gaps/renamed/sub/s.png");
    }
}

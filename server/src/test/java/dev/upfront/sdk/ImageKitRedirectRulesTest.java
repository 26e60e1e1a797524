package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.RepoFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * imagekit-redirect.js rewrites exactly ImageKit's two upload URLs and touches no other request: run in Node on
 * recorders that stand in for the browser's XMLHttpRequest and fetch (redirect-rules.mjs), so that URLs which must
 * stay untouched, ImageKit's own hosts included, are checked without sending anything anywhere. (BrowserSdkTest
 * shows the rewritten uploads arriving, in Chromium.)
 */
class ImageKitRedirectRulesTest {
    static final String BASE = "http://127.0.0.1:8080/some/path";

    @TempDir
    Path tmp;

    @Test
    void onlyImageKitsUploadUrlsAreRewritten() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("https://upload.imagekit.io/api/v1/files/upload", BASE + "/api/v1/files/upload");
        expected.put("https://upload.imagekit.io/api/v2/files/upload", BASE + "/api/v2/files/upload");
        expected.put("https://upload.imagekit.io/api/v1/files/upload?x=1", BASE + "/api/v1/files/upload?x=1");
        for (String untouched : new String[] {
                "https://upload.imagekit.io/api/v2-alpha/files/upload",
                "https://upload.imagekit.io/api/v1/files/upload/extra",
                "https://upload.imagekit.io/api/v3/files/upload",
                "http://upload.imagekit.io/api/v1/files/upload",
                "https://api.imagekit.io/v1/files",
                "https://ik.imagekit.io/demo/photo.jpg?tr=w-100",
                "https://upload.imagekit.io.evil.example/api/v1/files/upload",
                "https://evil.example/https://upload.imagekit.io/api/v1/files/upload",
                "http://127.0.0.1:3000/auth"}) {
            expected.put(untouched, untouched);
        }
        NodeProject project = NodeProject.prepare(tmp);
        NodeProject.ProcessResult run = project.node("redirect-rules.mjs", Map.of(
                "UPFRONT_REDIRECT_JS", RepoFiles.find("sdk-js/imagekit-redirect.js").toString(),
                "UPFRONT_URLS", Json.write(expected.keySet())), Duration.ofSeconds(60));
        assertThat(run.ok()).as(run.describe()).isTrue();
        JsonNode out = Json.parse(run.lastLine());
        assertThat(out.path("base").asText()).as("install() trims the endpoint to a base URL").isEqualTo(BASE);
        assertThat(out.path("cases").size()).isEqualTo(expected.size());
        for (JsonNode c : out.path("cases")) {
            String want = expected.get(c.path("url").asText());
            assertThat(c.path("xhr").asText()).as("XMLHttpRequest.open %s", c.path("url")).isEqualTo(want);
            assertThat(c.path("fetch").asText()).as("fetch(url) %s", c.path("url")).isEqualTo(want);
            assertThat(c.path("request").asText()).as("fetch(Request) %s", c.path("url")).isEqualTo(want);
        }
    }
}

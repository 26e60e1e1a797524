package dev.upfront.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Chromium;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.RandomContent;
import dev.upfront.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in Chromium, one browser and one page flow (dashboard-flow.mjs): a wrong key refused, sign-in,
 * a folder's thumbnails loading, two uploads with progress, the transformation builder's URL and live preview, a too-large upload's message, tags edited and still
 * there after a reload, a version restored, a file deleted after confirmation, a folder created and deleted, keyboard focus, sign-out. The server
 * side is checked here through the media API. Set UPFRONT_SCREENSHOT_DIR to keep screenshots of the grid at 1280
 * and 390 px.
 */
class DashboardBrowserTest {
    static final long MAX_FILE_SIZE = 200 * 1024;

    @TempDir
    Path tmp;

    @Test
    void aSignedInSessionBrowsesUploadsEditsRestoresDeletesAndSignsOut() throws Exception {
        NodeProject project = NodeProject.prepare(tmp);
        Chromium chromium = Chromium.prepare(project);
        try (TestServer server = TestServer.start(Map.of("UPFRONT_MAX_FILE_SIZE", MAX_FILE_SIZE + "B"))) {
            String first = seed(server, Images.png(320, 240));
            String second = seed(server, Images.png(200, 200));
            assertThat(second).isEqualTo(first);
            Path a = Files.write(tmp.resolve("a.png"), Images.png(64, 48));
            Path b = Files.write(tmp.resolve("b.png"), Images.png(48, 64));
            Path big = tmp.resolve("big.bin");
            try (var in = new RandomContent(1, MAX_FILE_SIZE * 2)) {
                Files.copy(in, big);
            }

            Map<String, String> env = new HashMap<>();
            env.put("UPFRONT_CHROMIUM", chromium.executable().toString());
            env.put("UPFRONT_BASE", server.baseUrl());
            env.put("UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY);
            env.put("UPFRONT_UPLOADS", a + "," + b);
            env.put("UPFRONT_TOO_LARGE", big.toString());
            env.put("UPFRONT_TIMEOUT_MS", Long.toString(Chromium.PAGE_TIMEOUT.toMillis()));
            String shots = System.getenv("UPFRONT_SCREENSHOT_DIR");
            if (shots != null) {
                env.put("UPFRONT_SCREENSHOT_DIR", shots);
            }
            NodeProject.ProcessResult run = project.node("dashboard-flow.mjs", env, Chromium.PAGE_TIMEOUT.multipliedBy(3));
            assertThat(run.ok()).as(run.describe()).isTrue();
            JsonNode out = Json.parse(run.lastLine());
            assertThat(out.has("failure")).as("%s%nconsole: %s%nsteps: %s", out.path("failure").asText(), out.path("console"), out.path("steps")).isFalse();
            JsonNode steps = out.path("steps");

            assertThat(steps.path("signInUrl").asText()).isEqualTo(server.baseUrl() + "/dashboard");
            assertThat(steps.path("refused").path("code").asText()).isEqualTo("DASHBOARD_SIGN_IN_REFUSED");
            assertThat(steps.path("signedIn").asText()).contains(TestServer.PUBLIC_KEY);

            JsonNode seedItem = item(steps.path("browse").path("items"), "seed.png");
            assertThat(steps.path("browse").path("crumbs").toString()).isEqualTo("[\"Home\",\"photos\"]");
            JsonNode thumb = seedItem.path("images").get(0);
            assertThat(thumb.path("src").asText()).isEqualTo(server.urlEndpoint() + "/tr:n-ik_ml_thumbnail/photos/seed.png");
            assertThat(thumb.path("loading").asText()).isEqualTo("lazy");
            assertThat(thumb.path("naturalWidth").asInt()).as("the thumbnail loaded").isPositive();

            List<String> uploadRows = new ArrayList<>();
            steps.path("uploads").path("rows").forEach(row -> {
                uploadRows.add(row.path("name").asText() + ":" + row.path("state").asText());
                assertThat(row.path("progressEvents").asInt()).as("progress events of %s", row).isPositive();
                assertThat(row.path("progress").asDouble()).isEqualTo(100);
            });
            assertThat(uploadRows).containsExactlyInAnyOrder("a.png:done", "b.png:done");
            assertThat(steps.path("uploads").path("grid").toString()).contains("\"a.png\"", "\"b.png\"", "\"seed.png\"");

            assertThat(steps.path("failure").path("code").asText()).isEqualTo("FILE_TOO_LARGE");
            assertThat(steps.path("failure").path("text").asText()).contains("The file size exceeds limits.");

            assertThat(steps.path("builder").path("url").asText())
                    .isEqualTo(server.urlEndpoint() + "/tr:w-100,rt-90/photos/seed.png");
            assertThat(steps.path("builder").path("naturalHeight").asInt()).as("the preview: 200 px version 2, 100 wide, turned").isEqualTo(100);
            assertThat(steps.path("versionsBefore").size()).isEqualTo(2);
            assertThat(steps.path("tagsAfterReload").asText()).isEqualTo("red, blue");
            assertThat(steps.path("versionsAfter").toString()).contains("(current)");

            JsonNode details = Json.parse(server.get("/v1/files/" + first + "/details", "Authorization", TestServer.basic()).body());
            assertThat(details.path("width").asInt()).as("version 1 (320 px wide) restored").isEqualTo(320);

            assertThat(steps.path("confirmHiddenBefore").asBoolean()).as("delete asks before deleting").isTrue();
            assertThat(steps.path("afterDelete").path("dialogOpen").asBoolean()).isFalse();
            assertThat(steps.path("afterDelete").path("grid").toString()).doesNotContain("\"b.png\"").contains("\"a.png\"");
            JsonNode left = Json.parse(server.get("/v1/files?path=/photos/", "Authorization", TestServer.basic()).body());
            List<String> names = new ArrayList<>();
            left.forEach(f -> names.add(f.path("name").asText()));
            assertThat(names).containsExactlyInAnyOrder("seed.png", "a.png");
            JsonNode taggedFile = item(left, "a.png");
            assertThat(taggedFile.path("tags").toString()).as("the tags the page saved").isEqualTo("[\"red\",\"blue\"]");

            assertThat(steps.path("inNewFolder").toString()).isEqualTo("[\"Home\",\"photos\",\"albums\"]");
            assertThat(steps.path("afterFolderDelete").path("crumbs").toString()).isEqualTo("[\"Home\",\"photos\"]");
            assertThat(steps.path("afterFolderDelete").path("folders").toString()).doesNotContain("albums");
            assertThat(steps.path("afterFolderDelete").path("error").asText()).isEmpty();
            assertThat(steps.path("focus").path("outline").asText()).isNotEqualTo("none");
            assertThat(steps.path("afterSignOut").asInt()).as("signed out: the sign-in form again").isEqualTo(1);
            assertThat(out.path("pageErrors").size()).as("page errors %s", out.path("pageErrors")).isZero();
            out.path("requests").forEach(r -> assertThat(r.asText()).as("no request leaves this server (page, API, URL endpoint)")
                    .matches("http://(127\\.0\\.0\\.1|localhost):" + server.port() + "/.*"));
        }
    }

    /** Uploads /photos/seed.png (overwriting: a new version each time) and returns its file id. */
    static String seed(TestServer server, byte[] png) throws Exception {
        var r = server.upload(Multipart.of(Map.of("fileName", "seed.png", "folder", "/photos", "useUniqueFileName", "false"))
                .file(png), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body()).path("fileId").asText();
    }

    static JsonNode item(JsonNode items, String name) {
        for (JsonNode item : items) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError(name + " is not in the grid: " + items);
    }
}

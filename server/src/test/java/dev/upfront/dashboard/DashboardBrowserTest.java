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
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in Chromium, one browser and one page flow (dashboard-flow.mjs): a wrong key refused, sign-in,
 * a folder's thumbnails loading, three uploads with progress then their thumbnails, a dropped file, a cancelled
 * upload, the words for a too-large, a refused type and a conflicting upload,
 * tags and typed custom metadata edited and still there after a reload, the transformation builder's URL and live
 * preview, a version restored, a private file's signed URL decoding while its expiry lasts and refused after, a
 * rename, a file deleted after confirmation, a folder created, renamed and moved (bulk jobs) and deleted, the
 * overview's totals and chart, paging by key and by offset, keyboard-only use, an axe-core audit, sign-out. The server side is checked here through the media API. Screenshots at 1280
 * and 390 px, light and dark, go to target/screenshots (or UPFRONT_SCREENSHOT_DIR): test output, not committed.
 */
class DashboardBrowserTest {
    static final long MAX_FILE_SIZE = 200 * 1024;
    /** The signed URL's expiry: long enough to load it once, short enough to wait out (a bounded wait). */
    static final long SIGNED_SECONDS = 6;
    /** Files in /many/: more than the page's 48, so paging shows. */
    static final int PAGED = 52;

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
            Path c = Files.write(tmp.resolve("c.png"), Images.png(40, 40));
            var priv = server.upload(Multipart.of(Map.of("fileName", "private.png", "folder", "/photos", "useUniqueFileName", "false",
                    "isPrivateFile", "true")).file(Images.png(90, 60)), "Authorization", TestServer.basic());
            assertThat(priv.statusCode()).as(priv.body()).isEqualTo(200);
            field(server, "brand", "Brand", "{\"type\":\"Text\",\"maxLength\":20}");
            field(server, "price", "Price", "{\"type\":\"Number\",\"minValue\":0}");
            field(server, "sale", "On sale", "{\"type\":\"Boolean\"}");
            field(server, "colour", "Colour", "{\"type\":\"SingleSelect\",\"selectOptions\":[\"red\",\"green\"]}");
            field(server, "sizes", "Sizes", "{\"type\":\"MultiSelect\",\"selectOptions\":[\"S\",\"M\",\"L\"]}");
            for (int i = 0; i < PAGED; i++) {
                // Three sizes only: paging by size crosses a run of ties at the page's end.
                var r = server.upload(Multipart.of(Map.of("fileName", "m%02d.txt".formatted(i), "folder", "/many", "useUniqueFileName", "false"))
                        .file("x".repeat(10 * (1 + i % 3)).getBytes()), "Authorization", TestServer.basic());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            Path big = tmp.resolve("big.bin");
            try (var in = new RandomContent(1, MAX_FILE_SIZE * 2)) {
                Files.copy(in, big);
            }

            Map<String, String> env = new HashMap<>();
            env.put("UPFRONT_CHROMIUM", chromium.executable().toString());
            env.put("UPFRONT_BASE", server.baseUrl());
            env.put("UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY);
            env.put("UPFRONT_UPLOADS", a + "," + b + "," + c);
            env.put("UPFRONT_SIGNED_SECONDS", Long.toString(SIGNED_SECONDS));
            env.put("UPFRONT_TOO_LARGE", big.toString());
            env.put("UPFRONT_PAGED_FOLDER", "/many/");
            env.put("UPFRONT_TIMEOUT_MS", Long.toString(Chromium.PAGE_TIMEOUT.toMillis()));
            Path shots = Path.of(System.getenv().getOrDefault("UPFRONT_SCREENSHOT_DIR", "target/screenshots")).toAbsolutePath();
            Files.createDirectories(shots);
            env.put("UPFRONT_SCREENSHOT_DIR", shots.toString());
            NodeProject.ProcessResult run = project.node("dashboard-flow.mjs", env, Chromium.PAGE_TIMEOUT.multipliedBy(4));
            assertThat(run.ok()).as(run.describe()).isTrue();
            Files.writeString(shots.resolve("dashboard-flow.json"), run.lastLine()); // what the page showed, to read after a failure
            JsonNode out = Json.parse(run.lastLine());
            assertThat(out.has("failure")).as("%s%nconsole: %s%nsteps: %s", out.path("failure").asText(), out.path("console"), out.path("steps")).isFalse();
            JsonNode steps = out.path("steps");

            assertThat(steps.path("signInUrl").asText()).isEqualTo(server.baseUrl() + "/dashboard");
            assertThat(steps.path("refused").path("code").asText()).isEqualTo("DASHBOARD_SIGN_IN_REFUSED");
            assertThat(steps.path("signedIn").asText()).contains(TestServer.PUBLIC_KEY);
            assertThat(steps.path("root").path("grid")).as("the root holds no file itself: files in sub-folders stay there").isEmpty();
            assertThat(steps.path("root").path("folders").toString()).contains("photos", "many");

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
            assertThat(uploadRows).containsExactlyInAnyOrder("a.png:done", "b.png:done", "c.png:done");
            assertThat(steps.path("uploads").path("grid").toString()).contains("\"a.png\"", "\"b.png\"", "\"c.png\"", "\"seed.png\"");
            for (String name : List.of("a.png", "b.png", "c.png")) {
                JsonNode thumbnail = steps.path("uploads").path("thumbnails").path(name);
                assertThat(thumbnail.path("src").asText()).isEqualTo(server.urlEndpoint() + "/tr:n-ik_ml_thumbnail/photos/" + name);
                assertThat(thumbnail.path("naturalWidth").asInt()).as("%s's thumbnail decoded", name).isPositive();
            }

            assertThat(steps.path("dragOver").asBoolean()).as("the drop zone shows a file over it").isTrue();
            assertThat(steps.path("dropped").path("row").path("state").asText()).isEqualTo("done");
            assertThat(steps.path("dropped").path("row").path("progressEvents").asInt()).isPositive();
            assertThat(steps.path("dropped").path("thumbnail").asInt()).as("the dropped file's thumbnail decoded").isPositive();
            assertThat(steps.path("cancelHeld").asBoolean()).as("the upload request was on its way when cancelled").isTrue();
            assertThat(steps.path("cancelled").path("code").asText()).isEqualTo("CANCELLED");
            assertThat(steps.path("cancelled").path("text").asText()).isEqualTo("Cancelled.");
            assertThat(steps.path("cancelled").path("cancelVisible").asBoolean()).isFalse();
            assertThat(steps.path("failure").path("code").asText()).isEqualTo("FILE_TOO_LARGE");
            assertThat(steps.path("failure").path("text").asText()).startsWith("Too large: ").contains("The file size exceeds limits.");
            assertThat(steps.path("refusedType").path("code").asText()).isEqualTo("CHECKS_FAILED");
            assertThat(steps.path("refusedType").path("text").asText())
                    .startsWith("Refused type: this upload takes images only, and this file is text/plain.");
            assertThat(steps.path("conflict").path("code").asText()).isEqualTo("FILE_EXISTS");
            assertThat(steps.path("conflict").path("text").asText()).startsWith("Conflict: a file with this name is already in this folder.");

            assertThat(steps.path("builder").path("url").asText())
                    .isEqualTo(server.urlEndpoint() + "/tr:w-100,rt-90/photos/seed.png");
            assertThat(steps.path("builder").path("naturalHeight").asInt()).as("the preview: 200 px version 2, 100 wide, turned").isEqualTo(100);
            assertThat(steps.path("builder").path("naturalWidth").asInt()).isEqualTo(100);
            assertThat(steps.path("versionsBefore").size()).isEqualTo(2);
            assertThat(steps.path("tagsAfterReload").asText()).isEqualTo("red, blue");
            assertThat(steps.path("crumbsAfterReload").toString()).isEqualTo("[\"Home\",\"photos\"]");
            JsonNode controls = steps.path("metaControls");
            assertThat(controls.path("brand").path("type").asText()).isEqualTo("text");
            assertThat(controls.path("price").path("type").asText()).isEqualTo("number");
            assertThat(controls.path("sale").path("tag").asText()).isEqualTo("SELECT");
            assertThat(controls.path("colour").path("type").asText()).isEqualTo("select-one");
            assertThat(controls.path("sizes").path("type").asText()).isEqualTo("select-multiple");
            assertThat(steps.path("metaError").asText()).isEmpty();
            assertThat(steps.path("metaAfterReload").toString())
                    .isEqualTo("{\"brand\":\"Acme\",\"price\":\"12.5\",\"sale\":\"true\",\"colour\":\"\\\"red\\\"\",\"sizes\":[\"S\",\"L\"]}");
            assertThat(steps.path("versionsAfter").get(0).asText()).startsWith("Version 1 ").contains("(current)");
            assertThat(steps.path("versionsBeforeConfirm").asInt()).as("deleting a version asks first").isEqualTo(2);
            assertThat(steps.path("versionsAfterDelete").size()).as("Version 2 deleted: %s", steps.path("versionsAfterDelete")).isEqualTo(1);
            assertThat(Json.parse(server.get("/v1/files/" + first + "/versions", "Authorization", TestServer.basic()).body()).size()).isEqualTo(1);

            JsonNode details = Json.parse(server.get("/v1/files/" + first + "/details", "Authorization", TestServer.basic()).body());
            assertThat(details.path("width").asInt()).as("version 1 (320 px wide) restored").isEqualTo(320);

            assertThat(steps.path("confirmHiddenBefore").asBoolean()).as("delete asks before deleting").isTrue();
            assertThat(steps.path("afterDelete").path("dialogOpen").asBoolean()).isFalse();
            assertThat(steps.path("afterDelete").path("grid").toString()).doesNotContain("\"b.png\"").contains("\"a.png\"");
            JsonNode left = Json.parse(server.get("/v1/files?path=/photos/", "Authorization", TestServer.basic()).body());
            List<String> names = new ArrayList<>();
            left.forEach(f -> names.add(f.path("name").asText()));
            assertThat(names).as("dropped.png uploaded; cancelled.png, notes.txt and the conflicting a.png not")
                    .containsExactlyInAnyOrder("seed.png", "a.png", "c-renamed.png", "private.png", "dropped.png");
            JsonNode taggedFile = item(left, "a.png");
            assertThat(taggedFile.path("tags").toString()).as("the tags the page saved").isEqualTo("[\"red\",\"blue\"]");
            assertThat(taggedFile.path("customMetadata").toString()).as("typed values: number, boolean, option, options")
                    .isEqualTo("{\"brand\":\"Acme\",\"price\":12.5,\"sale\":true,\"colour\":\"red\",\"sizes\":[\"S\",\"L\"]}");

            JsonNode signed = steps.path("signed");
            assertThat(signed.path("url").asText()).startsWith(server.urlEndpoint() + "/photos/private.png?ik-t=").contains("&ik-s=");
            assertThat(signed.path("during").path("status").asInt()).isEqualTo(200);
            assertThat(signed.path("during").path("width").asInt()).as("the signed URL decodes while it lasts").isEqualTo(90);
            assertThat(signed.path("during").path("at").asLong()).isLessThan(signed.path("expiresAt").asLong() * 1000);
            assertThat(signed.path("unsigned").path("status").asInt()).as("the private file unsigned").isEqualTo(401);
            assertThat(signed.path("after").path("status").asInt()).as("the same URL after its expiry").isEqualTo(401);
            assertThat(server.get(signed.path("url").asText()).statusCode()).isEqualTo(401);

            assertThat(steps.path("renamed").path("title").asText()).isEqualTo("/photos/c-renamed.png");
            assertThat(steps.path("renamed").path("grid").toString()).contains("\"c-renamed.png\"").doesNotContain("\"c.png\"");

            assertThat(steps.path("inNewFolder").toString()).isEqualTo("[\"Home\",\"photos\",\"albums\"]");
            assertThat(steps.path("folderRenamed").path("crumbs").toString()).isEqualTo("[\"Home\",\"photos\",\"records\"]");
            assertThat(steps.path("folderRenamed").path("address").asText()).isEqualTo("/photos/records/");
            assertThat(steps.path("folderRenamed").path("jobStatus").asText()).isEqualTo("Completed");
            assertThat(steps.path("folderRenamed").path("job").asText()).startsWith("Renaming to records: job ").endsWith(" completed.");
            assertThat(steps.path("folderRenamed").path("error").asText()).isEmpty();
            assertThat(steps.path("folderMoved").path("crumbs").toString()).as("moved to the root").isEqualTo("[\"Home\",\"records\"]");
            assertThat(steps.path("folderMoved").path("jobStatus").asText()).isEqualTo("Completed");
            assertThat(steps.path("folderMoved").path("job").asText()).contains("completed");
            assertThat(steps.path("folderMoved").path("error").asText()).isEmpty();
            assertThat(steps.path("afterFolderDelete").path("crumbs").toString()).isEqualTo("[\"Home\"]");
            assertThat(steps.path("afterFolderDelete").path("folders").toString()).doesNotContain("albums").doesNotContain("records");
            assertThat(steps.path("afterFolderDelete").path("error").asText()).isEmpty();
            JsonNode overview = steps.path("overview");
            assertThat(overview.path("visible").asBoolean()).isTrue();
            assertThat(overview.path("libraryHidden").asBoolean()).isTrue();
            assertThat(overview.path("bars").size()).isEqualTo(30);
            JsonNode today = overview.path("bars").get(29);
            assertThat(today.path("date").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
            assertThat(today.path("uploads").asInt()).as("versions made today still in the library: a seed (its second version deleted), a private file, a.png, c.png, dropped.png, %s in /many/ (b.png deleted)", PAGED)
                    .isEqualTo(5 + PAGED);
            assertThat(today.path("height").asDouble()).isPositive();
            assertThat(overview.path("formats").toString()).contains("\"key\":\"png\"");
            assertThat(overview.path("folders").toString()).contains("\"key\":\"/photos/\"");
            assertThat(overview.path("desc").asText()).contains("uploads in 30 days");
            assertThat(steps.path("focus").path("outline").asText()).isNotEqualTo("none");
            assertThat(steps.path("axe")).as("axe-core (WCAG 2 A/AA and best practices) on the sign-in page, the library, a file, the overview")
                    .isEmpty();
            JsonNode keyboard = steps.path("keyboard");
            assertThat(keyboard.path("file").asText()).as("Tab reaches a file in %s presses", keyboard.path("tabs")).isNotEmpty();
            assertThat(keyboard.path("outline").asText()).as("the focused file shows its focus").isNotEqualTo("none");
            assertThat(keyboard.path("open").path("open").asBoolean()).as("Enter opens it").isTrue();
            assertThat(keyboard.path("open").path("title").asText()).isEqualTo("/photos/" + keyboard.path("file").asText());
            assertThat(keyboard.path("open").path("focusInside").asBoolean()).isTrue();
            assertThat(keyboard.path("afterEscape").path("open").asBoolean()).as("Escape closes it").isFalse();
            assertThat(keyboard.path("afterEscape").path("file").asText()).as("focus back on the file").isEqualTo(keyboard.path("file").asText());
            assertPaging(server, steps.path("paging"));
            assertThat(steps.path("afterSignOut").asInt()).as("signed out: the sign-in form again").isEqualTo(1);
            assertThat(out.path("pageErrors").size()).as("page errors %s", out.path("pageErrors")).isZero();
            out.path("requests").forEach(r -> assertThat(r.asText()).as("no request leaves this server (page, API, URL endpoint)")
                    .matches("http://(127\\.0\\.0\\.1|localhost):" + server.port() + "/.*"));
        }
    }

    /** Two pages of /many/ in each order: the API's order, nothing twice or left out, the page in the address. */
    static void assertPaging(TestServer server, JsonNode paging) throws Exception {
        Map<String, String> sorts = Map.of("Newest", "DESC_CREATED", "Largest", "DESC_SIZE", "Name A–Z", "ASC_NAME");
        for (var entry : sorts.entrySet()) {
            String label = entry.getKey();
            String sort = entry.getValue();
            JsonNode p = paging.path(label);
            List<String> expected = new ArrayList<>();
            Json.parse(server.get("/v1/files?path=/many/&limit=100&sort=" + sort, "Authorization", TestServer.basic()).body())
                    .forEach(f -> expected.add(f.path("name").asText()));
            List<String> shown = new ArrayList<>();
            p.path("first").forEach(n -> shown.add(n.asText()));
            assertThat(shown).as("%s: page 1", label).hasSize(48);
            p.path("second").forEach(n -> shown.add(n.asText()));
            assertThat(shown).as("%s: pages 1 and 2 in the API's order", label).isEqualTo(expected).hasSize(PAGED);
            assertThat(p.path("back")).as("%s: Previous shows page 1 again", label).isEqualTo(p.path("first"));
            assertThat(p.path("info").asText()).isEqualTo("Page 2");
            assertThat(p.path("nextDisabled").asBoolean()).isTrue();
            assertThat(p.path("address").path("page").asText()).isEqualTo("2");
            assertThat(p.path("address").has("after")).as("%s pages by key", label).isEqualTo(!sort.endsWith("NAME"));
        }
    }

    /** Creates a custom metadata field through the media API. */
    static void field(TestServer server, String name, String label, String schema) {
        var r = server.send(HttpRequest.newBuilder(server.uri("/v1/customMetadataFields"))
                .header("Authorization", TestServer.basic()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"label\":\"" + label + "\",\"schema\":" + schema + "}"))
                .build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
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

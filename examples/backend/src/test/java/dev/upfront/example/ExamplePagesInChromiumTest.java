package dev.upfront.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.upfront.client.UpfrontClient;
import dev.upfront.json.Json;
import dev.upfront.testing.Chromium;
import dev.upfront.testing.Images;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example backend's client pages in Chromium, each served by the backend and uploading through its
 * {@code /auth} to the server on another origin (CORS for real); then the page's 300 px preview decodes. The jQuery
 * pages (ImageKit's client-side upload samples for v1 and v2: the user picks a JPEG and presses submit) reach the
 * server through nothing but the redirect script; the session hook records what reached it: the samples' headers,
 * and for v2 the JSON body that jQuery labels form-urlencoded. The browser SDK page uploads with a v2 JWT.
 */
class ExamplePagesInChromiumTest {
    @TempDir
    static Path tmp;

    static TestServer server;
    static Chromium chromium;
    static ExampleBackend backend;
    /** What the session hook saw: method, Authorization, CustomHeader and Content-Type of each /auth request. */
    static final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        chromium = Chromium.prepare(NodeProject.prepare(tmp));
        server = TestServer.start();
        UpfrontClient client = UpfrontClient.builder().publicKey(TestServer.PUBLIC_KEY).privateKey(TestServer.PRIVATE_KEY)
                .urlEndpoint(server.urlEndpoint()).baseUrl(server.baseUrl()).build();
        backend = ExampleBackend.start(0, server.baseUrl(), client, ExamplePagesInChromiumTest::record);
        assertThat(server.baseUrl()).doesNotContain(":" + backend.port());
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void forget() {
        seen.clear();
    }

    static boolean record(HttpExchange ex) {
        var h = ex.getRequestHeaders();
        seen.add(ex.getRequestMethod() + " " + h.getFirst("Authorization") + " " + h.getFirst("CustomHeader")
                + (ex.getRequestMethod().equals("POST") ? " " + h.getFirst("Content-Type") : ""));
        return true;
    }

    @Test
    void theV1PageUploadsWithASignatureFromTheBackend() throws Exception {
        JsonNode out = submit("jquery-v1.html");
        assertUploadedAndPreviewed(out, "/api/v1/files/upload");
        assertThat(seen).containsExactly("GET Bearer your-access-token CustomValue");
    }

    @Test
    void theV2PageUploadsWithAJwtFromTheBackend() throws Exception {
        JsonNode out = submit("jquery-v2.html");
        assertUploadedAndPreviewed(out, "/api/v2/files/upload");
        // As in the sample, jQuery sends the JSON with its default label: the backend reads it as JSON anyway.
        assertThat(seen).containsExactly("POST Bearer your-access-token CustomValue application/x-www-form-urlencoded; charset=UTF-8");
    }

    @Test
    void theBrowserSdkPageUploadsWithAJwtFromTheBackend() throws Exception {
        String query = "?server=" + URLEncoder.encode(server.baseUrl(), StandardCharsets.UTF_8)
                + "&urlEndpoint=" + URLEncoder.encode(server.urlEndpoint(), StandardCharsets.UTF_8) + "&mode=v2";
        JsonNode out = chromium.open(page("browser-sdk.html") + query, photo(),
                ".upload[data-state=done], .upload[data-state=failed], .upload[data-state=aborted]");
        JsonNode row = out.path("report").path("elements").get(0);
        assertThat(row.path("state").asText()).as("%s%nconsole: %s", row, out.path("console")).isEqualTo("done");
        assertThat(row.path("filePath").asText()).matches("/examples/photo(_[A-Za-z0-9_-]{9})?\\.jpg");
        assertThat(row.path("images").get(0).path("naturalWidth").asInt()).isEqualTo(300);
        assertThat(row.path("images").get(0).path("naturalHeight").asInt()).isEqualTo(225);
        assertThat(Chromium.uploadPosts(out)).containsExactly(server.baseUrl() + "/api/v2/files/upload");
        assertThat(seen).containsExactly("POST null null application/json");
    }

    /** Opens the page on the backend's origin, picks a 640x480 JPEG, presses submit, waits for the result. */
    static JsonNode submit(String page) throws Exception {
        return chromium.open(page(page), photo(), "#result[data-state]", "input[type=submit]");
    }

    static String page(String name) {
        return "http://127.0.0.1:" + backend.port() + "/" + name;
    }

    static Path photo() throws Exception {
        Path photo = tmp.resolve("photo.jpg");
        if (!Files.exists(photo)) {
            Files.write(photo, Images.jpeg(640, 480));
        }
        return photo;
    }

    static void assertUploadedAndPreviewed(JsonNode out, String uploadPath) throws Exception {
        JsonNode result = out.path("report").path("elements").get(0);
        assertThat(result.path("state").asText()).as("%s%nconsole: %s%nrequests: %s", result, out.path("console"), out.path("requests"))
                .isEqualTo("done");
        String filePath = result.path("filePath").asText();
        assertThat(filePath).matches("/abc(_[A-Za-z0-9_-]{9})?\\.jpg");
        JsonNode preview = result.path("images").get(0);
        assertThat(preview.path("src").asText()).isEqualTo(server.urlEndpoint() + filePath + "?tr=w-300");
        assertThat(preview.path("naturalWidth").asInt()).isEqualTo(300);
        assertThat(preview.path("naturalHeight").asInt()).isEqualTo(225);

        assertThat(Chromium.uploadPosts(out)).as("the page's POST to ImageKit's URL went to the server").containsExactly(server.baseUrl() + uploadPath);
        out.path("requests").forEach(r -> assertThat(r.path("url").asText()).as("every request stays on this machine")
                .matches("(http://(127\\.0\\.0\\.1|localhost):\\d+/|data:|blob:).*"));
        assertThat(out.path("pageErrors").size()).as("page errors %s", out.path("pageErrors")).isZero();

        var listing = server.get("/v1/files?path=" + URLEncoder.encode("/", StandardCharsets.UTF_8), "Authorization", TestServer.basic());
        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
        List<String> stored = new ArrayList<>();
        Json.parse(listing.body()).forEach(f -> stored.add(f.path("filePath").asText()));
        assertThat(stored).contains(filePath);
    }
}

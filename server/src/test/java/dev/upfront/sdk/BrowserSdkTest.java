package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Chromium;
import dev.upfront.testing.CuttingProxy;
import dev.upfront.testing.Images;
import dev.upfront.testing.Jwts;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.RepoFiles;
import dev.upfront.testing.StaticSite;
import dev.upfront.testing.StaticSite.Response;
import dev.upfront.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser side, in Chromium: pages on another origin (a {@link StaticSite} on its own port, which also plays
 * the customer's backend at {@code /auth}, signing with the test key pair) upload a real file to the server and
 * show it back transformed to 100 px wide. With {@code /sdk/upfront.js} (v1 signature, v2 JWT, a connection
 * dropped mid-body, errors, abort), and with ImageKit's own npm clients (@imagekit/javascript 5, imagekitio-react
 * 4, imagekitio-vue 3) bundled by esbuild, unchanged but for the imagekit-redirect.js script tag. No request is
 * intercepted: what reaches the server is what the page sent. Also imagekit-javascript 1-4 and the upload()
 * exports of @imagekit/react 5, @imagekit/vue 4 and @imagekit/next 2, the same way.
 */
class BrowserSdkTest {
    @TempDir
    static Path tmp;

    static TestServer server;
    static NodeProject project;
    static Chromium chromium;
    static StaticSite site;
    /** Credentials the site's /auth handed out, in order: "v1", or "v2:" + the JWT payload it signed. */
    static final List<String> issued = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        project = NodeProject.prepare(tmp);
        chromium = Chromium.prepare(project);
        server = TestServer.start();
        Path bundles = Path.of("target/browser-bundles").toAbsolutePath();
        NodeProject.ProcessResult build = project.node("build-browser-apps.mjs", Map.of("UPFRONT_BUNDLE_DIR", bundles.toString()),
                NodeProject.NPM_CI_TIMEOUT);
        assertThat(build.ok()).as("esbuild:%n%s", build.describe()).isTrue();
        site = StaticSite.start()
                .replace("__UPFRONT_SERVER__", server.baseUrl())
                .files("/bundles/", bundles)
                .files("/examples/", RepoFiles.find("examples/backend/src/main/resources/public"))
                .files("/", project.dir().resolve("browser"))
                .route("/auth", BrowserSdkTest::auth);
        assertThat(site.baseUrl()).isNotEqualTo(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void forgetCredentials() {
        issued.clear();
    }

    /** The customer's authentication endpoint: GET gives v1 credentials, POST {uploadPayload, expire} a JWT. */
    static Response auth(StaticSite.Request request) throws Exception {
        if (request.method().equals("POST")) {
            JsonNode body = Json.parse(request.bodyText());
            Map<String, String> fields = new LinkedHashMap<>();
            body.path("uploadPayload").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
            issued.add("v2:" + Json.write(fields));
            String jwt = Jwts.hs256(Jwts.payload(fields, body.path("expire").asLong(600)), TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY);
            return Response.json(Json.write(Map.of("token", jwt)));
        }
        issued.add("v1");
        Map<String, String> v1 = TestServer.v1Auth(600);
        return Response.json(Json.write(Map.of("token", v1.get("token"), "expire", Long.parseLong(v1.get("expire")),
                "signature", v1.get("signature"))));
    }

    static JsonNode open(String page, Map<String, Object> config, Path uploadFile) throws Exception {
        Map<String, Object> all = new LinkedHashMap<>(Map.of("server", server.baseUrl(), "urlEndpoint", server.urlEndpoint(),
                "publicKey", TestServer.PUBLIC_KEY));
        all.putAll(config);
        return chromium.open(site.baseUrl() + "/" + page + "?config=" + URLEncoder.encode(Json.write(all), StandardCharsets.UTF_8), uploadFile);
    }

    static JsonNode sdkPage(Map<String, Object> config) throws Exception {
        return open("sdk-upload.html", config, null);
    }

    /** The files the media API lists in a folder. */
    static JsonNode filesIn(String folder) throws Exception {
        var r = server.get("/v1/files?path=" + URLEncoder.encode(folder, StandardCharsets.UTF_8), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    /** Upload POSTs the page sent, by URL. */
    static List<String> uploadPosts(JsonNode out) {
        return Chromium.uploadPosts(out);
    }

    /** The uploaded file is in the library, shown back 100 px wide (the SDK's ?tr=w-100), and nothing else went out. */
    static void assertUploadedAndPreviewed(JsonNode out, String filePath, int width, int height) throws Exception {
        assertUploadedAndPreviewed(out, filePath, width, height, true);
    }

    static void assertUploadedAndPreviewed(JsonNode out, String filePath, int width, int height, boolean withProgress)
            throws Exception {
        JsonNode report = out.path("report");
        assertThat(report.has("error") || report.has("failure")).as("the page reported %s%nconsole: %s%nrequests: %s", report, out.path("console"), out.path("requests")).isFalse();
        JsonNode response = report.path("response");
        assertThat(response.path("filePath").asText()).isEqualTo(filePath);
        assertThat(response.path("width").asInt()).isEqualTo(width);
        assertThat(response.path("height").asInt()).isEqualTo(height);
        var details = server.get("/v1/files/" + response.path("fileId").asText() + "/details", "Authorization", TestServer.basic());
        assertThat(details.statusCode()).as(details.body()).isEqualTo(200);
        assertThat(Json.parse(details.body()).path("size").asLong()).isEqualTo(response.path("size").asLong()).isPositive();
        JsonNode preview = report.path("preview");
        assertThat(preview.path("naturalWidth").asInt()).as("preview %s", preview).isEqualTo(100);
        assertThat(preview.path("naturalHeight").asInt()).as("preview %s", preview).isEqualTo(height * 100 / width);
        if (withProgress) {
            assertThat(report.path("progress").size()).as("progress events").isPositive();
            JsonNode last = report.path("progress").get(report.path("progress").size() - 1);
            assertThat(last.path("loaded").asLong()).as("last progress event").isEqualTo(last.path("total").asLong());
        }
        out.path("requests").forEach(r -> assertThat(r.path("url").asText()).as("every request stays on this machine")
                .matches("(http://(127\\.0\\.0\\.1|localhost):\\d+/|data:|blob:).*"));
        assertThat(out.path("pageErrors").size()).as("page errors %s", out.path("pageErrors")).isZero();
    }

    @Test
    void upfrontJsUploadsWithV1CredentialsFromAnotherOrigin() throws Exception {
        JsonNode out = sdkPage(Map.of("mode", "v1", "folder", "/browser-v1"));
        assertUploadedAndPreviewed(out, "/browser-v1/browser.png", 640, 480);
        JsonNode report = out.path("report");
        assertThat(report.path("response").path("tags").toString()).isEqualTo("[\"browser\",\"sdk\"]");
        assertThat(uploadPosts(out)).containsExactly(server.baseUrl() + "/api/v1/files/upload");
        assertThat(issued).containsExactly("v1");
        assertThat(report.path("metadata").path("statusCode").asInt()).isEqualTo(200);
        assertThat(report.path("metadata").path("requestId").asText()).as("x-request-id is exposed to the page").isNotBlank();
        String filePath = report.path("response").path("filePath").asText();
        assertThat(report.path("preview").path("src").asText()).isEqualTo(server.urlEndpoint() + filePath + "?tr=w-100");
        assertThat(report.path("pathPreview").path("src").asText()).isEqualTo(server.urlEndpoint() + "/tr:w-100" + filePath);
        assertThat(report.path("pathPreview").path("naturalWidth").asInt()).isEqualTo(100);
    }

    @Test
    void upfrontJsUploadsToV2WhenTheAuthenticatorGivesAJwt() throws Exception {
        JsonNode out = sdkPage(Map.of("mode", "v2", "folder", "/browser-v2"));
        assertUploadedAndPreviewed(out, "/browser-v2/browser.png", 640, 480);
        assertThat(uploadPosts(out)).containsExactly(server.baseUrl() + "/api/v2/files/upload");
        assertThat(issued).hasSize(1);
        // The authenticator got exactly the fields the form carries; the server compares them with the JWT.
        assertThat(Json.parse(issued.getFirst().substring(3))).isEqualTo(Json.parse(
                "{\"fileName\":\"browser.png\",\"folder\":\"/browser-v2\",\"tags\":\"browser,sdk\",\"useUniqueFileName\":\"false\",\"responseFields\":\"tags\"}"));
    }

    /**
     * Without a progress listener the upload is a simple CORS request, so the first POST opens a fresh connection.
     * (Chromium itself re-sends a request, same body and token, when a reused keep-alive connection, e.g. the
     * preflight's, fails before any response: that case never reaches the SDK.)
     */
    @Test
    void aDroppedConnectionIsRetriedWithFreshCredentialsAndStoresOneFile() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(server.port(), 256 * 1024)) {
            JsonNode out = sdkPage(Map.of("mode", "v1", "folder", "/browser-retry", "uploadEndpoint", proxy.baseUrl(),
                    "noise", true, "width", 800, "height", 800, "progress", false));
            assertThat(proxy.hasCut()).as("the proxy cut the first upload mid-body").isTrue();
            assertUploadedAndPreviewed(out, "/browser-retry/browser.png", 800, 800, false);
            assertThat(out.path("report").path("response").path("size").asLong()).as("a body larger than the cut").isGreaterThan(512 * 1024);
            assertThat(issued).as("the authenticator is asked again before the retry").containsExactly("v1", "v1");
            assertThat(uploadPosts(out)).hasSize(2).allMatch(u -> u.equals(proxy.baseUrl() + "/api/v1/files/upload"));
            assertThat(filesIn("/browser-retry/").size()).as("files stored").isEqualTo(1);
        }
    }

    @Test
    void serverErrorsRejectWithStatusAndCodeAndAreNotRetried() throws Exception {
        JsonNode bad = sdkPage(Map.of("mode", "badSignature", "folder", "/browser-errors")).path("report");
        assertThat(bad.path("error").path("name").asText()).isEqualTo("ImageKitInvalidRequestError");
        assertThat(bad.path("error").path("status").asInt()).isEqualTo(400);
        assertThat(bad.path("error").path("code").asText()).isEqualTo("SIGNATURE_INVALID");
        assertThat(bad.path("error").path("message").asText()).isEqualTo("Your request contains invalid signature parameter.");
        assertThat(bad.path("authCalls").size()).isEqualTo(1);

        JsonNode reused = sdkPage(Map.of("mode", "reusedToken", "folder", "/browser-errors")).path("report");
        assertThat(reused.path("error").path("status").asInt()).isEqualTo(400);
        assertThat(reused.path("error").path("code").asText()).isEqualTo("TOKEN_REUSED");
        assertThat(filesIn("/browser-errors/").size()).as("only the first upload with the token is stored").isEqualTo(1);
    }

    @Test
    void abortWhileFetchingCredentialsSendsNothing() throws Exception {
        JsonNode out = sdkPage(Map.of("mode", "abort", "folder", "/browser-abort"));
        JsonNode report = out.path("report");
        assertThat(report.path("error").path("name").asText()).isEqualTo("ImageKitAbortError");
        assertThat(report.path("error").path("message").asText()).isEqualTo("Upload aborted");
        assertThat(uploadPosts(out)).isEmpty();
        assertThat(filesIn("/browser-abort/").size()).isZero();
    }

    @Test
    void imagekitJavascript5UploadsToUpfrontThroughTheRedirectScript() throws Exception {
        JsonNode out = open("imagekit-app.html", Map.of("app", "js5", "folder", "/browser-js5"), null);
        assertUploadedAndPreviewed(out, "/browser-js5/js5.png", 640, 480);
        // Then the page's own fetch(new Request(ImageKit's v2 URL)) with a JWT: fetch is redirected too.
        JsonNode fetchV2 = out.path("report").path("fetchV2");
        assertThat(fetchV2.path("status").asInt()).as("%s", fetchV2).isEqualTo(200);
        assertThat(fetchV2.path("body").path("filePath").asText()).matches("/browser-js5/fetch-v2(_[A-Za-z0-9_-]{9})?\\.png");
        assertThat(uploadPosts(out)).containsExactly(server.baseUrl() + "/api/v1/files/upload", server.baseUrl() + "/api/v2/files/upload");
        assertThat(issued).hasSize(2).first().isEqualTo("v1");
    }

    @Test
    void imagekitioReactIkUploadUploadsToUpfrontThroughTheRedirectScript() throws Exception {
        assertIkUploadUploadsToUpfront("react");
    }

    @Test
    void imagekitioVueIkUploadUploadsToUpfrontThroughTheRedirectScript() throws Exception {
        assertIkUploadUploadsToUpfront("vue");
    }

    /**
     * imagekit-javascript 1.x, 2.x, 3.x and 4.x (the package's name before @imagekit/javascript), one page, one
     * upload each: 1.x GETs {@code authenticationEndpoint} itself, 2.x-4.x get the app's credentials.
     */
    @Test
    void imagekitJavascript1To4UploadToUpfrontThroughTheRedirectScript() throws Exception {
        JsonNode out = open("imagekit-app.html", Map.of("app", "legacy", "folder", "/browser-legacy"), null);
        assertThat(out.path("report").has("failure")).as("%s", out.path("report")).isFalse();
        for (String major : List.of("1", "2", "3", "4")) {
            JsonNode result = out.path("report").path("results").path(major);
            assertUploadedAndPreviewed(withReport(out, result), "/browser-legacy/legacy-" + major + ".png", 640, 480, false);
            assertThat(result.path("metadata").path("statusCode").asInt()).as("imagekit-javascript %s.x", major).isEqualTo(200);
        }
        assertThat(uploadPosts(out)).containsExactly(Collections.nCopies(4, server.baseUrl() + "/api/v1/files/upload").toArray(String[]::new));
        assertThat(issued).containsExactly("v1", "v1", "v1", "v1");
        // 1.x asked the page's backend itself, as ImageKit's README for 1.x shows: GET authenticationEndpoint?t=<random>.
        assertThat(out.path("requests").toString()).containsPattern("/auth\\?t=0\\.\\d+");
    }

    /** @imagekit/react 5, @imagekit/vue 4 and @imagekit/next 2: their upload() and buildSrc() exports, unchanged. */
    @Test
    void imagekitFrameworkPackagesUploadToUpfrontThroughTheRedirectScript() throws Exception {
        JsonNode out = open("imagekit-app.html", Map.of("app", "wrappers", "folder", "/browser-wrappers"), null);
        assertThat(out.path("report").has("failure")).as("%s", out.path("report")).isFalse();
        for (String name : List.of("react", "vue", "next")) {
            JsonNode result = out.path("report").path("results").path(name);
            assertUploadedAndPreviewed(withReport(out, result), "/browser-wrappers/" + name + "-sdk.png", 640, 480);
        }
        assertThat(uploadPosts(out)).containsExactly(Collections.nCopies(3, server.baseUrl() + "/api/v1/files/upload").toArray(String[]::new));
        assertThat(issued).containsExactly("v1", "v1", "v1");
    }

    /**
     * The two other ways to point the redirect somewhere: the script's {@code data-endpoint} attribute, and
     * {@code redirectImageKitUploads(endpoint)} from the ES module. The endpoint is a second origin (a proxy in
     * front of the server), so only the redirect can have sent the upload there.
     */
    @Test
    void theRedirectGoesWhereDataEndpointOrRedirectImageKitUploadsSays() throws Exception {
        try (CuttingProxy other = new CuttingProxy(server.port(), Long.MAX_VALUE)) {
            for (String mode : List.of("attribute", "module")) {
                issued.clear();
                String folder = "/browser-redirect-" + mode;
                JsonNode out = open("redirect-app.html", Map.of("mode", mode, "endpoint", other.baseUrl(), "folder", folder), null);
                JsonNode upload = out.path("report").path("upload");
                assertThat(upload.path("status").asInt()).as("%s: %s", mode, out.path("report")).isEqualTo(200);
                assertThat(upload.path("body").path("filePath").asText()).isEqualTo(folder + "/redirected.png");
                assertThat(uploadPosts(out)).as(mode).containsExactly(other.baseUrl() + "/api/v1/files/upload");
                assertThat(filesIn(folder + "/").size()).as(mode).isEqualTo(1);
                assertThat(issued).containsExactly("v1");
                if (mode.equals("module")) {
                    assertThat(out.path("report").path("installed").asText()).as("the base URL in use").isEqualTo(other.baseUrl());
                }
            }
        }
    }

    /** The page's output with {@code report} replaced by one app's result, for {@link #assertUploadedAndPreviewed}. */
    static JsonNode withReport(JsonNode out, JsonNode report) {
        ObjectNode copy = out.deepCopy();
        copy.set("report", report);
        return copy;
    }

    /** The user picks a file in the app's IKUpload; IKImage then shows it 100 px wide. */
    static void assertIkUploadUploadsToUpfront(String app) throws Exception {
        JsonNode out = open("imagekit-app.html", Map.of("app", app, "folder", "/browser-" + app), photo());
        assertUploadedAndPreviewed(out, "/browser-" + app + "/" + app + "-upload.jpg", 640, 480);
        assertThat(uploadPosts(out)).containsExactly(server.baseUrl() + "/api/v1/files/upload");
        assertThat(issued).containsExactly("v1");
    }

    @Test
    void theExampleBrowserSdkPageUploadsAndPreviews() throws Exception {
        String query = "?server=" + URLEncoder.encode(server.baseUrl(), StandardCharsets.UTF_8)
                + "&urlEndpoint=" + URLEncoder.encode(server.urlEndpoint(), StandardCharsets.UTF_8);
        JsonNode out = chromium.open(site.baseUrl() + "/examples/browser-sdk.html" + query, photo(),
                ".upload[data-state=done], .upload[data-state=failed], .upload[data-state=aborted]");
        JsonNode row = out.path("report").path("elements").get(0);
        assertThat(row.path("state").asText()).as("%s", row).isEqualTo("done");
        assertThat(row.path("filePath").asText()).matches("/examples/photo(_[A-Za-z0-9_-]{9})?\\.jpg");
        assertThat(row.path("images").get(0).path("naturalWidth").asInt()).isEqualTo(300);
        assertThat(row.path("images").get(0).path("naturalHeight").asInt()).isEqualTo(225);
        assertThat(issued).hasSize(1).allMatch(i -> i.startsWith("v2:"));
        assertThat(uploadPosts(out)).containsExactly(server.baseUrl() + "/api/v2/files/upload");
    }


    /** A JPEG on disk, for the pages where the user picks a file. */
    static Path photo() throws Exception {
        Path file = tmp.resolve("photo.jpg");
        if (!Files.exists(file)) {
            Files.write(file, Images.jpeg(640, 480));
        }
        return file;
    }
}

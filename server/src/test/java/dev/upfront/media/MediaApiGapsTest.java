package dev.upfront.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.StaticSite;
import dev.upfront.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The media API's former gaps, over HTTP: {@code description} and {@code removeAITags} on PATCH details,
 * {@code extensions} refused by name, the {@code renameFolder} bulk job, {@code GET /v1/metadata?url=} (from a
 * loopback site, private targets allowed for this server only), and the searchQuery operators {@code HAS},
 * {@code EXISTS} and {@code NOT EXISTS} with the fields {@code id} and {@code embeddedMetadata.*}; and what folder copies
 * and moves must never do (copy a folder onto itself, change which version is current, drop empty folders, nest too
 * deep).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediaApiGapsTest {
    private TestServer server;
    private StaticSite site;
    private final byte[] photo = Images.jpegWithExif(32, 24, "Upfront Camera Co", "Model X-100");

    @BeforeAll
    void start() {
        server = TestServer.start(Map.of("UPFRONT_FETCH_ALLOW_PRIVATE", "true"));
        site = StaticSite.start()
                .route("/photo.jpg", r -> new StaticSite.Response(200, "image/jpeg", photo))
                .route("/gone.jpg", r -> new StaticSite.Response(404, "text/plain", "no".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    void stop() {
        site.close();
        server.close();
    }

    // --- description ---------------------------------------------------------------------------------------------

    @Test
    void descriptionIsTakenOnUploadAndStoredByPatch() throws Exception {
        JsonNode up = upload("/desc/", "d.png", Images.png(4, 4), Map.of("description", "Running shoes"));
        assertThat(up.path("description").asText()).isEqualTo("Running shoes");
        String id = up.path("fileId").asText();
        assertThat(details(id).path("description").asText()).isEqualTo("Running shoes");

        JsonNode patched = ok(patch(id, "{\"description\":\"Red running shoes\"}"));
        assertThat(patched.path("description").asText()).isEqualTo("Red running shoes");
        assertThat(details(id).path("description").asText()).as("stored, not only echoed").isEqualTo("Red running shoes");

        ok(patch(id, "{\"tags\":[\"kept\"]}"));
        assertThat(details(id).path("description").asText()).as("a PATCH without it keeps it").isEqualTo("Red running shoes");
        assertThat(details(id).path("tags").get(0).asText()).isEqualTo("kept");

        ok(patch(id, "{\"description\":null}"));
        assertThat(details(id).path("description").isNull()).as("null removes it").isTrue();
    }

    @Test
    void aBadDescriptionIsRefusedAndChangesNothing() throws Exception {
        String id = upload("/desc/", "bad.png", Images.png(4, 4), Map.of("description", "before")).path("fileId").asText();
        assertError(patch(id, "{\"description\":42}"), 400, "INVALID_BODY", "description");
        assertError(patch(id, "{\"description\":\"" + "x".repeat(10_001) + "\"}"), 400, "INVALID_FIELD", "description");
        assertThat(details(id).path("description").asText()).isEqualTo("before");
    }

    // --- removeAITags and extensions -------------------------------------------------------------------------------

    @Test
    void removeAITagsIsValidatedAndThereAreNoAITagsToRemove() throws Exception {
        String id = upload("/ai/", "a.png", Images.png(4, 4), Map.of("tags", "mine")).path("fileId").asText();
        JsonNode named = ok(patch(id, "{\"removeAITags\":[\"car\",\"Vehicle\"]}"));
        assertThat(named.path("AITags").isNull()).as("this server computes no AI tags, and never claims one").isTrue();
        assertThat(named.path("tags").get(0).asText()).as("user tags are not AI tags").isEqualTo("mine");
        assertThat(ok(patch(id, "{\"removeAITags\":\"all\"}")).path("AITags").isNull()).isTrue();
        assertError(patch(id, "{\"removeAITags\":\"some\"}"), 400, "INVALID_BODY", "removeAITags");
        assertError(patch(id, "{\"removeAITags\":5}"), 400, "INVALID_BODY", "removeAITags");
        assertError(patch(id, "{\"removeAITags\":[\"\"]}"), 400, "INVALID_BODY", "removeAITags");
        assertError(patch(id, "{\"removeAITags\":[1]}"), 400, "INVALID_BODY", "removeAITags");
    }

    @Test
    void extensionsAreRefusedByNameAsOnUpload() throws Exception {
        String id = upload("/ai/", "e.png", Images.png(4, 4), Map.of("tags", "before")).path("fileId").asText();
        HttpResponse<String> r = patch(id, "{\"tags\":[\"after\"],\"extensions\":[{\"name\":\"google-auto-tagging\",\"maxTags\":5,\"minConfidence\":95}]}");
        assertError(r, 400, "FIELD_NOT_SUPPORTED", "extensions");
        assertThat(details(id).path("tags").get(0).asText()).as("nothing of the refused PATCH applied").isEqualTo("before");
        HttpResponse<String> upload = server.upload(new Multipart().field("fileName", "x.png")
                .field("extensions", "[{\"name\":\"remove-bg\"}]").file("file", "x.png", "image/png", Images.png(2, 2)),
                "Authorization", TestServer.basic());
        assertError(upload, 400, "FIELD_NOT_SUPPORTED", "extensions");
        assertThat(Json.parse(upload.body()).path("message").asText()).isEqualTo(Json.parse(r.body()).path("message").asText());
    }

    // --- renameFolder --------------------------------------------------------------------------------------------

    @Test
    void renameFolderKeepsIdsAndVersionsAndMovesEverythingBelow() throws Exception {
        String x = upload("/ren/a/", "x.png", Images.png(5, 5), Map.of()).path("fileId").asText();
        upload("/ren/a/", "x.png", Images.png(6, 6), Map.of());
        String y = upload("/ren/a/sub/", "y.png", Images.png(7, 7), Map.of()).path("fileId").asText();
        String other = upload("/ren/ab/", "z.png", Images.png(3, 3), Map.of()).path("fileId").asText();

        JsonNode job = ok(post("/v1/bulkJobs/renameFolder", "{\"folderPath\":\"/ren/a/\",\"newFolderName\":\"b c\",\"purgeCache\":true}"));
        String jobId = job.path("jobId").asText();
        assertThat(jobId).matches("[0-9a-f]{24}");
        JsonNode status = ok(server.get("/v1/bulkJobs/" + jobId, "Authorization", TestServer.basic()));
        assertThat(status.path("type").asText()).isEqualTo("RENAME_FOLDER");
        assertThat(status.path("status").asText()).isEqualTo("Completed");

        assertThat(details(x).path("filePath").asText()).isEqualTo("/ren/b_c/x.png");
        assertThat(details(y).path("filePath").asText()).isEqualTo("/ren/b_c/sub/y.png");
        assertThat(details(other).path("filePath").asText()).as("a sibling sharing the prefix stays").isEqualTo("/ren/ab/z.png");
        assertThat(ok(server.get("/v1/files/" + x + "/versions", "Authorization", TestServer.basic()))).hasSize(2);
        assertThat(folders("/ren/")).containsExactly("/ren/ab", "/ren/b_c");
        assertThat(folders("/ren/b_c/")).containsExactly("/ren/b_c/sub");
        assertThat(server.getBytes(details(x).path("url").asText()).statusCode()).isEqualTo(200);
        assertThat(server.getBytes(server.urlEndpoint() + "/ren/a/x.png").statusCode()).isEqualTo(404);
        JsonNode search = ok(server.get("/v1/files?searchQuery=" + enc("path : \"/ren/b_c/\""), "Authorization", TestServer.basic()));
        assertThat(search).hasSize(2);
    }

    @Test
    void renameFolderRefusesWhatCannotBeRenamed() throws Exception {
        upload("/ren2/one/", "f.png", Images.png(2, 2), Map.of());
        upload("/ren2/two/", "f.png", Images.png(2, 2), Map.of());
        assertError(post("/v1/bulkJobs/renameFolder", "{\"folderPath\":\"/ren2/one/\",\"newFolderName\":\"two\"}"), 409,
                "FOLDER_ALREADY_EXISTS", "two");
        assertError(post("/v1/bulkJobs/renameFolder", "{\"folderPath\":\"/ren2/none/\",\"newFolderName\":\"x\"}"), 404,
                "FOLDER_NOT_FOUND", "/ren2/none/");
        assertError(post("/v1/bulkJobs/renameFolder", "{\"folderPath\":\"/\",\"newFolderName\":\"x\"}"), 400, "INVALID_PARAMETER", "folderPath");
        assertError(post("/v1/bulkJobs/renameFolder", "{\"folderPath\":\"/ren2/one/\"}"), 400, "INVALID_BODY", "newFolderName");
        assertError(post("/v1/bulkJobs/renameFolder", "{\"folderPath\":\"/ren2/one/\",\"newFolderName\":\"x\",\"purgeCache\":\"yes\"}"),
                400, "INVALID_BODY", "purgeCache");
        assertThat(folders("/ren2/")).containsExactly("/ren2/one", "/ren2/two");
        // A slash in the new name is a character of the name, not a path.
        ok(post("/v1/bulkJobs/renameFolder", "{\"folderPath\":\"/ren2/one\",\"newFolderName\":\"x/y\"}"));
        assertThat(folders("/ren2/")).containsExactly("/ren2/two", "/ren2/x_y");
    }

    // --- copyFolder, moveFolder, file copy ----------------------------------------------------------------------

    @Test
    void aFolderIsNotCopiedOrMovedIntoTheFolderItIsAlreadyIn() throws Exception {
        JsonNode kept = upload("/stay/put/", "s.png", Images.png(3, 3), Map.of());
        upload("/stay-top/", "t.png", Images.png(3, 3), Map.of());
        // Each would copy every file onto itself, and a move would then delete it.
        assertError(post("/v1/bulkJobs/moveFolder", "{\"sourceFolderPath\":\"/stay/put/\",\"destinationPath\":\"/stay\"}"),
                400, "INVALID_PARAMETER", "destinationPath");
        assertError(post("/v1/bulkJobs/copyFolder", "{\"sourceFolderPath\":\"/stay/put\",\"destinationPath\":\"/stay/\"}"),
                400, "INVALID_PARAMETER", "destinationPath");
        assertError(post("/v1/bulkJobs/moveFolder", "{\"sourceFolderPath\":\"/stay-top\",\"destinationPath\":\"/\"}"),
                400, "INVALID_PARAMETER", "destinationPath");
        String id = kept.path("fileId").asText();
        assertThat(ok(server.get("/v1/files/" + id + "/versions", "Authorization", TestServer.basic()))).hasSize(1);
        assertThat(server.getBytes(details(id).path("url").asText()).statusCode()).isEqualTo(200);
        assertThat(filesIn("/stay-top/")).extracting(f -> f.path("name").asText()).containsExactly("t.png");
    }

    @Test
    void copiesAndMovesKeepTheVersionThatIsCurrent() throws Exception {
        JsonNode first = upload("/restored/", "r.png", Images.png(5, 5), Map.of());
        upload("/restored/", "r.png", Images.png(7, 7), Map.of());
        String id = first.path("fileId").asText();
        ok(server.send(HttpRequest.newBuilder(server.uri("/v1/files/" + id + "/versions/" + first.path("versionInfo").path("id").asText()
                + "/restore")).header("Authorization", TestServer.basic()).PUT(HttpRequest.BodyPublishers.noBody()).build()));
        assertThat(details(id).path("width").asInt()).isEqualTo(5);

        answered(204, post("/v1/files/copy", "{\"sourceFilePath\":\"/restored/r.png\",\"destinationPath\":\"/restored-copy/\","
                + "\"includeFileVersions\":true}"));
        JsonNode copy = filesIn("/restored-copy/").getFirst();
        assertThat(copy.path("width").asInt()).as("the restored version is current in the copy").isEqualTo(5);
        assertThat(ok(server.get("/v1/files/" + copy.path("fileId").asText() + "/versions", "Authorization", TestServer.basic()))).hasSize(2);

        ok(post("/v1/bulkJobs/moveFolder", "{\"sourceFolderPath\":\"/restored\",\"destinationPath\":\"/restored-moved\"}"));
        JsonNode moved = filesIn("/restored-moved/restored/").getFirst();
        assertThat(moved.path("width").asInt()).as("a folder move does not change what the file serves").isEqualTo(5);
        assertThat(server.getBytes(server.urlEndpoint() + "/restored-moved/restored/r.png").body())
                .isEqualTo(server.getBytes(copy.path("url").asText()).body());
    }

    @Test
    void copiesAndMovesCarryEmptySubfolders() throws Exception {
        answered(201, post("/v1/folder", "{\"folderName\":\"tree/empty1/empty2\",\"parentFolderPath\":\"/\"}"));
        upload("/tree/withfile/", "w.png", Images.png(2, 2), Map.of());

        ok(post("/v1/bulkJobs/copyFolder", "{\"sourceFolderPath\":\"/tree\",\"destinationPath\":\"/tree-copy\"}"));
        assertThat(folders("/tree-copy/tree/")).containsExactly("/tree-copy/tree/empty1", "/tree-copy/tree/withfile");
        assertThat(folders("/tree-copy/tree/empty1/")).containsExactly("/tree-copy/tree/empty1/empty2");

        ok(post("/v1/bulkJobs/moveFolder", "{\"sourceFolderPath\":\"/tree\",\"destinationPath\":\"/tree-moved\"}"));
        assertThat(folders("/tree-moved/tree/")).containsExactly("/tree-moved/tree/empty1", "/tree-moved/tree/withfile");
        assertThat(folders("/tree-moved/tree/empty1/")).containsExactly("/tree-moved/tree/empty1/empty2");
        assertThat(folders("/")).doesNotContain("/tree");
    }

    @Test
    void aCopyOrMoveThatWouldNestTooDeepIsRefusedAndChangesNothing() throws Exception {
        String deep = IntStream.range(0, 45).mapToObj(i -> "d" + i).collect(Collectors.joining("/"));
        answered(201, post("/v1/folder", "{\"folderName\":\"" + deep + "\",\"parentFolderPath\":\"/\"}"));
        String tall = "/" + IntStream.range(0, 10).mapToObj(i -> "m" + i).collect(Collectors.joining("/")) + "/";
        String id = upload(tall, "m.png", Images.png(2, 2), Map.of()).path("fileId").asText();

        // 45 levels + m0..m9 = 55, over the 50 any folder path may have.
        for (String job : List.of("moveFolder", "copyFolder")) {
            assertError(post("/v1/bulkJobs/" + job, "{\"sourceFolderPath\":\"/m0\",\"destinationPath\":\"/" + deep + "\"}"),
                    400, "INVALID_PARAMETER", "50 levels");
        }
        assertThat(details(id).path("filePath").asText()).isEqualTo(tall + "m.png");
        assertThat(folders("/" + deep + "/")).isEmpty();
    }

    @Test
    void aNumberFieldRefusesWhatIsNoFiniteNumber() throws Exception {
        server.createCustomField("weight", "{\"type\":\"Number\"}");
        String id = upload("/weights/", "w.png", Images.png(2, 2), Map.of("customMetadata", "{\"weight\":12.5}")).path("fileId").asText();
        for (String huge : List.of("1e400", "-1e400")) {
            assertError(patch(id, "{\"customMetadata\":{\"weight\":" + huge + "}}"), 400, "CUSTOM_METADATA_INVALID", "weight");
            HttpResponse<String> r = server.upload(new Multipart().field("fileName", "x.png").field("customMetadata", "{\"weight\":" + huge + "}")
                    .file("file", "x.png", "image/png", Images.png(2, 2)), "Authorization", TestServer.basic());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        }
        assertThat(details(id).path("customMetadata").path("weight").asDouble()).isEqualTo(12.5);
    }

    @Test
    void aFieldsLimitsAreFiniteAndInOrder() throws Exception {
        String[][] refused = {
                {"{\"type\":\"Number\",\"minValue\":1e999}", "minValue"},
                {"{\"type\":\"Number\",\"maxValue\":-1e999}", "maxValue"},
                {"{\"type\":\"Number\",\"minValue\":10,\"maxValue\":1}", "minValue"},
                {"{\"type\":\"Text\",\"minLength\":5,\"maxLength\":2}", "minLength"},
                {"{\"type\":\"Date\",\"minValue\":\"2024-02-01\",\"maxValue\":\"2024-01-01\"}", "minValue"}};
        for (String[] c : refused) {
            HttpResponse<String> r = post("/v1/customMetadataFields", "{\"name\":\"limits\",\"label\":\"Limits\",\"schema\":" + c[0] + "}");
            assertError(r, 400, "CUSTOM_FIELD_INVALID");
            assertThat(Json.parse(r.body()).path("errors").has(c[1])).as(r.body()).isTrue();
        }
        server.createCustomField("limits", "{\"type\":\"Number\",\"minValue\":1,\"maxValue\":1}");
    }

    // --- GET /v1/metadata?url= -------------------------------------------------------------------------------------

    @Test
    void metadataOfAUrlIsTheMetadataOfTheSameFileStored() throws Exception {
        String id = upload("/meta/", "photo.jpg", photo, Map.of()).path("fileId").asText();
        JsonNode stored = ok(server.get("/v1/files/" + id + "/metadata", "Authorization", TestServer.basic()));
        JsonNode remote = ok(server.get("/v1/metadata?url=" + enc(site.baseUrl() + "/photo.jpg"), "Authorization", TestServer.basic()));
        assertThat(remote).isEqualTo(stored);
        assertThat(remote.path("width").asInt()).isEqualTo(32);
        assertThat(remote.path("format").asText()).isEqualTo("jpg");
        assertThat(remote.path("exif").path("image").path("Make").asText()).isEqualTo("Upfront Camera Co");
        assertThat(ok(server.get("/v1/files/metadata?url=" + enc(site.baseUrl() + "/photo.jpg"), "Authorization", TestServer.basic())))
                .as("the OpenAPI spec's path").isEqualTo(stored);
    }

    @Test
    void metadataOfAUrlFailsWithAClear4xx() throws Exception {
        assertError(server.get("/v1/metadata?url=" + enc(site.baseUrl() + "/gone.jpg"), "Authorization", TestServer.basic()), 400,
                "URL_FETCH_FAILED", "invalid url parameter", "HTTP 404");
        assertError(server.get("/v1/metadata", "Authorization", TestServer.basic()), 400, "INVALID_PARAMETER", "url");
        assertError(server.get("/v1/metadata?url=" + enc("ftp://127.0.0.1/x.jpg"), "Authorization", TestServer.basic()), 400,
                "URL_FETCH_FAILED", "http");
        assertThat(server.get("/v1/metadata?url=" + enc(site.baseUrl() + "/photo.jpg")).statusCode()).as("no key, no fetch").isEqualTo(401);
    }

    @Test
    void metadataOfAUrlObeysTheAddressPolicy() throws Exception {
        try (TestServer strict = TestServer.start()) {
            HttpResponse<String> r = strict.get("/v1/metadata?url=" + enc(site.baseUrl() + "/photo.jpg"), "Authorization", TestServer.basic());
            assertError(r, 400, "URL_FETCH_FAILED", "cannot be fetched");
        }
    }

    // --- searchQuery: HAS, EXISTS, id, embeddedMetadata ------------------------------------------------------------

    @Test
    void searchOperatorsAndFieldsOverHttp() throws Exception {
        String dress = upload("/find/", "red-dress_Summer.png", Images.png(3, 3), Map.of("tags", "Beach Wear")).path("fileId").asText();
        String plain = upload("/find/", "plain.png", Images.png(3, 3), Map.of()).path("fileId").asText();
        String camera = upload("/find/", "cam.jpg", photo, Map.of()).path("fileId").asText();

        assertThat(find("name HAS \"DRESS\"")).containsExactly(dress);
        assertThat(find("name HAS \"red sum\"")).as("the last word is a beginning").containsExactly(dress);
        assertThat(find("name HAS \"ress\"")).as("words, not substrings").isEmpty();
        assertThat(find("tags HAS \"wear\"")).containsExactly(dress);
        assertThat(find("tags EXISTS")).containsExactly(dress);
        assertThat(find("tags NOT EXISTS")).containsExactlyInAnyOrder(plain, camera);
        assertThat(find("id = \"" + camera + "\"")).containsExactly(camera);
        assertThat(find("id IN [\"" + camera + "\", \"" + plain + "\"]")).containsExactlyInAnyOrder(camera, plain);
        assertThat(find("id NOT = \"" + camera + "\"")).containsExactlyInAnyOrder(dress, plain);
        assertThat(find("\"embeddedMetadata.Make\" = \"Upfront Camera Co\"")).containsExactly(camera);
        assertThat(find("\"embeddedMetadata.Model\" HAS \"x-100\"")).containsExactly(camera);
        assertThat(find("\"embeddedMetadata.Make\" EXISTS")).containsExactly(camera);
        assertThat(find("\"embeddedMetadata.Make\" NOT EXISTS")).containsExactlyInAnyOrder(dress, plain);

        assertError(list("format HAS \"png\""), 400, "INVALID_SEARCH_QUERY", "HAS", "format");
        assertError(list("name EXISTS"), 400, "INVALID_SEARCH_QUERY", "EXISTS", "name");
        assertError(list("id : \"abc\""), 400, "INVALID_SEARCH_QUERY", "id");
        assertError(list("name HAS \"--\""), 400, "INVALID_SEARCH_QUERY", "HAS");
        assertError(list("tags NOT \"x\""), 400, "INVALID_SEARCH_QUERY", "EXISTS");
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private JsonNode upload(String folder, String name, byte[] bytes, Map<String, String> fields) throws Exception {
        String mime = name.endsWith(".jpg") ? "image/jpeg" : "image/png";
        HttpResponse<String> r = server.upload(new Multipart().field("fileName", name).field("folder", folder)
                .field("useUniqueFileName", "false").fields(fields).file("file", name, mime, bytes), "Authorization", TestServer.basic());
        return ok(r);
    }

    private HttpResponse<String> patch(String fileId, String json) {
        return server.send(HttpRequest.newBuilder(server.uri("/v1/files/" + fileId + "/details"))
                .header("Authorization", TestServer.basic()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> post(String path, String json) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", TestServer.basic())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private JsonNode details(String fileId) throws Exception {
        return ok(server.get("/v1/files/" + fileId + "/details", "Authorization", TestServer.basic()));
    }

    private List<String> folders(String path) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode n : ok(server.get("/v1/files?type=folder&path=" + enc(path), "Authorization", TestServer.basic()))) {
            out.add(n.path("folderPath").asText());
        }
        return out;
    }

    private List<JsonNode> filesIn(String path) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ok(server.get("/v1/files?path=" + enc(path), "Authorization", TestServer.basic())).forEach(out::add);
        return out;
    }

    private HttpResponse<String> list(String searchQuery) {
        return server.get("/v1/files?path=/find/&searchQuery=" + enc(searchQuery), "Authorization", TestServer.basic());
    }

    private List<String> find(String searchQuery) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode n : ok(list(searchQuery))) {
            ids.add(n.path("fileId").asText());
        }
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void answered(int status, HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String... messageParts) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = Json.parse(r.body());
        assertThat(body.path("code").asText()).as(r.body()).isEqualTo(code);
        for (String part : messageParts) {
            assertThat(body.path("message").asText()).as(r.body()).contains(part);
        }
    }
}

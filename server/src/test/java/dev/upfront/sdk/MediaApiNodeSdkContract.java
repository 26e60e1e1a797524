package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.StaticSite;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The media API through one of ImageKit's Node SDKs: {@code src/test/node/media-scenario.mjs} (bound to the SDK by
 * {@link #script()}) runs every media call once against a fresh server and reports what the SDK's caller saw; the
 * tests here assert those results and then check the library state from Java, over HTTP with Basic auth (details,
 * versions, listings, field lists, job status), through delivery (the bytes behind every url, 404 once gone) and in
 * the blob folder. The scenario gives every call its own files, so the final state shows each call's effect.
 * Subclasses bind the SDK: {@link MediaApiNodeSdkV7Test} ({@code @imagekit/nodejs} 7.x, baseURL) and
 * {@link MediaApiNodeSdkV6Test} ({@code imagekit} 6.x through {@link dev.upfront.testing.ImageKitApiProxy}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MediaApiNodeSdkContract {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);
    static final String MISSING_ID = "000000000000000000000000";

    /** The sample files the scenario uploads, by name. */
    final Map<String, byte[]> samples = new LinkedHashMap<>();
    Path work;
    NodeProject project;
    TestServer server;
    StaticSite site;
    NodeProject.ProcessResult run;
    final Map<String, Step> steps = new LinkedHashMap<>();

    /** The script that binds the scenario to the SDK, in src/test/node. */
    abstract String script();

    /** The npm package of the SDK (its installed version must be the pinned one). */
    abstract String sdkPackage();

    /** Extra environment for the script; may start helpers (closed in {@link #stopHelpers()}). */
    abstract Map<String, String> sdkEnvironment(TestServer server, Path work) throws IOException;

    void stopHelpers() {}

    /** One SDK call as the script reported it. */
    record Step(String name, Integer status, boolean error, JsonNode body, String transport) {}

    @BeforeAll
    void runScenario() throws Exception {
        work = Files.createTempDirectory("upfront-media-sdk-");
        project = NodeProject.prepare(work.resolve("runs"));
        Path sampleDir = Files.createDirectories(work.resolve("samples"));
        samples.put("a.png", Images.png(40, 30));
        samples.put("b.png", Images.png(20, 20));
        samples.put("c1.png", opaquePng(20, 20));
        samples.put("c2.png", opaquePng(21, 21));
        samples.put("v1.png", Images.png(10, 10));
        samples.put("v2.png", Images.png(11, 11));
        samples.put("v3.png", Images.png(12, 12));
        samples.put("photo.jpg", Images.jpegWithExif(32, 24, "Upfront", "SDK Test"));
        samples.put("note.txt", "a plain text note\n".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> e : samples.entrySet()) {
            Files.write(sampleDir.resolve(e.getKey()), e.getValue());
        }

        // GET /v1/metadata?url= fetches from a loopback site: private targets allowed for this server only.
        server = TestServer.start(Map.of("UPFRONT_FETCH_ALLOW_PRIVATE", "true"));
        byte[] remotePhoto = samples.get("photo.jpg");
        site = StaticSite.start().route("/remote/photo.jpg", r -> new StaticSite.Response(200, "image/jpeg", remotePhoto));
        Map<String, String> env = new HashMap<>(sdkEnvironment(server, work));
        env.put("UPFRONT_REMOTE_SAMPLE", site.baseUrl() + "/remote/photo.jpg");
        env.put("UPFRONT_URL", server.baseUrl());
        env.put("UPFRONT_URL_ENDPOINT", server.urlEndpoint());
        env.put("UPFRONT_PUBLIC_KEY", TestServer.PUBLIC_KEY);
        env.put("UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY);
        env.put("UPFRONT_SAMPLES", sampleDir.toAbsolutePath().toString());
        run = project.node(script(), env, SCRIPT_TIMEOUT);
        assertThat(run.ok()).as("%s failed:%n%s", script(), run.describe()).isTrue();
        for (String line : run.stdoutLines()) {
            JsonNode n = Json.parse(line);
            String name = n.path("step").asText();
            assertThat(steps).as("step %s reported twice", name).doesNotContainKey(name);
            steps.put(name, new Step(name, n.path("status").isInt() ? n.get("status").intValue() : null,
                    n.path("error").asBoolean(false), n.path("body"), n.path("transport").isTextual() ? n.get("transport").asText() : null));
        }
    }

    /** PNGs without alpha (a different encoding than {@link Images#png}, so versions differ in bytes too). */
    private static byte[] opaquePng(int width, int height) throws IOException {
        var img = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(new java.awt.Color(200, 40, width * 5 % 256));
        g.fillRect(0, 0, width, height);
        g.dispose();
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (site != null) {
                site.close();
            }
            stopHelpers();
            if (work != null) {
                try (Stream<Path> walk = Files.walk(work)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void theScenarioRanThroughThePinnedSdk() throws Exception {
        JsonNode environment = Json.parse(run.stdoutLines().getFirst());
        assertThat(environment.path("step").asText()).isEqualTo("environment");
        assertThat(environment.path("sdk").asText()).isEqualTo(sdkPackage());
        assertThat(environment.path("version").asText()).as("installed %s", sdkPackage()).isEqualTo(project.pinnedVersion(sdkPackage()));
        assertThat(steps).as("the scenario ran to its end").containsKey("done");
        List<String> transport = steps.values().stream().filter(s -> s.transport() != null)
                .map(s -> s.name() + ": " + s.transport()).toList();
        assertThat(transport).as("calls that got no HTTP answer").isEmpty();
        // Every upload the scenario made for its subjects succeeded, except the one with invalid custom metadata.
        List<String> failedUploads = steps.values().stream().filter(s -> s.name().startsWith("upload:") && s.error())
                .map(s -> s.name() + " " + s.status() + " " + s.body()).toList();
        assertThat(failedUploads).singleElement().asString().startsWith("upload:cmfInvalid 400");
    }

    @Test
    void customMetadataFieldsCreateListUpdateDelete() throws Exception {
        JsonNode brand = ok("cmf.create.brand", 201);
        assertThat(brand.path("id").asText()).matches("[0-9a-f]{24}");
        assertThat(brand.path("name").asText()).isEqualTo("brand");
        assertThat(brand.path("label").asText()).isEqualTo("Brand");
        assertThat(brand.path("schema")).isEqualTo(Json.parse("{\"type\":\"Text\",\"maxLength\":20}"));
        ok("cmf.create.price", 201);
        ok("cmf.create.size", 201);
        JsonNode obsolete = ok("cmf.create.obsolete", 201);

        JsonNode invalid = failed("cmf.create.invalidSchema", 400, "CUSTOM_FIELD_INVALID");
        assertThat(invalid.path("message").asText()).isEqualTo("Invalid field object");
        assertThat(names(invalid.path("errors"))).containsExactly("maxLength");

        JsonNode price = ok("cmf.update.price", 200);
        assertThat(price.path("name").asText()).isEqualTo("price");
        assertThat(price.path("label").asText()).isEqualTo("Price (EUR)");
        assertThat(price.path("schema")).isEqualTo(Json.parse("{\"type\":\"Number\",\"minValue\":10,\"maxValue\":500}"));
        assertThat(names(price.path("schema"))).as("the type stays first").containsExactly("type", "minValue", "maxValue");

        assertEmptyBody(ok("cmf.delete.obsolete", 204));
        assertThat(fieldNames(ok("cmf.list", 200))).containsExactly("brand", "price", "size");
        assertThat(fieldNames(ok("cmf.list.includeDeleted", 200))).containsExactly("brand", "price", "size", "obsolete");

        // The server's own lists agree.
        JsonNode live = api("/v1/customMetadataFields");
        assertThat(fieldNames(live)).containsExactly("brand", "price", "size");
        assertThat(live).isEqualTo(step("cmf.list").body());
        JsonNode all = api("/v1/customMetadataFields?includeDeleted=true");
        assertThat(fieldNames(all)).containsExactly("brand", "price", "size", "obsolete");
        assertThat(find(all, "id", obsolete.path("id").asText())).isPresent();
        assertThat(find(live, "name", "price").orElseThrow()).isEqualTo(price);
    }

    @Test
    void customMetadataValuesAreValidatedOnUploadAndOnPatch() throws Exception {
        JsonNode upload = failed("upload:cmfInvalid", 400, "CUSTOM_METADATA_INVALID");
        assertThat(names(upload.path("errors"))).containsExactly("price");
        assertThat(upload.path("message").asText()).contains("price");
        assertThat(namesIn("/m/cmf/")).as("the rejected upload stored nothing").containsExactly("good.png");

        JsonNode good = ok("upload:cmfGood", 200);
        JsonNode expected = Json.parse("{\"brand\":\"Acme\",\"price\":20}");
        assertThat(details(good).path("customMetadata")).isEqualTo(expected);

        JsonNode wrongType = failed("cmf.patch.invalidValue", 400, "CUSTOM_METADATA_INVALID");
        assertThat(names(wrongType.path("errors"))).containsExactly("brand");
        assertThat(wrongType.path("message").asText()).contains("brand");
        JsonNode deletedField = failed("cmf.patch.deletedField", 400, "CUSTOM_METADATA_INVALID");
        assertThat(names(deletedField.path("errors"))).containsExactly("obsolete");
        assertThat(details(good).path("customMetadata")).as("rejected PATCHes changed nothing").isEqualTo(expected);
    }

    @Test
    void fileDetailsGetAndUpdate() throws Exception {
        JsonNode a = ok("upload:a", 200);
        JsonNode got = ok("files.get", 200);
        assertThat(got.path("fileId").asText()).isEqualTo(a.path("fileId").asText());
        assertThat(got.path("type").asText()).isEqualTo("file");
        assertThat(got.path("name").asText()).isEqualTo("a.png");
        assertThat(got.path("filePath").asText()).isEqualTo("/m/files/a.png");
        assertThat(strings(got.path("tags"))).containsExactly("alpha");
        assertThat(got.path("versionInfo")).isEqualTo(a.path("versionInfo"));
        assertThat(got.path("mime").asText()).isEqualTo("image/png");
        assertThat(got.path("width").asInt()).isEqualTo(40);
        assertThat(got.path("height").asInt()).isEqualTo(30);
        assertThat(got.path("size").asInt()).isEqualTo(samples.get("a.png").length);
        assertThat(got.path("url").asText()).isEqualTo(server.urlEndpoint() + "/m/files/a.png");

        JsonNode updated = ok("files.update", 200);
        assertThat(strings(updated.path("tags"))).containsExactly("t1", "t2");
        assertThat(updated.path("customCoordinates").asText()).isEqualTo("1,2,10,10");
        assertThat(updated.path("customMetadata")).isEqualTo(Json.parse("{\"brand\":\"Acme\",\"price\":99}"));
        JsonNode merged = ok("files.update.merge", 200);
        assertThat(merged.path("customMetadata")).as("merged per key, null unsets").isEqualTo(Json.parse("{\"brand\":\"Acme\",\"size\":\"M\"}"));
        assertThat(strings(merged.path("tags"))).containsExactly("t1", "t2");

        JsonNode now = details(a);
        assertThat(strings(now.path("tags"))).containsExactly("t1", "t2");
        assertThat(now.path("customCoordinates").asText()).isEqualTo("1,2,10,10");
        assertThat(now.path("customMetadata")).isEqualTo(merged.path("customMetadata"));
        assertThat(now.path("versionInfo")).isEqualTo(a.path("versionInfo"));
        assertThat(delivered(now.path("url").asText())).isEqualTo(samples.get("a.png"));

        JsonNode unset = ok("files.update.unset", 200);
        assertThat(unset.path("tags").isNull()).as("tags: null unsets, %s", unset).isTrue();
        assertThat(unset.path("customCoordinates").isNull()).isTrue();
        JsonNode a2 = details(ok("upload:a2", 200));
        assertThat(a2.path("tags").isNull()).isTrue();
        assertThat(a2.path("customCoordinates").isNull()).isTrue();
    }

    @Test
    void publicationWithAndWithoutFileVersions() throws Exception {
        JsonNode p1 = ok("upload:p1v2", 200);
        assertThat(ok("files.unpublishAll", 200).path("isPublished").asBoolean(true)).isFalse();
        assertThat(details(p1).path("isPublished").asBoolean(true)).isFalse();
        JsonNode p1Versions = versions(p1);
        assertThat(p1Versions).hasSize(2);
        for (JsonNode v : p1Versions) {
            assertThat(v.path("isPublished").asBoolean(true)).as("includeFileVersions unpublished %s", v.path("versionInfo")).isFalse();
            assertThat(deliveryStatus(v.path("url").asText())).as("unpublished %s", v.path("url")).isEqualTo(404);
        }

        JsonNode p2 = ok("upload:p2v2", 200);
        assertThat(ok("files.p2.unpublishAll", 200).path("isPublished").asBoolean(true)).isFalse();
        JsonNode republished = ok("files.publishCurrent", 200);
        assertThat(republished.path("isPublished").asBoolean()).isTrue();
        assertThat(republished.path("versionInfo")).isEqualTo(p2.path("versionInfo"));
        assertThat(details(p2).path("isPublished").asBoolean()).isTrue();
        JsonNode p2Versions = versions(p2);
        assertThat(p2Versions).hasSize(2);
        assertThat(p2Versions.get(0).path("isPublished").asBoolean()).isTrue();
        assertThat(delivered(p2Versions.get(0).path("url").asText())).isEqualTo(samples.get("c2.png"));
        assertThat(p2Versions.get(1).path("isPublished").asBoolean(true)).as("only the current version was published again").isFalse();
        assertThat(deliveryStatus(p2Versions.get(1).path("url").asText())).isEqualTo(404);
    }

    @Test
    void deleteAndBulkDelete() throws Exception {
        JsonNode d = ok("upload:d", 200);
        assertEmptyBody(ok("files.delete", 204));
        failed("files.get.deleted", 404, "FILE_NOT_FOUND");
        assertGone(d);

        JsonNode b1 = ok("upload:b1", 200);
        JsonNode b2 = ok("upload:b2", 200);
        JsonNode b3 = ok("upload:b3", 200);
        assertThat(strings(ok("bulk.delete", 200).path("successfullyDeletedFileIds")))
                .containsExactlyInAnyOrder(id(b1), id(b2));
        assertGone(b1);
        assertGone(b2);

        JsonNode missing = failed("bulk.delete.missing", 404, "FILES_NOT_FOUND");
        assertThat(missing.path("message").asText()).isEqualTo("The requested file(s) does not exist.");
        assertThat(strings(missing.path("missingFileIds"))).containsExactly(MISSING_ID);
        assertThat(details(b3).path("fileId").asText()).as("nothing deleted when one id is missing").isEqualTo(id(b3));
        assertThat(delivered(b3.path("url").asText())).isEqualTo(samples.get("b.png"));
    }

    @Test
    void tagsInBulk() throws Exception {
        JsonNode t1 = ok("upload:t1", 200);
        JsonNode t2 = ok("upload:t2", 200);
        assertThat(strings(ok("tags.add", 200).path("successfullyUpdatedFileIds"))).containsExactlyInAnyOrder(id(t1), id(t2));
        assertThat(strings(ok("tags.remove", 200).path("successfullyUpdatedFileIds"))).containsExactlyInAnyOrder(id(t1), id(t2));
        JsonNode missing = failed("tags.add.missing", 404, "FILES_NOT_FOUND");
        assertThat(strings(missing.path("missingFileIds"))).containsExactly(MISSING_ID);
        assertThat(strings(ok("tags.removeAI", 200).path("successfullyUpdatedFileIds"))).containsExactlyInAnyOrder(id(t1), id(t2));
        assertThat(strings(failed("tags.removeAI.missing", 404, "FILES_NOT_FOUND").path("missingFileIds"))).containsExactly(MISSING_ID);

        JsonNode one = details(t1);
        assertThat(strings(one.path("tags"))).as("added, removed, and nothing from the failed call").containsExactly("keep", "sale");
        assertThat(one.path("AITags").isNull()).isTrue();
        assertThat(strings(details(t2).path("tags"))).containsExactly("sale");
    }

    @Test
    void copyMoveAndRename() throws Exception {
        JsonNode source = ok("upload:cv2", 200);
        assertEmptyBody(ok("copy.latest", 204));
        assertEmptyBody(ok("copy.withVersions", 204));
        assertEmptyBody(ok("copy.ontoExisting", 204));

        JsonNode one = fileAt("/m/copy/one/c.png").orElseThrow();
        assertThat(one.path("fileId").asText()).isNotEqualTo(id(source));
        JsonNode oneVersions = versions(one);
        // Current first (the last appended, c2), then the older ones oldest first: the first copy (c2), the appended c1.
        assertThat(widths(oneVersions)).as("1 copied, then 2 appended").containsExactly(21, 21, 20);
        assertThat(delivered(one.path("url").asText())).isEqualTo(samples.get("c2.png"));
        JsonNode all = fileAt("/m/copy/all/c.png").orElseThrow();
        assertThat(widths(versions(all))).as("copied with its versions").containsExactly(21, 20);
        assertThat(widths(versions(source))).as("the source is unchanged").containsExactly(21, 20);
        assertThat(failed("copy.missing", 404, "SOURCE_FILE_MISSING").path("reason").asText()).isEqualTo("SOURCE_FILE_MISSING");

        JsonNode m = ok("upload:m", 200);
        assertEmptyBody(ok("move", 204));
        assertThat(namesIn("/m/move/src/")).isEmpty();
        JsonNode moved = fileAt("/m/move/dst/m.png").orElseThrow();
        assertThat(delivered(moved.path("url").asText())).isEqualTo(samples.get("a.png"));
        assertThat(deliveryStatus(m.path("url").asText())).isEqualTo(404);

        JsonNode r = ok("upload:r", 200);
        assertThat(ok("rename.purge", 200).path("purgeRequestId").asText()).isNotBlank();
        JsonNode plain = ok("rename.plain", 200);
        assertThat(plain.isObject() && plain.isEmpty()).as("rename without purge answers {}, got %s", plain).isTrue();
        assertThat(failed("rename.conflict", 409, "FILE_ALREADY_EXISTS").path("reason").asText()).isEqualTo("FILE_ALREADY_EXISTS");
        JsonNode renamed = details(r);
        assertThat(renamed.path("filePath").asText()).isEqualTo("/m/rename/r3.png");
        assertThat(renamed.path("name").asText()).isEqualTo("r3.png");
        assertThat(delivered(renamed.path("url").asText())).isEqualTo(samples.get("a.png"));
        assertThat(deliveryStatus(server.urlEndpoint() + "/m/rename/r.png")).isEqualTo(404);
        assertThat(deliveryStatus(server.urlEndpoint() + "/m/rename/r2.png")).isEqualTo(404);
        assertThat(namesIn("/m/rename/")).containsExactlyInAnyOrder("r3.png", "other.png");
    }

    @Test
    void fileMetadataOfPngAndJpeg() throws Exception {
        JsonNode a = ok("upload:a", 200);
        JsonNode png = ok("metadata.png", 200);
        assertThat(png.path("width").asInt()).isEqualTo(40);
        assertThat(png.path("height").asInt()).isEqualTo(30);
        assertThat(png.path("size").asInt()).isEqualTo(samples.get("a.png").length);
        assertThat(png.path("format").asText()).isEqualTo("png");
        assertThat(png.path("exif").isObject()).as("exif object in %s", png).isTrue();
        assertThat(png.path("pHash").asText()).matches("[0-9a-f]{16}");
        assertThat(api("/v1/files/" + id(a) + "/metadata")).isEqualTo(png);

        JsonNode jpgUpload = ok("upload:jpg", 200);
        JsonNode jpg = ok("metadata.jpg", 200);
        assertThat(jpg.path("width").asInt()).isEqualTo(32);
        assertThat(jpg.path("height").asInt()).isEqualTo(24);
        assertThat(jpg.path("format").asText()).isEqualTo("jpg");
        assertThat(jpg.path("pHash").asText()).matches("[0-9a-f]{16}");
        assertThat(jpg.path("exif").path("image").path("Make").asText()).as("exif in %s", jpg).isEqualTo("Upfront");
        assertThat(jpg.path("exif").path("image").path("Model").asText()).isEqualTo("SDK Test");
        assertThat(api("/v1/files/" + id(jpgUpload) + "/metadata")).isEqualTo(jpg);
    }

    @Test
    void versionsListGetDeleteRestore() throws Exception {
        JsonNode v1 = ok("upload:v1", 200);
        JsonNode v2 = ok("upload:v2", 200);
        JsonNode v3 = ok("upload:v3", 200);
        String fileId = id(v1);
        assertThat(List.of(id(v2), id(v3))).containsOnly(fileId);

        JsonNode list = ok("versions.list", 200);
        assertThat(versionIds(list)).containsExactly(versionId(v3), versionId(v1), versionId(v2));
        assertThat(list.get(0).path("type").asText()).isEqualTo("file");
        assertThat(list.get(0).path("url").asText()).doesNotContain("ik-obj-version");
        for (int i = 1; i < list.size(); i++) {
            assertThat(list.get(i).path("type").asText()).isEqualTo("file-version");
            assertThat(list.get(i).path("url").asText()).endsWith("?ik-obj-version=" + list.get(i).path("versionInfo").path("id").asText());
        }

        JsonNode got = ok("versions.get", 200);
        assertThat(got.path("type").asText()).isEqualTo("file-version");
        assertThat(got.path("versionInfo")).isEqualTo(v1.path("versionInfo"));
        assertThat(got.path("width").asInt()).isEqualTo(10);

        assertEmptyBody(ok("versions.delete", 204));
        failed("versions.get.deleted", 404, "VERSION_NOT_FOUND");
        JsonNode current = failed("versions.deleteCurrent", 400, "CURRENT_VERSION");
        assertThat(current.path("message").asText()).isEqualTo("You cannot delete current version of a file.");

        JsonNode restored = ok("versions.restore", 200);
        assertThat(restored.path("type").asText()).isEqualTo("file");
        assertThat(restored.path("versionInfo")).isEqualTo(v1.path("versionInfo"));
        assertThat(restored.path("width").asInt()).isEqualTo(10);
        JsonNode after = ok("versions.list.afterRestore", 200);
        assertThat(versionIds(after)).containsExactly(versionId(v1), versionId(v3));

        // State: v1 is current and served at the plain url; v3 is an old version served with ?ik-obj-version=; v2 is gone.
        JsonNode d = details(v1);
        assertThat(d.path("versionInfo")).isEqualTo(v1.path("versionInfo"));
        assertThat(delivered(d.path("url").asText())).isEqualTo(samples.get("v1.png"));
        JsonNode stored = versions(v1);
        assertThat(stored).isEqualTo(after);
        assertThat(stored.get(1).path("url").asText()).isEqualTo(server.urlEndpoint() + "/m/versions/v.png?ik-obj-version=" + versionId(v3));
        assertThat(delivered(stored.get(1).path("url").asText())).isEqualTo(samples.get("v3.png"));
        assertThat(apiStatus("/v1/files/" + fileId + "/versions/" + versionId(v2))).isEqualTo(404);
        assertThat(blobNames()).doesNotContain(versionId(v2)).contains(versionId(v1), versionId(v3));
    }

    @Test
    void listingAndSearch() throws Exception {
        assertThat(names(listed("list.path", "path=/m/list/"))).containsExactly("l1.png", "l2.jpg", "l3.txt");
        assertThat(names(listed("list.sortName", "path=/m/list/&sort=DESC_NAME"))).containsExactly("l3.txt", "l2.jpg", "l1.png");
        JsonNode folders = listed("list.folders", "path=/m/list/&type=folder");
        assertThat(names(folders)).containsExactly("sub");
        assertThat(folders.get(0).path("type").asText()).isEqualTo("folder");
        assertThat(folders.get(0).path("folderPath").asText()).isEqualTo("/m/list/sub");
        JsonNode all = listed("list.all", "path=/m/list/&type=all&sort=ASC_NAME");
        assertThat(names(all)).containsExactly("sub", "l1.png", "l2.jpg", "l3.txt");
        assertThat(names(listed("list.nonImage", "path=/m/list/&fileType=non-image"))).containsExactly("l3.txt");
        assertThat(names(listed("list.image", "path=/m/list/&fileType=image&sort=ASC_NAME"))).containsExactly("l1.png", "l2.jpg");
        assertThat(names(listed("list.tags", "path=/m/list/&tags=lred"))).as("one folder level: not sub/l4.png").containsExactly("l1.png");
        assertThat(names(listed("list.page", "path=/m/list/&sort=ASC_NAME&limit=1&skip=1"))).containsExactly("l2.jpg");
        JsonNode versions = listed("list.versions", "path=/m/list/&type=file-version");
        assertThat(names(versions)).containsExactly("l1.png");
        assertThat(versions.get(0).path("type").asText()).isEqualTo("file-version");
        assertThat(versions.get(0).path("versionInfo").path("name").asText()).isEqualTo("Version 1");

        assertThat(names(listed("search.name", "searchQuery=" + q("name = \"l2.jpg\"")))).containsExactly("l2.jpg");
        assertThat(names(listed("search.tags", "searchQuery=" + q("tags IN [\"lred\", \"lblue\"] AND format = \"png\"") + "&sort=ASC_NAME")))
                .as("whole library, nested folders included").containsExactly("l1.png", "l4.png");
        assertThat(names(listed("search.customMetadata", "searchQuery=" + q("\"customMetadata.brand\" = \"Acme\"") + "&sort=ASC_NAME")))
                .containsExactly("a.png", "good.png");
    }

    @Test
    void foldersCreateDeleteCopyMoveAndJobs() throws Exception {
        assertEmptyBody(ok("folders.create", 201));
        assertEmptyBody(ok("folders.create.nested", 201));
        assertThat(names(api("/v1/files?type=folder&path=/m/folders/"))).contains("made", "auto").doesNotContain("doomed", "mv");
        assertThat(names(api("/v1/files?type=folder&path=/m/folders/auto/parent/"))).containsExactly("deep");

        JsonNode x1 = ok("upload:x1", 200);
        JsonNode x2 = ok("upload:x2", 200);
        JsonNode y = ok("upload:y", 200);
        assertEmptyBody(ok("folders.delete", 204));
        assertGone(x2);
        assertGone(y);
        assertThat(blobNames()).as("versions went with the folder").doesNotContain(versionId(x1));
        assertThat(api("/v1/files?path=/m/folders/doomed/&type=all")).isEmpty();
        JsonNode missing = failed("folders.delete.missing", 404, "FOLDER_NOT_FOUND");
        assertThat(missing.path("reason").asText()).isEqualTo("FOLDER_NOT_FOUND");

        JsonNode copy = ok("folders.copy", 200);
        String copyJob = copy.path("jobId").asText();
        assertThat(copyJob).matches("[0-9a-f]{24}");
        assertJob(ok("folders.copy.job", 200), copyJob, "COPY_FOLDER");
        assertThat(widths(versions(fileAt("/m/folders/copied/src/s1.png").orElseThrow()))).as("with versions").containsExactly(21, 20);
        assertThat(fileAt("/m/folders/copied/src/sub/s2.png")).isPresent();
        assertThat(widths(versions(fileAt("/m/folders/src/s1.png").orElseThrow()))).as("source kept").containsExactly(21, 20);
        ok("folders.copy.latest", 200);
        assertThat(widths(versions(fileAt("/m/folders/latest/src/s1.png").orElseThrow()))).as("without versions").containsExactly(21);
        assertThat(fileAt("/m/folders/latest/src/sub/s2.png")).isPresent();
        assertThat(failed("folders.copy.missing", 404, "NO_FILES_FOLDER").path("reason").asText()).isEqualTo("NO_FILES_FOLDER");

        JsonNode mv = ok("upload:mv", 200);
        JsonNode move = ok("folders.move", 200);
        assertJob(ok("folders.move.job", 200), move.path("jobId").asText(), "MOVE_FOLDER");
        JsonNode moved = fileAt("/m/folders/moved/mv/m1.png").orElseThrow();
        assertThat(delivered(moved.path("url").asText())).isEqualTo(samples.get("a.png"));
        assertThat(deliveryStatus(mv.path("url").asText())).isEqualTo(404);
        assertThat(api("/v1/files?path=/m/folders/mv/&type=all")).isEmpty();
        failed("folders.job.missing", 404, "JOB_NOT_FOUND");
    }

    @Test
    void metadataOfAUrlIsThatOfTheSameFileStored() throws Exception {
        JsonNode remote = ok("metadata.url", 200);
        assertThat(remote.path("exif").path("image").path("Make").asText()).as("%s", remote).isEqualTo("Upfront");
        assertThat(remote).isEqualTo(ok("metadata.jpg", 200));
    }

    @Test
    void extensionsOnPatchAreRefusedByNameAndChangeNothing() throws Exception {
        JsonNode refused = failed("files.update.extensions", 400, "FIELD_NOT_SUPPORTED");
        assertThat(refused.path("message").asText()).contains("extensions");
        JsonNode gap = ok("upload:gap", 200);
        assertThat(details(gap).path("tags").get(0).asText()).isEqualTo("gap");
        assertThat(ok("files.update.description", 200).path("AITags").isNull()).as("no AI tags, ever claimed").isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------------

    Step step(String name) {
        Step s = steps.get(name);
        assertThat(s).as("step %s was not reported; script output:%n%s", name, run.describe()).isNotNull();
        assertThat(s.transport()).as("%s got no HTTP answer", name).isNull();
        return s;
    }

    /** The body of a step that succeeded with {@code status}. */
    JsonNode ok(String name, int status) {
        Step s = step(name);
        assertThat(s.error()).as("%s was rejected: %s %s", name, s.status(), s.body()).isFalse();
        assertThat(s.status()).as("%s status (%s)", name, s.body()).isEqualTo(status);
        return s.body();
    }

    /** The error body of a step the SDK rejected with {@code status} and our {@code code}. */
    JsonNode failed(String name, int status, String code) {
        Step s = step(name);
        assertThat(s.error()).as("%s should have been rejected, got %s %s", name, s.status(), s.body()).isTrue();
        assertThat(s.status()).as("%s status (%s)", name, s.body()).isEqualTo(status);
        assertThat(s.body().path("code").asText()).as("%s code in %s", name, s.body()).isEqualTo(code);
        assertThat(s.body().path("message").asText()).isNotBlank();
        assertThat(s.body().path("help").asText()).isNotBlank();
        return s.body();
    }

    /** v7 gives null for 204 and an empty string for an empty 201; v6 gives {} for both. */
    static void assertEmptyBody(JsonNode body) {
        boolean empty = body == null || body.isNull() || body.isMissingNode() || (body.isObject() && body.isEmpty())
                || (body.isTextual() && body.asText().isEmpty());
        assertThat(empty).as("empty response body, got %s", body).isTrue();
    }

    /** A listing step's result, which must equal what the server answers to {@code query} now. */
    JsonNode listed(String name, String query) throws Exception {
        JsonNode body = ok(name, 200);
        assertThat(body.isArray()).as("%s: %s", name, body).isTrue();
        assertThat(body).as("%s equals GET /v1/files?%s", name, query).isEqualTo(api("/v1/files?" + query));
        return body;
    }

    static String q(String searchQuery) {
        return URLEncoder.encode(searchQuery, StandardCharsets.UTF_8);
    }

    JsonNode api(String path) throws Exception {
        HttpResponse<String> r = server.get(path, "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    int apiStatus(String path) {
        return server.get(path, "Authorization", TestServer.basic()).statusCode();
    }

    JsonNode details(JsonNode file) throws Exception {
        return api("/v1/files/" + id(file) + "/details");
    }

    JsonNode versions(JsonNode file) throws Exception {
        return api("/v1/files/" + id(file) + "/versions");
    }

    /** The current file at {@code filePath}, found by listing its folder. */
    Optional<JsonNode> fileAt(String filePath) throws Exception {
        String folder = filePath.substring(0, filePath.lastIndexOf('/') + 1);
        return find(api("/v1/files?path=" + folder), "filePath", filePath);
    }

    List<String> namesIn(String folder) throws Exception {
        return names(api("/v1/files?path=" + folder));
    }

    /** The file no longer exists: details 404, its url 404, its blobs gone. */
    void assertGone(JsonNode upload) {
        assertThat(apiStatus("/v1/files/" + id(upload) + "/details")).as("details of deleted %s", id(upload)).isEqualTo(404);
        assertThat(deliveryStatus(upload.path("url").asText())).as("url of deleted %s", upload.path("url")).isEqualTo(404);
        assertThat(blobNames()).as("blob of deleted %s", id(upload)).doesNotContain(versionId(upload));
    }

    void assertJob(JsonNode job, String jobId, String type) throws Exception {
        assertThat(names(job)).as("keys in ImageKit's order").containsExactly("jobId", "type", "status");
        assertThat(job.path("jobId").asText()).isEqualTo(jobId);
        assertThat(job.path("type").asText()).isEqualTo(type);
        assertThat(job.path("status").asText()).isEqualTo("Completed");
        assertThat(api("/v1/bulkJobs/" + jobId)).isEqualTo(job);
    }

    byte[] delivered(String url) {
        HttpResponse<byte[]> r = server.getBytes(url);
        assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
        return r.body();
    }

    int deliveryStatus(String url) {
        return server.getBytes(url).statusCode();
    }

    List<String> blobNames() {
        return server.blobFiles().stream().map(p -> p.getFileName().toString()).toList();
    }

    static String id(JsonNode file) {
        String id = file.path("fileId").asText();
        assertThat(id).as("fileId in %s", file).isNotBlank();
        return id;
    }

    static String versionId(JsonNode file) {
        String id = file.path("versionInfo").path("id").asText();
        assertThat(id).as("versionInfo.id in %s", file).isNotBlank();
        return id;
    }

    static List<String> versionIds(JsonNode files) {
        List<String> out = new ArrayList<>();
        files.forEach(f -> out.add(versionId(f)));
        return out;
    }

    static List<Integer> widths(JsonNode files) {
        List<Integer> out = new ArrayList<>();
        files.forEach(f -> out.add(f.path("width").asInt()));
        return out;
    }

    static Optional<JsonNode> find(JsonNode array, String key, String value) {
        for (JsonNode n : array) {
            if (n.path(key).asText().equals(value)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** The {@code name} of each element of an array, or the keys of an object. */
    static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(out::add);
        } else {
            node.forEach(n -> out.add(n.path("name").asText()));
        }
        return out;
    }

    static List<String> fieldNames(JsonNode fields) {
        assertThat(fields.isArray()).as("%s", fields).isTrue();
        return names(fields);
    }

    static List<String> strings(JsonNode array) {
        assertThat(array.isArray()).as("%s is a JSON array", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Same path, new version (PRODUCT.md §3.3, reference §2.5): ids, names, limits, carried-over fields, concurrency. */
class VersioningTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createCustomField("brand", "{\"type\":\"Text\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> send(TestServer s, String fileName, String content, Map<String, String> fields) {
        Map<String, String> all = new HashMap<>(fields);
        all.putIfAbsent("useUniqueFileName", "false");
        Multipart m = new Multipart().field("fileName", fileName).fields(all).file(content.getBytes(StandardCharsets.UTF_8));
        return s.upload(m, "Authorization", TestServer.basic());
    }

    static JsonNode upload(TestServer s, String fileName, String content, Map<String, String> fields) throws Exception {
        HttpResponse<String> r = send(s, fileName, content, fields);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static JsonNode upload(String fileName, String content, Map<String, String> fields) throws Exception {
        return upload(server, fileName, content, fields);
    }

    static String body(TestServer s, String url) {
        HttpResponse<byte[]> r = s.getBytes(url);
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static JsonNode details(String fileId) throws Exception {
        HttpResponse<String> r = server.get("/v1/files/" + fileId + "/details", "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static List<Path> staging(TestServer s) throws Exception {
        try (Stream<Path> files = Files.list(s.dataDir().resolve("blobs").resolve(".staging"))) {
            return files.toList();
        }
    }

    @Test
    void samePathMakesANewVersionOfTheSameFile() throws Exception {
        JsonNode v1 = upload("doc.txt", "first", Map.of());
        JsonNode v2 = upload("doc.txt", "second", Map.of());
        String fileId = v1.get("fileId").asText();
        assertThat(v1.get("versionInfo").get("id").asText()).isEqualTo(fileId);
        assertThat(v1.get("versionInfo").get("name").asText()).isEqualTo("Version 1");
        assertThat(v2.get("fileId").asText()).isEqualTo(fileId);
        assertThat(v2.get("name").asText()).isEqualTo("doc.txt");
        assertThat(v2.get("filePath").asText()).isEqualTo("/doc.txt");
        assertThat(v2.get("versionInfo").get("name").asText()).isEqualTo("Version 2");
        String v2Id = v2.get("versionInfo").get("id").asText();
        assertThat(v2Id).matches("[0-9a-f]{24}").isNotEqualTo(fileId);
        assertThat(v2.get("size").asLong()).isEqualTo("second".length());

        assertThat(body(server, v2.get("url").asText())).isEqualTo("second");
        assertThat(body(server, v1.get("url").asText())).isEqualTo("second"); // same URL, newest bytes
        assertThat(body(server, v1.get("url").asText() + "?ik-obj-version=" + fileId)).isEqualTo("first");
        assertThat(body(server, v1.get("url").asText() + "?ik-obj-version=" + v2Id)).isEqualTo("second");

        JsonNode d = details(fileId);
        assertThat(d.get("versionInfo").get("id").asText()).isEqualTo(v2Id);
        assertThat(d.get("versionInfo").get("name").asText()).isEqualTo("Version 2");
        assertThat(d.get("size").asLong()).isEqualTo("second".length());
    }

    @Test
    void versionsOfAFileInAFolder() throws Exception {
        JsonNode v1 = upload("f.txt", "a", Map.of("folder", "/versions/here/"));
        JsonNode v2 = upload("f.txt", "b", Map.of("folder", "versions/here"));
        assertThat(v2.get("fileId").asText()).isEqualTo(v1.get("fileId").asText());
        assertThat(v2.get("versionInfo").get("name").asText()).isEqualTo("Version 2");
        JsonNode other = upload("f.txt", "c", Map.of("folder", "/versions/"));
        assertThat(other.get("fileId").asText()).isNotEqualTo(v1.get("fileId").asText());
        assertThat(other.get("versionInfo").get("name").asText()).isEqualTo("Version 1");
    }

    @Test
    void overwriteFileFalseRefusesAnExistingPath() throws Exception {
        JsonNode v1 = upload("keep.txt", "original", Map.of());
        Set<Path> before = new HashSet<>(server.blobFiles());
        HttpResponse<String> r = send(server, "keep.txt", "intruder", Map.of("overwriteFile", "false"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = Json.parse(r.body());
        assertThat(error.get("code").asText()).isEqualTo("FILE_EXISTS");
        assertThat(error.get("message").asText()).isEqualTo("A file with the same name already exists at the exact location."
                + " We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.");
        assertThat(new HashSet<>(server.blobFiles())).isEqualTo(before);
        assertThat(staging(server)).isEmpty();
        assertThat(body(server, v1.get("url").asText())).isEqualTo("original");
        assertThat(details(v1.get("fileId").asText()).get("versionInfo").get("name").asText()).isEqualTo("Version 1");
    }

    @Test
    void overwriteFileFalseOnANewPathUploads() throws Exception {
        JsonNode r = upload("fresh-" + System.nanoTime() + ".txt", "new", Map.of("overwriteFile", "false"));
        assertThat(r.get("versionInfo").get("name").asText()).isEqualTo("Version 1");
    }

    @Test
    void overwriteFileFalseWithUniqueNamesIsANewFile() throws Exception {
        JsonNode v1 = upload("u.txt", "one", Map.of());
        JsonNode other = upload("u.txt", "two", Map.of("overwriteFile", "false", "useUniqueFileName", "true"));
        assertThat(other.get("fileId").asText()).isNotEqualTo(v1.get("fileId").asText());
        assertThat(other.get("name").asText()).matches("u_[A-Za-z0-9_-]{9}\\.txt");
    }

    @Test
    void versionLimitRefusesTheNextVersionAndStoresNothing() throws Exception {
        try (TestServer small = TestServer.start(Map.of("UPFRONT_MAX_VERSIONS", "3"))) {
            String fileId = null;
            for (int i = 1; i <= 3; i++) {
                JsonNode r = upload(small, "capped.txt", "v" + i, Map.of());
                assertThat(r.get("versionInfo").get("name").asText()).isEqualTo("Version " + i);
                fileId = fileId == null ? r.get("fileId").asText() : fileId;
                assertThat(r.get("fileId").asText()).isEqualTo(fileId);
            }
            Set<Path> before = new HashSet<>(small.blobFiles());
            HttpResponse<String> r = send(small, "capped.txt", "v4", Map.of());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            JsonNode error = Json.parse(r.body());
            assertThat(error.get("code").asText()).isEqualTo("VERSION_LIMIT");
            assertThat(error.get("message").asText()).contains("3");
            assertThat(new HashSet<>(small.blobFiles())).isEqualTo(before);
            assertThat(staging(small)).isEmpty();
            assertThat(body(small, small.urlEndpoint() + "/capped.txt")).isEqualTo("v3");

            // Another path is not affected; a unique name beside the capped file is not a version either.
            assertThat(upload(small, "other.txt", "x", Map.of()).get("versionInfo").get("name").asText()).isEqualTo("Version 1");
            assertThat(upload(small, "capped.txt", "x", Map.of("useUniqueFileName", "true")).get("fileId").asText())
                    .isNotEqualTo(fileId);
        }
    }

    @Test
    void tagsAreRemovedOnOverwriteByDefault() throws Exception {
        upload("tagged.txt", "1", Map.of("tags", "a,b"));
        JsonNode v2 = upload("tagged.txt", "2", Map.of("responseFields", "tags"));
        assertThat(v2.get("tags").isNull()).isTrue();
    }

    @Test
    void overwriteTagsFalseCarriesTagsOver() throws Exception {
        upload("kept-tags.txt", "1", Map.of("tags", "a,b"));
        JsonNode v2 = upload("kept-tags.txt", "2", Map.of("overwriteTags", "false", "responseFields", "tags"));
        assertThat(v2.get("versionInfo").get("name").asText()).isEqualTo("Version 2");
        assertThat(v2.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(details(v2.get("fileId").asText()).get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void sentTagsReplaceWhateverOverwriteTagsSays() throws Exception {
        upload("replaced-tags.txt", "1", Map.of("tags", "a,b"));
        JsonNode v2 = upload("replaced-tags.txt", "2", Map.of("tags", "c", "overwriteTags", "false", "responseFields", "tags"));
        assertThat(v2.get("tags").toString()).isEqualTo("[\"c\"]");
    }

    @Test
    void customMetadataFollowsOverwriteCustomMetadata() throws Exception {
        upload("meta.txt", "1", Map.of("customMetadata", "{\"brand\":\"Nike\"}"));
        JsonNode removed = upload("meta.txt", "2", Map.of("responseFields", "customMetadata"));
        assertThat(removed.get("customMetadata").size()).isZero();

        upload("meta2.txt", "1", Map.of("customMetadata", "{\"brand\":\"Nike\"}"));
        JsonNode kept = upload("meta2.txt", "2", Map.of("overwriteCustomMetadata", "false", "responseFields", "customMetadata"));
        assertThat(kept.get("customMetadata").get("brand").asText()).isEqualTo("Nike");
    }

    @Test
    void customCoordinatesAreRemovedOnOverwriteWhenAbsent() throws Exception {
        upload("coords.txt", "1", Map.of("customCoordinates", "1,2,3,4"));
        JsonNode v2 = upload("coords.txt", "2", Map.of("responseFields", "customCoordinates"));
        assertThat(v2.get("customCoordinates").isNull()).isTrue();
    }

    /** Sends {@code n} uploads of {@code fileName} at once; returns the responses in submission order. */
    static List<HttpResponse<String>> concurrently(TestServer s, int n, String fileName, Map<String, String> fields) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                String content = "content " + i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return send(s, fileName, content, fields);
                }));
            }
            go.countDown();
            List<HttpResponse<String>> out = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }

    static long countCode(List<HttpResponse<String>> responses, int status, String code) throws Exception {
        long n = 0;
        for (HttpResponse<String> r : responses) {
            if (r.statusCode() == status && (code == null || Json.parse(r.body()).get("code").asText().equals(code))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void concurrentUploadsStopExactlyAtTheVersionLimit() throws Exception {
        try (TestServer small = TestServer.start(Map.of("UPFRONT_MAX_VERSIONS", "3"))) {
            List<HttpResponse<String>> responses = concurrently(small, 10, "race.txt", Map.of());
            assertThat(countCode(responses, 200, null)).as(responses.toString()).isEqualTo(3);
            assertThat(countCode(responses, 400, "VERSION_LIMIT")).isEqualTo(7);
            assertThat(small.blobFiles()).hasSize(3);
            assertThat(staging(small)).isEmpty();
        }
    }

    @Test
    void concurrentNoOverwriteUploadsToANewPathCreateOneFile() throws Exception {
        List<HttpResponse<String>> responses = concurrently(server, 10, "only-one.txt", Map.of("overwriteFile", "false"));
        assertThat(countCode(responses, 200, null)).as(responses.toString()).isEqualTo(1);
        assertThat(countCode(responses, 400, "FILE_EXISTS")).isEqualTo(9);
        String winner = null;
        for (int i = 0; i < responses.size(); i++) {
            if (responses.get(i).statusCode() == 200) {
                winner = "content " + i;
            }
        }
        assertThat(body(server, server.urlEndpoint() + "/only-one.txt")).isEqualTo(winner);
    }

    @Test
    void twentyConcurrentUploadsToOnePathAreTwentyVersions() throws Exception {
        int n = 20;
        List<HttpResponse<String>> responses = concurrently(server, n, "busy.txt", Map.of("folder", "concurrent"));
        Map<String, String> contentByVersionName = new HashMap<>();
        Map<String, String> versionIdByName = new HashMap<>();
        Set<String> fileIds = new HashSet<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = responses.get(i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode json = Json.parse(r.body());
            fileIds.add(json.get("fileId").asText());
            String name = json.get("versionInfo").get("name").asText();
            assertThat(contentByVersionName.put(name, "content " + i)).as("duplicate " + name).isNull();
            versionIdByName.put(name, json.get("versionInfo").get("id").asText());
        }
        assertThat(fileIds).hasSize(1);
        String fileId = fileIds.iterator().next();
        assertThat(contentByVersionName.keySet())
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, n).mapToObj(i -> "Version " + i).toList());
        assertThat(new HashSet<>(versionIdByName.values())).hasSize(n);
        assertThat(versionIdByName.get("Version 1")).isEqualTo(fileId);

        // Nothing lost: the newest is current, and every version still serves its own bytes.
        String url = server.urlEndpoint() + "/concurrent/busy.txt";
        assertThat(body(server, url)).isEqualTo(contentByVersionName.get("Version " + n));
        for (Map.Entry<String, String> v : versionIdByName.entrySet()) {
            assertThat(body(server, url + "?ik-obj-version=" + v.getValue())).as(v.getKey())
                    .isEqualTo(contentByVersionName.get(v.getKey()));
        }
        assertThat(details(fileId).get("versionInfo").get("name").asText()).isEqualTo("Version " + n);
        assertThat(staging(server)).isEmpty();
    }
}

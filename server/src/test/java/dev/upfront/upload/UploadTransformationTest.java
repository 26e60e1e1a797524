package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Checksums;
import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upload {@code transformation} field over a real socket: pre stores the result, post fills the delivery cache. */
class UploadTransformationTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> upload(String fileName, byte[] file, String transformation) {
        Multipart m = new Multipart().field("fileName", fileName).field("transformation", transformation).file(file);
        return server.upload(m, "Authorization", TestServer.basic());
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static void assertError(HttpResponse<String> r, String code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(message);
    }

    @Test
    void preStoresTheTransformedImage() throws Exception {
        JsonNode r = ok(upload("wide.png", Images.png(640, 480), "{\"pre\":\"w-100\"}"));
        assertThat(r.get("width").asInt()).isEqualTo(100);
        assertThat(r.get("height").asInt()).isEqualTo(75);

        HttpResponse<byte[]> stored = server.getBytes(r.get("url").asText());
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(Images.decode(stored.body()).size()).isEqualTo("100x75");
        assertThat(r.get("size").asLong()).isEqualTo(stored.body().length);

        // The recorded checksum and size are those of the stored (transformed) blob.
        Map<String, DataDirCheck.VersionRow> rows = DataDirCheck.assertConsistent(server.dataDir());
        DataDirCheck.VersionRow row = rows.values().stream()
                .filter(v -> v.fileId().equals(r.get("fileId").asText())).findFirst().orElseThrow();
        assertThat(row.size()).isEqualTo(stored.body().length);
        assertThat(row.checksum()).isEqualTo(Checksums.crc32c(stored.body()));
    }

    @Test
    void preCanChangeTheFormat() throws Exception {
        JsonNode r = ok(upload("photo.png", Images.png(64, 48), "{\"pre\":\"w-32,f-jpg\"}"));
        HttpResponse<byte[]> stored = server.getBytes(r.get("url").asText());
        assertThat(Images.decode(stored.body()).format()).isEqualToIgnoringCase("jpeg");
        assertThat(Images.decode(stored.body()).size()).isEqualTo("32x24");
    }

    @Test
    void postRendersIntoTheDeliveryCacheInTheBackground() throws Exception {
        long before = server.upfront().derived().renders();
        JsonNode r = ok(upload("post.png", Images.png(640, 480),
                "{\"post\":[{\"type\":\"transformation\",\"value\":\"w-200\"},{\"type\":\"transformation\",\"value\":\"h-60\"}]}"));
        // The original is stored unchanged.
        assertThat(r.get("width").asInt()).isEqualTo(640);
        for (int i = 0; i < 200 && server.upfront().derived().renders() < before + 2; i++) {
            Thread.sleep(50);
        }
        assertThat(server.upfront().derived().renders()).isEqualTo(before + 2);

        HttpResponse<byte[]> rendition = server.getBytes(r.get("url").asText() + "?tr=w-200");
        assertThat(rendition.statusCode()).isEqualTo(200);
        assertThat(Images.decode(rendition.body()).size()).isEqualTo("200x150");
        HttpResponse<byte[]> path = server.getBytes(r.get("url").asText().replace("/post", "/tr:h-60/post"));
        assertThat(path.statusCode()).isEqualTo(200);
        assertThat(Images.decode(path.body()).size()).isEqualTo("80x60");
        assertThat(server.upfront().derived().renders()).as("both GETs are cache hits").isEqualTo(before + 2);
    }

    @Test
    void videoOnlyPostTypesAreRefusedOnAPng() throws Exception {
        // With ffmpeg (VideoTransformationTest covers that server) they do not fit a PNG; without it they are refused by name.
        for (String post : List.of("{\"type\":\"gif-to-video\"}", "{\"type\":\"thumbnail\",\"value\":\"h-300\"}",
                "{\"type\":\"abs\",\"value\":\"sr-240_360\",\"protocol\":\"hls\"}")) {
            HttpResponse<String> r = upload("v.png", Images.png(8, 8), "{\"post\":[" + post + "]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            JsonNode body = Json.parse(r.body());
            assertThat(body.get("code").asText()).isIn("VIDEO_TOOLCHAIN_MISSING", "UPLOAD_TRANSFORMATION_INCOMPATIBLE");
            if (body.get("code").asText().equals("VIDEO_TOOLCHAIN_MISSING")) {
                assertThat(body.get("message").asText()).contains(Json.parse(post).get("type").asText());
            }
        }
    }

    @Test
    void invalidShapesGetImageKitsText() throws Exception {
        int blobs = DataDirCheck.publishedBlobs(server.dataDir()).size();
        String sixPosts = "{\"post\":[" + String.join(",", java.util.Collections.nCopies(6, "{\"type\":\"transformation\",\"value\":\"w-1\"}")) + "]}";
        for (String bad : List.of("not json", "[]", "{}", "{\"pre\":\"\"}", "{\"pre\":5}", "{\"post\":{}}", "{\"pri\":\"w-1\"}",
                "{\"post\":[{\"type\":\"transformation\"}]}", "{\"post\":[{\"type\":\"abs\",\"value\":\"sr-240\"}]}",
                "{\"post\":[{\"type\":\"abs\",\"value\":\"sr-240\",\"protocol\":\"rtmp\"}]}", "{\"post\":[{\"type\":\"resize\",\"value\":\"w-1\"}]}",
                sixPosts, "{\"pre\":\"zz-1\"}", "{\"post\":[{\"type\":\"transformation\",\"value\":\"w-abc\"}]}")) {
            assertError(upload("bad.png", Images.png(8, 8), bad), "UPLOAD_TRANSFORMATION_INVALID",
                    "The file could not be uploaded because the transformation field is invalid.");
        }
        assertThat(DataDirCheck.publishedBlobs(server.dataDir())).hasSize(blobs);
    }

    @Test
    void nonMediaFilesAreRefused() throws Exception {
        assertError(upload("a.txt", "hello".getBytes(), "{\"pre\":\"w-100\"}"), "UPLOAD_TRANSFORMATION_MEDIA",
                "The file could not be uploaded because transformations are supported only for image and video files.");
    }
}

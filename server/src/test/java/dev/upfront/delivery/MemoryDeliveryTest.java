package dev.upfront.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Small hot bodies are written from memory (embedded default): a replaced, restored or deleted file is never served
 * from that memory afterwards, originals and renderings alike, not even once.
 */
class MemoryDeliveryTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode upload(String name, String type, byte[] content) throws Exception {
        HttpResponse<String> r = server.upload(new Multipart().field("fileName", name).field("useUniqueFileName", "false")
                .file("file", name, type, content), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    /** GETs twice, so the body is in memory for what follows, and returns the second body. */
    static HttpResponse<byte[]> hot(String url) {
        assertThat(server.getBytes(url).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> r = server.getBytes(url);
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    @Test
    void aNewVersionIsServedAtOnce() throws Exception {
        JsonNode v1 = upload("memory-new.txt", "text/plain", "first".getBytes());
        String url = v1.get("url").asText();
        HttpResponse<byte[]> before = hot(url);
        assertThat(new String(before.body())).isEqualTo("first");
        upload("memory-new.txt", "text/plain", "second".getBytes());
        HttpResponse<byte[]> after = server.getBytes(url);
        assertThat(new String(after.body())).isEqualTo("second");
        assertThat(after.headers().firstValue("etag")).isNotEqualTo(before.headers().firstValue("etag"));
        assertThat(after.headers().firstValue("content-length")).contains("6");
    }

    @Test
    void aNewVersionsRenderingIsServedAtOnce() throws Exception {
        String url = upload("memory-new.png", "image/png", Images.png(200, 100)).get("url").asText() + "?tr=w-50";
        assertThat(Images.decode(hot(url).body()).size()).isEqualTo("50x25");
        upload("memory-new.png", "image/png", Images.png(100, 100));
        assertThat(Images.decode(server.getBytes(url).body()).size()).isEqualTo("50x50");
    }

    @Test
    void aRestoredVersionIsServedAtOnce() throws Exception {
        JsonNode v1 = upload("memory-restore.txt", "text/plain", "one".getBytes());
        upload("memory-restore.txt", "text/plain", "two".getBytes());
        String url = v1.get("url").asText();
        assertThat(new String(hot(url).body())).isEqualTo("two");
        HttpResponse<String> restored = server.send(HttpRequest.newBuilder(server.uri("/v1/files/" + v1.get("fileId").asText()
                + "/versions/" + v1.get("versionInfo").get("id").asText() + "/restore")).header("Authorization", TestServer.basic())
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        assertThat(new String(server.getBytes(url).body())).isEqualTo("one");
    }

    @Test
    void aDeletedFileIsGoneAtOnce() throws Exception {
        JsonNode up = upload("memory-deleted.png", "image/png", Images.png(120, 60));
        String url = up.get("url").asText();
        hot(url);
        hot(url + "?tr=w-30");
        HttpResponse<String> deleted = server.send(HttpRequest.newBuilder(server.uri("/v1/files/" + up.get("fileId").asText()))
                .header("Authorization", TestServer.basic()).DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(server.getBytes(url).statusCode()).isEqualTo(404);
        assertThat(server.getBytes(url + "?tr=w-30").statusCode()).isEqualTo(404);
    }

    @Test
    void rangesHeadAndConditionalGetWorkFromMemory() throws Exception {
        String url = upload("memory-range.txt", "text/plain", "0123456789".getBytes()).get("url").asText();
        HttpResponse<byte[]> whole = hot(url);
        HttpResponse<byte[]> range = server.getBytes(url, "Range", "bytes=2-4");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(new String(range.body())).isEqualTo("234");
        assertThat(new String(server.getBytes(url).body())).as("a range leaves the kept body whole").isEqualTo("0123456789");
        HttpResponse<byte[]> head = server.sendForBytes(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).contains("10");
        assertThat(head.body()).isEmpty();
        assertThat(server.getBytes(url, "If-None-Match", whole.headers().firstValue("etag").orElseThrow()).statusCode()).isEqualTo(304);
    }

    /**
     * Hits held in memory are answered inline, on the I/O thread, with the same headers and body as the route gives;
     * a range, and a conditional GET whose body is not held, go to the route.
     */
    @Test
    void hotHitsAreAnsweredInlineAlikeTheRoute() throws Exception {
        String original = upload("memory-inline.png", "image/png", Images.png(160, 80)).get("url").asText();
        String url = original + "?tr=w-40";
        HttpResponse<byte[]> first = server.getBytes(url); // rendered and kept, by the route
        assertThat(first.statusCode()).isEqualTo(200);
        double before = inlineAnswers();
        int hits = 5;
        for (int i = 0; i < hits; i++) {
            HttpResponse<byte[]> hit = server.getBytes(url);
            assertThat(hit.statusCode()).isEqualTo(200);
            assertThat(hit.body()).isEqualTo(first.body());
            for (String header : List.of("content-type", "etag", "cache-control", "last-modified", "content-length",
                    "x-content-type-options", "accept-ranges")) {
                assertThat(hit.headers().allValues(header)).as(header).isEqualTo(first.headers().allValues(header));
            }
            assertThat(hit.headers().firstValue("x-request-id")).isPresent()
                    .isNotEqualTo(first.headers().firstValue("x-request-id"));
        }
        HttpResponse<byte[]> notModified = server.getBytes(url, "If-None-Match", first.headers().firstValue("etag").orElseThrow());
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("etag")).isEqualTo(first.headers().firstValue("etag"));
        // One request in 16 of a connection goes to the route anyway, so a pipelining client cannot hold an I/O thread.
        assertThat(inlineAnswers() - before).as("the hits and the 304").isBetween(hits + 1.0 - 1, hits + 1.0);
        double afterHits = inlineAnswers();
        assertThat(server.getBytes(url, "Range", "bytes=0-9").statusCode()).isEqualTo(206);
        assertThat(server.getBytes(original + "?tr=w-41").statusCode()).as("a miss").isEqualTo(200);
        assertThat(inlineAnswers()).isEqualTo(afterHits);
    }

    /**
     * What is kept for f-auto depends on the formats the Accept header names, not on the header's text: a client
     * sending a new header each time is answered from the kept body, and adds nothing to memory.
     */
    @Test
    void autoFormatKeepsOneBodyPerAcceptedFormatsNotPerAcceptHeader() throws Exception {
        String url = upload("memory-auto.png", "image/png", Images.png(120, 80)).get("url").asText() + "?tr=w-60";
        assertThat(server.getBytes(url, "Accept", "image/webp,*/*;q=0.5").statusCode()).isEqualTo(200);
        double before = inlineAnswers();
        int requests = 20;
        for (int i = 0; i < requests; i++) {
            assertThat(server.getBytes(url, "Accept", "image/webp,x-variant/" + i + ";q=0.1").statusCode()).isEqualTo(200);
        }
        // Answered inline means answered from the kept body (one request in 16 of a connection goes to the route).
        assertThat(inlineAnswers() - before).isGreaterThanOrEqualTo(requests - 2);
    }

    private static double inlineAnswers() {
        return server.get("/metrics").body().lines().filter(l -> l.startsWith("upfront_http_inline_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    @Test
    void aHotBodyIsWrittenFromMemoryWithoutTheBlobStore() throws Exception {
        JsonNode up = upload("memory-only.txt", "text/plain", "kept in memory".getBytes());
        String url = up.get("url").asText();
        hot(url);
        String versionId = up.get("versionInfo").get("id").asText();
        List<Path> blob = server.blobFiles().stream().filter(p -> p.getFileName().toString().contains(versionId)).toList();
        assertThat(blob).hasSize(1);
        Files.delete(blob.getFirst());
        assertThat(new String(server.getBytes(url).body())).isEqualTo("kept in memory");
    }
}

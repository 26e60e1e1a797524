package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.RepoFiles;
import dev.upfront.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /sdk/*} serves the files of the repository's sdk-js folder byte for byte, as JavaScript (or TypeScript
 * declarations), to any origin (even when uploads allow one origin only), revalidated by ETag.
 */
class SdkRoutesTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("UPFRONT_CORS_ORIGINS", "https://app.example"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }


    @Test
    void servesEachFileAsItIsInTheRepository() throws Exception {
        Map<String, String> types = Map.of("upfront.js", "text/javascript; charset=utf-8",
                "imagekit-redirect.js", "text/javascript; charset=utf-8",
                "upfront.d.ts", "application/typescript; charset=utf-8");
        for (var e : types.entrySet()) {
            HttpResponse<byte[]> r = server.getBytes("/sdk/" + e.getKey(), "Origin", "https://elsewhere.example");
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
            assertThat(r.body()).as(e.getKey()).isEqualTo(Files.readAllBytes(RepoFiles.find("sdk-js/" + e.getKey())));
            assertThat(r.headers().firstValue("content-type")).as(e.getKey()).contains(e.getValue());
            assertThat(r.headers().firstValue("access-control-allow-origin")).as(e.getKey()).contains("*");
            assertThat(r.headers().firstValue("cache-control")).as(e.getKey()).contains("public, max-age=300, must-revalidate");
            assertThat(r.headers().firstValue("x-content-type-options")).contains("nosniff");
            assertThat(r.headers().firstValue("etag")).as(e.getKey()).hasValueSatisfying(t -> assertThat(t).matches("\"[0-9a-f]{32}\""));
        }
        assertThat(server.get("/sdk/upfront.js").headers().firstValue("x-typescript-types")).contains("./upfront.d.ts");
    }

    @Test
    void answers304ToTheSameEtagAndTheFileToAnother() {
        String etag = server.get("/sdk/upfront.js").headers().firstValue("etag").orElseThrow();
        HttpResponse<String> same = server.get("/sdk/upfront.js", "If-None-Match", etag);
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(same.headers().firstValue("access-control-allow-origin")).contains("*");
        HttpResponse<String> other = server.get("/sdk/upfront.js", "If-None-Match", "\"0123\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).contains("export async function upload(");
        assertThat(server.get("/sdk/upfront.d.ts", "If-None-Match", etag).statusCode()).as("each file has its own ETag").isEqualTo(200);
    }

    @Test
    void otherPathsUnderSdkAreNotFound() {
        for (String path : List.of("/sdk/", "/sdk/nope.js", "/sdk/../pom.xml", "/sdk/upfront.js/x")) {
            HttpResponse<String> r = server.get(path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).as(path).doesNotContain("export");
        }
        HttpResponse<String> post = server.send(HttpRequest.newBuilder(server.uri("/sdk/upfront.js"))
                .POST(HttpRequest.BodyPublishers.ofString("x", StandardCharsets.UTF_8)).build());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}

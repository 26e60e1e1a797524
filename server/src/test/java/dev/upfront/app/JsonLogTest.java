package dev.upfront.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a separate process with {@code UPFRONT_LOG_FORMAT=json} and the production logging config: its
 * output is one JSON object per line, request lines carry the request id, and no line holds a secret.
 */
class JsonLogTest {
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void oneJsonObjectPerLineWithTheRequestIdAndNoSecret(@TempDir Path dir) throws Exception {
        Path log = ServerProcess.targetDir().resolve("json-log-server.log");
        Files.deleteIfExists(log);
        List<String> requestIds = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(dir, Map.of("UPFRONT_LOG_FORMAT", "json"), List.of(), log)) {
            byte[] png = Images.png(12, 9);
            requestIds.add(upload(server, new Multipart().field("fileName", "basic.png").file(png), TestServer.basic()));
            requestIds.add(upload(server, new Multipart().fields(TestServer.v1Auth(60)).field("fileName", "signed.png").file(png), null));
            // refused: a wrong private key, and a URL holding the real one in its query (never fetched: loopback)
            requestIds.add(upload(server, new Multipart().field("fileName", "x.png").file(png), TestServer.basic("private_wrong_key_123", "")));
            requestIds.add(upload(server, new Multipart().field("fileName", "u.png")
                    .field("file", "http://127.0.0.1:9/x.png?key=" + TestServer.PRIVATE_KEY), TestServer.basic()));
            server.stop();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("===== ")) // the harness's own marker line
                .toList();
        assertThat(lines).hasSizeGreaterThan(4);
        List<String> loggedIds = new ArrayList<>();
        for (String line : lines) {
            JsonNode json = Json.parse(line);
            assertThat(json.isObject()).as(line).isTrue();
            assertThat(json.hasNonNull("level")).as(line).isTrue();
            assertThat(json.hasNonNull("formattedMessage")).as(line).isTrue();
            if ("dev.upfront.access".equals(json.path("loggerName").asText())) {
                loggedIds.add(json.path("mdc").path("requestId").asText());
            }
        }
        assertThat(loggedIds).as("every request's access line carries its request id in the MDC").containsAll(requestIds);
        String all = String.join("\n", lines);
        String basic = Base64.getEncoder().encodeToString((TestServer.PRIVATE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        assertThat(all).doesNotContain(TestServer.PRIVATE_KEY).doesNotContain(basic).doesNotContain("private_wrong_key_123");
    }

    /** Uploads and returns the response's request id. */
    private String upload(ServerProcess server, Multipart body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 400, 403);
        return r.headers().firstValue("x-request-id").orElseThrow();
    }
}

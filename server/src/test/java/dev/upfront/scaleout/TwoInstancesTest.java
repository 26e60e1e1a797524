package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Jwts;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Postgres;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one PostgreSQL database, each with its own data folder (blobs are not shared yet, so
 * the tests look at metadata and one-time credentials): a credential works once across both, versions of one
 * path stay gap-free and within the limit, and a change through one is seen through the other at once.
 */
class TwoInstancesTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ServerProcess a;
    private static ServerProcess b;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = Map.of("UPFRONT_DATABASE_URL", Postgres.freshDatabaseUrl(), "UPFRONT_MAX_VERSIONS", "30");
        // Both start at once on the empty database: one migrates it, the other waits for Flyway's lock.
        try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ServerProcess> first = starter.submit(() -> start(env, "a"));
            Future<ServerProcess> second = starter.submit(() -> start(env, "b"));
            a = first.get(150, TimeUnit.SECONDS);
            b = second.get(150, TimeUnit.SECONDS);
        }
    }

    /** One instance, with a log of its own (the harness finds the port in it). */
    private static ServerProcess start(Map<String, String> env, String name) {
        try {
            return ServerProcess.start(Files.createTempDirectory("upfront-instance-"), env, List.of("-Xmx256m"),
                    ServerProcess.targetDir().resolve("two-instances-" + name + ".log"), Duration.ofSeconds(120));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void aV1TokenUsedOnOneInstanceIsRefusedOnTheOther() throws Exception {
        Map<String, String> auth = TestServer.v1Auth(600);
        assertThat(upload(a, "/api/v1/files/upload", v1("t1.txt", auth)).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = upload(b, "/api/v1/files/upload", v1("t1.txt", auth));
        assertThat(code(replay)).as(replay.body()).isEqualTo("TOKEN_REUSED");
    }

    @Test
    void aV2TokenUsedOnOneInstanceIsRefusedOnTheOther() throws Exception {
        Map<String, String> fields = Map.of("fileName", "jwt.txt");
        String jwt = Jwts.hs256(Jwts.payload(fields, 600), TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY);
        assertThat(upload(b, "/api/v2/files/upload", v2(fields, jwt)).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = upload(a, "/api/v2/files/upload", v2(fields, jwt));
        assertThat(code(replay)).as(replay.body()).isEqualTo("JWT_REUSED");
    }

    @Test
    void oneTokenSentTwentyTimesAcrossBothInstancesUploadsOnce() throws Exception {
        Map<String, String> auth = TestServer.v1Auth(600);
        List<HttpResponse<String>> responses = concurrently(20, i -> upload(i % 2 == 0 ? a : b, "/api/v1/files/upload", v1("race.txt", auth)));
        assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).isEqualTo(1);
        assertThat(responses.stream().filter(r -> r.statusCode() != 200).map(TwoInstancesTest::code)).containsOnly("TOKEN_REUSED");
    }

    @Test
    void anOverwriteStormKeepsVersionsGapFreeAndWithinTheLimit() throws Exception {
        List<HttpResponse<String>> responses = concurrently(40, i -> uploadBasic(i % 2 == 0 ? a : b,
                new Multipart().field("fileName", "storm.txt").field("folder", "/storm/").field("useUniqueFileName", "false")
                        .file("file", "storm.txt", "text/plain", ("v" + i).getBytes())));
        assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).isEqualTo(30);
        assertThat(responses.stream().filter(r -> r.statusCode() != 200).map(TwoInstancesTest::code)).hasSize(10).containsOnly("VERSION_LIMIT");
        String fileId = Json.parse(responses.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow().body()).get("fileId").asText();
        List<String> names = new ArrayList<>();
        Json.parse(get(b, "/v1/files/" + fileId + "/versions").body()).forEach(v -> names.add(v.get("versionInfo").get("name").asText()));
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 30; n++) {
            expected.add("Version " + n);
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aChangeThroughOneInstanceIsSeenThroughTheOther() throws Exception {
        HttpResponse<String> uploaded = uploadBasic(a, new Multipart().field("fileName", "seen.txt")
                .field("useUniqueFileName", "false").file("file", "seen.txt", "text/plain", "one".getBytes()));
        String fileId = Json.parse(uploaded.body()).get("fileId").asText();
        assertThat(get(b, "/v1/files/" + fileId + "/details").statusCode()).isEqualTo(200);
        assertThat(uploadBasic(b, new Multipart().field("fileName", "seen.txt")
                .field("useUniqueFileName", "false").file("file", "seen.txt", "text/plain", "two".getBytes())).statusCode()).isEqualTo(200);
        JsonNode details = Json.parse(get(a, "/v1/files/" + fileId + "/details").body());
        assertThat(details.get("versionInfo").get("name").asText()).isEqualTo("Version 2");
        HttpResponse<String> deleted = CLIENT.send(HttpRequest.newBuilder(b.uri("/v1/files/" + fileId))
                .header("Authorization", TestServer.basic()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(get(a, "/v1/files/" + fileId + "/details").statusCode()).isEqualTo(404);
        assertThat(CLIENT.send(HttpRequest.newBuilder(a.uri("/media/seen.txt")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static Multipart v1(String name, Map<String, String> auth) {
        return new Multipart().field("fileName", name).fields(auth).file("file", name, "text/plain", name.getBytes());
    }

    private static Multipart v2(Map<String, String> fields, String jwt) {
        Map<String, String> all = new HashMap<>(fields);
        all.put("token", jwt);
        return new Multipart().fields(all).file("file", "jwt.txt", "text/plain", "jwt".getBytes());
    }

    /** An upload authenticated by its own fields (a v1 token or a v2 JWT). */
    private static HttpResponse<String> upload(ServerProcess server, String path, Multipart body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A v1 upload with the server-side Basic credentials. */
    private static HttpResponse<String> uploadBasic(ServerProcess server, Multipart body) throws Exception {
        return upload(server, "/api/v1/files/upload", body, "Authorization", TestServer.basic());
    }

    private static HttpResponse<String> get(ServerProcess server, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", TestServer.basic()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) {
        try {
            return Json.parse(r.body()).get("code").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Call {
        HttpResponse<String> send(int i) throws Exception;
    }

    private static List<HttpResponse<String>> concurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> call.send(index)));
            }
            List<HttpResponse<String>> out = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}

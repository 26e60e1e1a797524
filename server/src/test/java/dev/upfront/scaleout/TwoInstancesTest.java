package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Jwts;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Postgres;
import dev.upfront.testing.S3;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.TempFolders;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server processes sharing one PostgreSQL database and one S3 bucket (S3Proxy in this JVM), as instances behind
 * a load balancer: a credential works once across both, versions of one path stay gap-free and within the limit,
 * and a file uploaded, replaced or deleted through one is delivered, transformed or gone through the other within
 * 2 s (nothing either instance remembers may hide the other's writes).
 */
class TwoInstancesTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ServerProcess a;
    private static ServerProcess b;

    @BeforeAll
    static void start() throws Exception {
        S3 s3 = S3.shared();
        Map<String, String> env = s3.distributedEnv(s3.freshBucket(), Postgres.freshDatabaseUrl());
        env.put("UPFRONT_MAX_VERSIONS", "30");
        List<ServerProcess> pair = pair(env, "two-instances");
        a = pair.get(0);
        b = pair.get(1);
    }

    /**
     * Two instances started at once with {@code env} (on an empty database: one migrates it, the other waits for
     * Flyway's lock), each with a data folder and a log ({@code <logName>-a.log}, {@code -b.log}) of its own.
     */
    static List<ServerProcess> pair(Map<String, String> env, String logName) throws Exception {
        try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ServerProcess> first = starter.submit(() -> start(env, logName + "-a"));
            Future<ServerProcess> second = starter.submit(() -> start(env, logName + "-b"));
            return List.of(first.get(150, TimeUnit.SECONDS), second.get(150, TimeUnit.SECONDS));
        }
    }

    /** One instance, with a data folder (deleted when the JVM exits) and a log of its own (the harness finds the port in it). */
    private static ServerProcess start(Map<String, String> env, String logName) {
        return ServerProcess.start(TempFolders.deletedAtExit("upfront-instance-", () -> {}), env, List.of("-Xmx256m"),
                ServerProcess.targetDir().resolve(logName + ".log"), Duration.ofSeconds(120));
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

    @Test
    void aFileUploadedReplacedAndDeletedThroughOneIsDeliveredTransformedAndGoneThroughTheOtherWithinTwoSeconds() throws Exception {
        byte[] first = Images.png(400, 300);
        HttpResponse<String> uploaded = uploadBasic(a, new Multipart().field("fileName", "life.png")
                .field("useUniqueFileName", "false").file("file", "life.png", "image/png", first));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        String fileId = Json.parse(uploaded.body()).get("fileId").asText();
        withinTwoSeconds(b, "/media/life.png", r -> r.statusCode() == 200 && Arrays.equals(r.body(), first), "the original's bytes");
        withinTwoSeconds(b, "/media/life.png?tr=w-100", r -> r.statusCode() == 200 && size(r.body()).equals("100x75"), "a 100x75 rendering");

        byte[] second = Images.png(200, 400);
        assertThat(uploadBasic(a, new Multipart().field("fileName", "life.png").field("useUniqueFileName", "false")
                .file("file", "life.png", "image/png", second)).statusCode()).isEqualTo(200);
        withinTwoSeconds(b, "/media/life.png", r -> r.statusCode() == 200 && Arrays.equals(r.body(), second), "the new version's bytes");
        withinTwoSeconds(b, "/media/life.png?tr=w-100", r -> r.statusCode() == 200 && size(r.body()).equals("100x200"), "the new version rendered");

        HttpResponse<String> deleted = CLIENT.send(HttpRequest.newBuilder(a.uri("/v1/files/" + fileId))
                .header("Authorization", TestServer.basic()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        withinTwoSeconds(b, "/media/life.png", r -> r.statusCode() == 404, "404");
        withinTwoSeconds(b, "/media/life.png?tr=w-100", r -> r.statusCode() == 404, "404 for the rendering");
    }

    /**
     * Polls {@code path} on {@code server} until {@code expected} holds; fails when no request sent within 2 s from
     * now saw it. What is measured is when the change becomes visible, not how long one answer takes (a first
     * rendering on a busy 2-core machine may take longer than 2 s by itself).
     */
    private static void withinTwoSeconds(ServerProcess server, String path, Predicate<HttpResponse<byte[]>> expected, String what)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        HttpResponse<byte[]> last;
        do {
            last = CLIENT.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (expected.test(last)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " through the other instance did not give " + what + " within 2 s; last: "
                + last.statusCode() + " (" + last.body().length + " bytes)");
    }

    private static String size(byte[] image) {
        return Images.decode(image).size();
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

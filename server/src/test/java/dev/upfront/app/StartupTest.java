package dev.upfront.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.RawHttp;
import dev.upfront.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTest {
    @Test
    void firstStartGeneratesPersistsAndPrintsAKeyPairOnce(@TempDir Path dir) throws Exception {
        String publicKey;
        String privateKey;
        try (TestServer first = TestServer.start(dir, Map.of(), false)) {
            String out = first.stdout();
            assertThat(out).contains("public key:").contains("private key:").contains("URL endpoint: " + first.urlEndpoint());
            publicKey = out.lines().filter(l -> l.contains("public key:")).findFirst().orElseThrow().split(":\\s+")[1].strip();
            privateKey = out.lines().filter(l -> l.contains("private key:")).findFirst().orElseThrow().split(":\\s+")[1].strip();
            assertThat(publicKey).startsWith("public_");
            assertThat(privateKey).startsWith("private_");
            // 32 random bytes, base64url without padding: 43 characters after the prefix.
            assertThat(privateKey.length()).isGreaterThanOrEqualTo("private_".length() + 43);
            Path keys = dir.resolve("keys");
            assertThat(Files.readString(keys)).contains(publicKey + " " + privateKey);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");
            assertThat(first.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(first.get("/readyz").statusCode()).isEqualTo(200);
        }
        try (TestServer second = TestServer.start(dir, Map.of(), false)) {
            assertThat(second.stdout()).doesNotContain(privateKey).doesNotContain("private key:");
            var r = second.upload(new dev.upfront.testing.Multipart().field("fileName", "k.txt").file("k".getBytes()),
                    "Authorization", TestServer.basic(privateKey, ""));
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void everyResponseCarriesARequestIdAndADate() {
        try (TestServer server = TestServer.start()) {
            for (String path : new String[] {"/healthz", "/nope", "/media/missing.jpg"}) {
                var r = server.get(path);
                assertThat(r.headers().firstValue("x-request-id")).as(path).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{24}"));
                assertThat(r.headers().firstValue("date")).as(path).isPresent();
                assertThat(r.headers().firstValue("server")).as(path).isEmpty();
            }
            assertThat(server.get("/nope").statusCode()).isEqualTo(404);
            assertThat(server.get("/media/missing.jpg").body()).contains("\"code\":\"FILE_NOT_FOUND\"");
        }
    }

    @Test
    void invalidConfigurationStopsStartUpNamingTheVariable(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.upfront.app.Main", "serve");
        pb.environment().put("UPFRONT_MAX_FILE_SIZE", "lots");
        pb.environment().put("UPFRONT_DATA_DIR", dir.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("UPFRONT_MAX_FILE_SIZE").contains("lots");
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() throws Exception {
        try (TestServer server = TestServer.start()) {
            var ambiguous = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/media/%2e%2e/x")).build());
            assertThat(ambiguous.statusCode()).isEqualTo(400);
            assertThat(ambiguous.headers().firstValue("content-type").orElse("")).startsWith("application/json");
            assertThat(dev.upfront.json.Json.parse(ambiguous.body()).get("code").asText()).isEqualTo("HTTP_400");
            var huge = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/healthz")).header("X-Big", "a".repeat(20_000)).build());
            assertThat(huge.statusCode()).isEqualTo(431);
            assertThat(dev.upfront.json.Json.parse(huge.body()).get("code").asText()).isEqualTo("HTTP_431");
            assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
        }
    }

    /**
     * A keep-alive client reuses its connection unless the response said {@code Connection: close}. After an error
     * Jetty answers itself, the connection must either serve the next request or be announced as closing; a silent
     * close makes the client's next request fail (Node's agent gets ECONNRESET).
     */
    @Test
    void anAmbiguousUriIsAnsweredWithoutBreakingTheConnection() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String path : List.of("/media/%2e%2e/x", "/media/../../x", "/../x", "/media/a/%2e%2e/%2e%2e/x", "/media/%2F/x")) {
                try (RawHttp http = RawHttp.connect(server.port())) {
                    String refused = http.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readResponse();
                    assertThat(refused).as(path).startsWith("HTTP/1.1 400 ").contains("\"code\":\"HTTP_400\"");
                    if (!RawHttp.closes(refused)) {
                        String next = http.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readResponse();
                        assertThat(next).as("the connection was kept open after: " + refused).startsWith("HTTP/1.1 200 ");
                    } else {
                        assertThat(http.socket().getInputStream().read()).as("the server closes as announced").isEqualTo(-1);
                    }
                }
            }
        }
    }
}

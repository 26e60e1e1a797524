package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every authentication path of upload v1 (PRODUCT.md §3.1), over a real socket. */
class UploadAuthTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Multipart form(Map<String, String> fields) {
        Map<String, String> all = new HashMap<>(fields);
        all.putIfAbsent("fileName", "a.txt");
        return Multipart.of(all).file("hello upfront".getBytes());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.parse(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(message);
        assertThat(body.get("help").asText()).isNotBlank();
        assertThat(r.headers().firstValue("x-request-id")).isPresent();
        assertThat(r.headers().firstValue("date")).isPresent();
    }

    @Test
    void basicAuthWithEmptyPasswordUploads() throws Exception {
        HttpResponse<String> r = server.upload(form(Map.of()), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("fileId").asText()).matches("[0-9a-f]{24}");
    }

    @Test
    void basicAuthWithDoNotSetPasswordUploads() throws Exception {
        HttpResponse<String> r = server.upload(form(Map.of()), "Authorization", TestServer.basic(TestServer.PRIVATE_KEY, "do_not_set"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void unknownPrivateKeyIsForbidden() throws Exception {
        HttpResponse<String> r = server.upload(form(Map.of()), "Authorization", TestServer.basic("private_wrong", ""));
        assertError(r, 403, "KEY_UNKNOWN", "Your account cannot be authenticated.");
    }

    @Test
    void undecodableBasicHeaderIsForbidden() throws Exception {
        HttpResponse<String> r = server.upload(form(Map.of()), "Authorization", "Basic %%%not-base64");
        assertError(r, 403, "KEY_UNKNOWN", "cannot be authenticated");
    }

    @Test
    void noAuthenticationIsUnauthorized() throws Exception {
        assertError(server.upload(form(Map.of())), 401, "MISSING_AUTH", "Your request does not contain private API key.");
    }

    @Test
    void basicAuthAndSignatureTogetherAreRefused() throws Exception {
        HttpResponse<String> r = server.upload(form(TestServer.v1Auth(600)), "Authorization", TestServer.basic());
        assertError(r, 400, "BOTH_AUTH_METHODS", "Your request contains both signature and basic auth parameter.");
    }

    @Test
    void validClientSideSignatureUploads() throws Exception {
        HttpResponse<String> r = server.upload(form(TestServer.v1Auth(600)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).contains("*");
    }

    @Test
    void uppercaseHexSignatureIsAccepted() throws Exception {
        Map<String, String> auth = new HashMap<>(TestServer.v1Auth(600));
        auth.put("signature", auth.get("signature").toUpperCase());
        assertThat(server.upload(form(auth)).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongSignatureIsRefused() throws Exception {
        Map<String, String> auth = new HashMap<>(TestServer.v1Auth(600));
        auth.put("signature", "0".repeat(40));
        assertError(server.upload(form(auth)), 400, "SIGNATURE_INVALID", "invalid signature");
    }

    @Test
    void signatureMadeWithAnotherKeyIsRefused() throws Exception {
        String token = UUID.randomUUID().toString();
        String expire = Long.toString(System.currentTimeMillis() / 1000 + 600);
        Map<String, String> auth = new HashMap<>(TestServer.v1Auth(token, expire));
        auth.put("signature", dev.upfront.auth.Hmac.sha1Hex("private_other", token + expire));
        assertError(server.upload(form(auth)), 400, "SIGNATURE_INVALID", "invalid signature");
    }

    @Test
    void unknownPublicKeyIsForbidden() throws Exception {
        Map<String, String> auth = new HashMap<>(TestServer.v1Auth(600));
        auth.put("publicKey", "public_unknown");
        assertError(server.upload(form(auth)), 403, "KEY_UNKNOWN", "cannot be authenticated");
    }

    @Test
    void eachMissingClientFieldIsNamed() throws Exception {
        for (String missing : List.of("publicKey", "signature", "expire", "token")) {
            Map<String, String> auth = new HashMap<>(TestServer.v1Auth(600));
            auth.remove(missing);
            assertError(server.upload(form(auth)), 400, "MISSING_AUTH_FIELD", "missing " + missing + " parameter");
        }
    }

    @Test
    void expireInMillisecondsIsRefused() throws Exception {
        String token = UUID.randomUUID().toString();
        String expire = Long.toString(System.currentTimeMillis() + 1800); // the legacy Java SDK's bug
        assertError(server.upload(form(TestServer.v1Auth(token, expire))), 400, "EXPIRE_INVALID",
                "Expire parameter should be a Unix time in less than 1 hour into the future.");
    }

    @Test
    void expireInThePastIsRefused() throws Exception {
        assertError(server.upload(form(TestServer.v1Auth(-5))), 400, "EXPIRE_INVALID", "invalid expire parameter");
    }

    @Test
    void expireNowIsRefused() throws Exception {
        assertError(server.upload(form(TestServer.v1Auth(0))), 400, "EXPIRE_INVALID", "invalid expire parameter");
    }

    @Test
    void expireMoreThanAnHourAheadIsRefused() throws Exception {
        assertError(server.upload(form(TestServer.v1Auth(3600 + 30))), 400, "EXPIRE_INVALID", "invalid expire parameter");
    }

    @Test
    void expireJustUnderAnHourAheadIsAccepted() throws Exception {
        assertThat(server.upload(form(TestServer.v1Auth(3595))).statusCode()).isEqualTo(200);
    }

    @Test
    void nonNumericExpireIsRefused() throws Exception {
        for (String expire : List.of("soon", "1e10", "-1", " 1799999999", "17999999990.5")) {
            String token = UUID.randomUUID().toString();
            assertError(server.upload(form(TestServer.v1Auth(token, expire))), 400, "EXPIRE_INVALID", "invalid expire");
        }
    }

    @Test
    void tokenIsRefusedAfterASuccessfulUpload() throws Exception {
        Map<String, String> auth = TestServer.v1Auth(600);
        assertThat(server.upload(form(auth)).statusCode()).isEqualTo(200);
        assertError(server.upload(form(auth)), 400, "TOKEN_REUSED",
                "The token with value '" + auth.get("token") + "' has been used before.");
    }

    /**
     * The signature covers {@code token + expire}: a token ending in {@code 0} can move that digit into {@code expire}
     * as a leading zero, which names the same instant. Same signed message, same credential: one upload.
     */
    @Test
    void aTokenDigitMovedIntoExpireIsStillTheUsedCredential() throws Exception {
        String token = UUID.randomUUID() + "0";
        String expire = Long.toString(System.currentTimeMillis() / 1000 + 600);
        Map<String, String> auth = TestServer.v1Auth(token, expire);
        assertThat(server.upload(form(auth)).statusCode()).isEqualTo(200);
        Map<String, String> moved = new HashMap<>(auth);
        moved.put("token", token.substring(0, token.length() - 1));
        moved.put("expire", "0" + expire);
        assertError(server.upload(form(moved)), 400, "TOKEN_REUSED", "has been used before");
    }

    /** A forged signature stores nothing: the table cannot be flooded, and the real credential still works once. */
    @Test
    void aForgedSignatureBurnsNothing() throws Exception {
        Map<String, String> auth = TestServer.v1Auth(600);
        Map<String, String> forged = new HashMap<>(auth);
        forged.put("signature", "f".repeat(40));
        long before = server.usedTokens();
        for (int i = 0; i < 5; i++) {
            assertError(server.upload(form(forged)), 400, "SIGNATURE_INVALID", "invalid signature");
        }
        Map<String, String> unknownKey = new HashMap<>(TestServer.v1Auth(600));
        unknownKey.put("publicKey", "public_nobody");
        assertError(server.upload(form(unknownKey)), 403, "KEY_UNKNOWN", "cannot be authenticated");
        assertThat(server.usedTokens()).isEqualTo(before);
        assertThat(server.upload(form(auth)).statusCode()).isEqualTo(200);
        assertThat(server.usedTokens()).isEqualTo(before + 1);
    }

    /** A correctly signed credential is burned even when the request fails for another reason, here its expiry. */
    @Test
    void tokenIsBurnedByARequestThatFailed() throws Exception {
        String token = UUID.randomUUID().toString();
        String past = Long.toString(System.currentTimeMillis() / 1000 - 60);
        Map<String, String> expired = TestServer.v1Auth(token, past);
        assertError(server.upload(form(expired)), 400, "EXPIRE_INVALID", "expire");
        assertError(server.upload(form(expired)), 400, "TOKEN_REUSED", "has been used before");
    }

    @Test
    void basicAuthWithASignedTokenBurnsTheToken() throws Exception {
        Map<String, String> auth = TestServer.v1Auth(600);
        assertError(server.upload(form(auth), "Authorization", TestServer.basic()), 400, "BOTH_AUTH_METHODS", "both");
        assertError(server.upload(form(auth)), 400, "TOKEN_REUSED", "has been used before");
    }

    @Test
    void tokenIsBurnedByABadField() throws Exception {
        Map<String, String> auth = new HashMap<>(TestServer.v1Auth(600));
        Map<String, String> fields = new HashMap<>(auth);
        fields.put("useUniqueFileName", "yes");
        assertError(server.upload(form(fields)), 400, "INVALID_BOOLEAN", "useUniqueFileName");
        assertError(server.upload(form(auth)), 400, "TOKEN_REUSED", "has been used before");
    }

    @Test
    void tokenIsBurnedByATruncatedBody() throws Exception {
        Map<String, String> auth = TestServer.v1Auth(600);
        Multipart broken = Multipart.of(auth).field("fileName", "a.txt").file("partial".getBytes());
        var request = java.net.http.HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .header("Content-Type", broken.contentType())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(broken.unterminated())).build();
        assertError(server.send(request), 400, "MALFORMED_MULTIPART", "closing boundary");
        assertError(server.upload(form(auth)), 400, "TOKEN_REUSED", "has been used before");
    }

    @Test
    void twentyConcurrentRequestsWithOneTokenGiveExactlyOneSuccess() throws Exception {
        Map<String, String> auth = TestServer.v1Auth(600);
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(() -> {
                go.await();
                return server.upload(form(auth));
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (Callable<HttpResponse<String>> c : calls) {
                futures.add(pool.submit(c));
            }
            go.countDown();
            int ok = 0;
            int reused = 0;
            for (Future<HttpResponse<String>> f : futures) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) {
                    ok++;
                } else if (r.statusCode() == 400 && json(r).get("code").asText().equals("TOKEN_REUSED")) {
                    reused++;
                }
            }
            assertThat(ok).isEqualTo(1);
            assertThat(reused).isEqualTo(n - 1);
        }
    }

    @Test
    void usedTokensSurviveARestart(@TempDir Path dir) throws Exception {
        Map<String, String> auth = TestServer.v1Auth(600);
        try (TestServer first = TestServer.start(dir, Map.of(), true)) {
            assertThat(first.upload(form(auth)).statusCode()).isEqualTo(200);
        }
        try (TestServer second = TestServer.start(dir, Map.of(), true)) {
            assertError(second.upload(form(auth)), 400, "TOKEN_REUSED", "has been used before");
        }
    }

    @Test
    void fileDetailsNeedThePrivateKey() throws Exception {
        HttpResponse<String> up = server.upload(form(Map.of()), "Authorization", TestServer.basic());
        String fileId = json(up).get("fileId").asText();
        String path = "/v1/files/" + fileId + "/details";
        assertError(server.get(path), 401, "MISSING_AUTH", "does not contain private API key");
        assertError(server.get(path, "Authorization", TestServer.basic("private_nope", "")), 403, "KEY_UNKNOWN", "cannot be authenticated");
        HttpResponse<String> ok = server.get(path, "Authorization", TestServer.basic(TestServer.PRIVATE_KEY, "do_not_set"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("fileId").asText()).isEqualTo(fileId);
        assertThat(json(ok).get("type").asText()).isEqualTo("file");
    }

    @Test
    void preflightIsAnswered() {
        var request = java.net.http.HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-custom")
                .build();
        HttpResponse<String> r = server.send(request);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("access-control-allow-origin")).contains("*");
        assertThat(r.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");
        assertThat(r.headers().firstValue("access-control-allow-headers")).contains("x-custom");
        assertThat(r.headers().firstValue("access-control-expose-headers").orElse("")).contains("x-request-id");
    }
}

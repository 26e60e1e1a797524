package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Jwts;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload API v2: one rule per test (PRODUCT.md §3.1 item 3, reference §3). JWTs are made by hand here. */
class UploadV2Test {
    static TestServer server;
    static final String V2 = "/api/v2/files/upload";

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("fileName", "dress.jpg");
        f.put("useUniqueFileName", "false");
        f.put("folder", "/v2/" + java.util.UUID.randomUUID() + "/");
        f.put("tags", "summer,dress");
        return f;
    }

    static HttpResponse<String> upload(Map<String, String> formFields, String token, String... headers) {
        Multipart m = new Multipart().file("hello v2".getBytes());
        formFields.forEach(m::field);
        if (token != null) {
            m.field("token", token);
        }
        return server.post(V2, m, headers);
    }

    static String token(Map<String, String> payloadFields, long lifetime) {
        return Jwts.hs256(Jwts.payload(payloadFields, lifetime), TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY);
    }

    static void assertError(HttpResponse<String> r, int status, String code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(message);
    }

    @Test
    void boundFieldsUpload() throws Exception {
        Map<String, String> f = fields();
        HttpResponse<String> r = upload(f, token(f, 600));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("name").asText()).isEqualTo("dress.jpg");
        assertThat(body.get("filePath").asText()).isEqualTo(f.get("folder") + "dress.jpg");
    }

    @Test
    void lifetimeOfExactly3600IsAccepted() throws Exception {
        Map<String, String> f = fields();
        assertThat(upload(f, token(f, 3600)).statusCode()).isEqualTo(200);
    }

    @Test
    void lifetimeOf3601IsRefused() throws Exception {
        Map<String, String> f = fields();
        assertError(upload(f, token(f, 3601)), 400, "JWT_CLAIMS_INVALID", "exceeds 3600 seconds");
    }

    @Test
    void differentValueIsAMismatchNamingTheKey() throws Exception {
        Map<String, String> signed = fields();
        Map<String, String> sent = new LinkedHashMap<>(signed);
        sent.put("folder", "/somewhere-else/");
        assertError(upload(sent, token(signed, 600)), 400, "JWT_PAYLOAD_MISMATCH", "First mismatched parameter: folder.");
    }

    @Test
    void extraFormFieldIsAMismatch() throws Exception {
        Map<String, String> signed = fields();
        Map<String, String> sent = new LinkedHashMap<>(signed);
        sent.put("isPrivateFile", "false");
        assertError(upload(sent, token(signed, 600)), 400, "JWT_PAYLOAD_MISMATCH", "parameter: isPrivateFile.");
    }

    @Test
    void missingFormFieldIsAMismatch() throws Exception {
        Map<String, String> signed = fields();
        Map<String, String> sent = new LinkedHashMap<>(signed);
        sent.remove("tags");
        assertError(upload(sent, token(signed, 600)), 400, "JWT_PAYLOAD_MISMATCH", "parameter: tags.");
    }

    @Test
    void nonStringClaimIsAMismatch() throws Exception {
        Map<String, String> f = fields();
        Map<String, Object> payload = Jwts.payload(f, 600);
        payload.put("useUniqueFileName", false); // a JSON boolean, not the string the form carries
        String jwt = Jwts.hs256(payload, TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY);
        assertError(upload(f, jwt), 400, "JWT_PAYLOAD_MISMATCH", "useUniqueFileName");
    }

    /** Expired, but correctly signed: refused, and burned all the same (the next use is a reuse). */
    @Test
    void expiredTokenIsRefused() throws Exception {
        Map<String, String> f = fields();
        Map<String, Object> payload = new LinkedHashMap<>(f);
        payload.put("iat", Jwts.now() - 100);
        payload.put("exp", Jwts.now() - 10);
        String jwt = Jwts.hs256(payload, TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY);
        assertError(upload(f, jwt), 400, "JWT_EXPIRED", "Your request contains expired token.");
        assertError(upload(f, jwt), 400, "JWT_REUSED", "has been used before");
    }

    @Test
    void missingIatIsRefused() throws Exception {
        Map<String, String> f = fields();
        Map<String, Object> payload = new LinkedHashMap<>(f);
        payload.put("exp", Jwts.now() + 600);
        assertError(upload(f, Jwts.hs256(payload, TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY)), 400,
                "JWT_CLAIMS_INVALID", "integer iat and exp");
    }

    @Test
    void nonIntegerExpIsRefused() throws Exception {
        Map<String, String> f = fields();
        Map<String, Object> payload = new LinkedHashMap<>(f);
        payload.put("iat", Jwts.now());
        payload.put("exp", Long.toString(Jwts.now() + 600));
        assertError(upload(f, Jwts.hs256(payload, TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY)), 400,
                "JWT_CLAIMS_INVALID", "integer iat and exp");
    }

    @Test
    void futureNbfIsHonoured() throws Exception {
        Map<String, String> f = fields();
        Map<String, Object> payload = Jwts.payload(f, 600);
        payload.put("nbf", Jwts.now() + 300);
        assertError(upload(f, Jwts.hs256(payload, TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY)), 400,
                "JWT_NOT_YET_VALID", "not valid yet");
        Map<String, String> g = fields();
        Map<String, Object> past = Jwts.payload(g, 600);
        past.put("nbf", Jwts.now() - 5);
        past.put("jti", "ignored-by-binding");
        assertThat(upload(g, Jwts.hs256(past, TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY)).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefused() throws Exception {
        Map<String, String> f = fields();
        String jwt = Jwts.hs256(Jwts.payload(f, 600), TestServer.PUBLIC_KEY, "private_some_other_key");
        assertError(upload(f, jwt), 400, "JWT_SIGNATURE_INVALID", "signature does not match");
    }

    @Test
    void algNoneIsRefused() throws Exception {
        Map<String, String> f = fields();
        String jwt = Jwts.sign(Jwts.header("none", TestServer.PUBLIC_KEY), Jwts.payload(f, 600), null, null);
        assertError(upload(f, jwt), 400, "JWT_ALGORITHM", "HS256");
    }

    @Test
    void otherAlgorithmsAreRefused() throws Exception {
        Map<String, String> f = fields();
        String hs512 = Jwts.sign(Jwts.header("HS512", TestServer.PUBLIC_KEY), Jwts.payload(f, 600), "HmacSHA512", TestServer.PRIVATE_KEY);
        assertError(upload(f, hs512), 400, "JWT_ALGORITHM", "HS256");
        Map<String, String> g = fields();
        String rs256 = Jwts.sign(Jwts.header("RS256", TestServer.PUBLIC_KEY), Jwts.payload(g, 600), "HmacSHA256", TestServer.PRIVATE_KEY);
        assertError(upload(g, rs256), 400, "JWT_ALGORITHM", "HS256");
        Map<String, String> h = fields();
        Map<String, Object> noAlg = new LinkedHashMap<>();
        noAlg.put("typ", "JWT");
        noAlg.put("kid", TestServer.PUBLIC_KEY);
        String missing = Jwts.sign(noAlg, Jwts.payload(h, 600), "HmacSHA256", TestServer.PRIVATE_KEY);
        assertError(upload(h, missing), 400, "JWT_ALGORITHM", "HS256");
    }

    @Test
    void unknownKidIsRefused() throws Exception {
        Map<String, String> f = fields();
        String jwt = Jwts.hs256(Jwts.payload(f, 600), "public_unknown", TestServer.PRIVATE_KEY);
        assertError(upload(f, jwt), 400, "JWT_KEY_UNKNOWN", "kid");
    }

    @Test
    void reusedTokenIsRefused() throws Exception {
        Map<String, String> f = fields();
        String jwt = token(f, 600);
        assertThat(upload(f, jwt).statusCode()).isEqualTo(200);
        assertError(upload(f, jwt), 400, "JWT_REUSED", "has been used before");
    }

    /**
     * base64url leaves unused bits in the last character of a segment and allows {@code =} padding; a lenient decoder
     * reads every such spelling of one signature as the same bytes. One signed token must give one upload, however
     * it is spelled.
     */
    @Test
    void otherSpellingsOfAUsedTokenAreRefused() throws Exception {
        Map<String, String> f = fields();
        String jwt = token(f, 600);
        assertThat(upload(f, jwt).statusCode()).isEqualTo(200);
        String signingInput = jwt.substring(0, jwt.lastIndexOf('.') + 1);
        List<String> spellings = Jwts.otherSpellings(jwt.substring(jwt.lastIndexOf('.') + 1));
        assertThat(spellings).hasSize(7);
        for (String signature : spellings) {
            HttpResponse<String> r = upload(f, signingInput + signature);
            assertThat(r.statusCode()).as(signature + ": " + r.body()).isEqualTo(400);
            assertThat(Json.parse(r.body()).get("code").asText()).as(signature).isIn("JWT_MALFORMED", "JWT_REUSED");
        }
    }

    @Test
    void nonCanonicalBase64urlIsMalformedInEverySegment() throws Exception {
        Map<String, String> f = fields();
        String[] parts = token(f, 600).split("\\.");
        for (int i = 0; i < 3; i++) {
            for (String spelling : Jwts.otherSpellings(parts[i])) {
                String[] variant = parts.clone();
                variant[i] = spelling;
                assertError(upload(f, String.join(".", variant)), 400, "JWT_MALFORMED", "base64url");
            }
        }
        // The canonical token was never used: it still uploads once.
        assertThat(upload(f, String.join(".", parts)).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenIsBurnedByAFailedRequest() throws Exception {
        Map<String, String> signed = fields();
        String jwt = token(signed, 600);
        Map<String, String> tampered = new LinkedHashMap<>(signed);
        tampered.put("fileName", "other.jpg");
        assertError(upload(tampered, jwt), 400, "JWT_PAYLOAD_MISMATCH", "fileName");
        assertError(upload(signed, jwt), 400, "JWT_REUSED", "has been used before");
    }

    /** Forged or malformed tokens store nothing, so they cannot flood the table of used tokens. */
    @Test
    void forgedTokensBurnNothing() throws Exception {
        Map<String, String> f = fields();
        long before = server.usedTokens();
        String otherKey = Jwts.hs256(Jwts.payload(f, 600), TestServer.PUBLIC_KEY, "private_not_ours");
        String unknownKid = Jwts.hs256(Jwts.payload(f, 600), "public_nobody", TestServer.PRIVATE_KEY);
        for (int i = 0; i < 5; i++) {
            assertError(upload(f, otherKey), 400, "JWT_SIGNATURE_INVALID", "signature");
        }
        assertError(upload(f, unknownKid), 400, "JWT_KEY_UNKNOWN", "kid");
        assertThat(upload(f, "not.a.jwt").statusCode()).isEqualTo(400);
        assertError(upload(f, otherKey, "Authorization", TestServer.basic()), 400, "BOTH_AUTH_METHODS_V2", "both");
        assertThat(server.usedTokens()).isEqualTo(before);
    }

    @Test
    void signedTokenIsBurnedByATruncatedBody() throws Exception {
        Map<String, String> f = fields();
        String jwt = token(f, 600);
        Multipart broken = Multipart.of(f).field("token", jwt).file("partial".getBytes());
        var request = java.net.http.HttpRequest.newBuilder(server.uri(V2))
                .header("Content-Type", broken.contentType())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(broken.unterminated())).build();
        assertError(server.send(request), 400, "MALFORMED_MULTIPART", "closing boundary");
        assertError(upload(f, jwt), 400, "JWT_REUSED", "has been used before");
    }

    @Test
    void basicAuthPlusTokenIsRefused() throws Exception {
        Map<String, String> f = fields();
        assertError(upload(f, token(f, 600), "Authorization", TestServer.basic()), 400, "BOTH_AUTH_METHODS_V2",
                "both token and basic auth parameter");
    }

    @Test
    void basicAuthAloneBehavesAsOnV1() throws Exception {
        HttpResponse<String> r = upload(fields(), null, "Authorization", TestServer.basic(TestServer.PRIVATE_KEY, "do_not_set"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertError(upload(fields(), null), 401, "JWT_MISSING", "missing token parameter");
        assertError(upload(fields(), null, "Authorization", TestServer.basic("private_nope", "")), 403, "KEY_UNKNOWN", "cannot be authenticated");
    }

    @Test
    void malformedTokensAreRefusedAtOnce() throws Exception {
        String header = Jwts.b64(Json.writeBytes(Jwts.header("HS256", TestServer.PUBLIC_KEY)));
        List<String> bad = List.of("abc", "a.b", "a.b.c.d", header + ".%%%.sig", header + "." + Jwts.b64("not json".getBytes()) + ".sig",
                header + "." + Jwts.b64("[1,2]".getBytes()) + ".sig", "x".repeat(70_000));
        for (String jwt : bad) {
            HttpResponse<String> r = upload(fields(), jwt);
            assertThat(r.statusCode()).as(jwt.length() > 50 ? jwt.substring(0, 50) : jwt).isEqualTo(400);
            String code = Json.parse(r.body()).get("code").asText();
            assertThat(code).isIn("JWT_MALFORMED", "FIELD_TOO_LARGE");
        }
    }

    @Test
    void twentyParallelRequestsWithOneJwtGiveExactlyOneSuccess() throws Exception {
        Map<String, String> f = fields();
        String jwt = token(f, 600);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return upload(f, jwt);
                }));
            }
            go.countDown();
            int ok = 0;
            int reused = 0;
            for (Future<HttpResponse<String>> r : results) {
                HttpResponse<String> response = r.get();
                if (response.statusCode() == 200) {
                    ok++;
                } else if (Json.parse(response.body()).get("code").asText().equals("JWT_REUSED")) {
                    reused++;
                }
            }
            assertThat(ok).isEqualTo(1);
            assertThat(reused).isEqualTo(19);
        }
    }

    @Test
    void keyRotation(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.txt");
        String oldPub = "public_old_pair";
        String oldPriv = "private_old_pair_secret";
        String newPub = "public_new_pair";
        String newPriv = "private_new_pair_secret";
        Files.writeString(keys, "# two active pairs\n" + oldPub + " " + oldPriv + "\n" + newPub + " " + newPriv + "\n");
        Map<String, String> env = Map.of("UPFRONT_KEYS_FILE", keys.toString());
        Map<String, String> a = fields();
        Map<String, String> b = fields();
        Map<String, String> c = fields();
        String oldToken = Jwts.hs256(Jwts.payload(c, 600), oldPub, oldPriv);
        try (TestServer both = TestServer.start(dir.resolve("data"), env, false)) {
            assertThat(post(both, a, Jwts.hs256(Jwts.payload(a, 600), oldPub, oldPriv)).statusCode()).isEqualTo(200);
            assertThat(post(both, b, Jwts.hs256(Jwts.payload(b, 600), newPub, newPriv)).statusCode()).isEqualTo(200);
            // The same lookup serves Basic auth and v1.
            assertThat(both.upload(new Multipart().field("fileName", "x.txt").file("x".getBytes()), "Authorization",
                    TestServer.basic(oldPriv, "")).statusCode()).isEqualTo(200);
        }
        Files.writeString(keys, newPub + " " + newPriv + "\n");
        try (TestServer rotated = TestServer.start(dir.resolve("data"), env, false)) {
            assertError(post(rotated, c, oldToken), 400, "JWT_KEY_UNKNOWN", "kid");
            Map<String, String> d = fields();
            assertThat(post(rotated, d, Jwts.hs256(Jwts.payload(d, 600), newPub, newPriv)).statusCode()).isEqualTo(200);
            assertThat(rotated.upload(new Multipart().field("fileName", "x.txt").file("x".getBytes()), "Authorization",
                    TestServer.basic(oldPriv, "")).statusCode()).isEqualTo(403);
        }
    }

    private static HttpResponse<String> post(TestServer s, Map<String, String> f, String jwt) {
        Multipart m = new Multipart();
        f.forEach(m::field);
        m.field("token", jwt).file("rotation".getBytes());
        return s.post(V2, m);
    }
}

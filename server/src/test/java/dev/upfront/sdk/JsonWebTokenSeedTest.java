package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload API v2 with tokens made the way ImageKit's docs sample backend makes them, by npm {@code jsonwebtoken}
 * ({@code jwt.sign(uploadPayload, privateKey, {expiresIn, header: {alg, typ, kid}})}), posted as a browser would;
 * plus ImageKit's Stainless-generated SDK {@code @imagekit/nodejs} ({@code files.upload} server-side and
 * {@code beta.v2.files.upload} client-side). {@code src/test/node/jwt-seed.mjs} reports one JSON line per case;
 * this class asserts every status and code, what the libraries put on the wire, and the library state behind each
 * successful upload (the bytes at its url, its details).
 */
class JsonWebTokenSeedTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static final int WIDTH = 19;
    private static final int HEIGHT = 11;
    private static final List<String> DOCS_FIELDS = List.of("fileName", "useUniqueFileName", "folder", "tags");

    /** Every case the script must report, with the error code it must get (null: HTTP 200). */
    private static final Map<String, String> ERRORS = new LinkedHashMap<>();

    static {
        ERRORS.put("valueMismatch", "JWT_PAYLOAD_MISMATCH");
        ERRORS.put("extraFormField", "JWT_PAYLOAD_MISMATCH");
        ERRORS.put("missingFormField", "JWT_PAYLOAD_MISMATCH");
        ERRORS.put("nonStringClaim", "JWT_PAYLOAD_MISMATCH");
        ERRORS.put("expiresIn3601", "JWT_CLAIMS_INVALID");
        ERRORS.put("expiredInThePast", "JWT_EXPIRED");
        ERRORS.put("expiresInNegative", "JWT_EXPIRED");
        ERRORS.put("noTimestamp", "JWT_CLAIMS_INVALID");
        ERRORS.put("wrongKey", "JWT_SIGNATURE_INVALID");
        ERRORS.put("hs512", "JWT_ALGORITHM");
        ERRORS.put("unknownKid", "JWT_KEY_UNKNOWN");
        ERRORS.put("replaySecond", "JWT_REUSED");
        ERRORS.put("stainlessV2WithKey", "BOTH_AUTH_METHODS_V2");
    }

    @TempDir
    Path tmp;

    @Test
    void jsonwebtokenTokensAndTheStainlessSdkAgainstUploadV2() throws Exception {
        NodeProject project = NodeProject.prepare(tmp);
        byte[] png = Images.png(WIDTH, HEIGHT);
        Path sample = tmp.resolve("sample.png");
        Files.write(sample, png);

        try (TestServer server = TestServer.start()) {
            NodeProject.ProcessResult script = project.node("jwt-seed.mjs", Map.of(
                    "UPFRONT_URL", server.baseUrl(),
                    "UPFRONT_PUBLIC_KEY", TestServer.PUBLIC_KEY,
                    "UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY,
                    "UPFRONT_SAMPLE_FILE", sample.toAbsolutePath().toString()), SCRIPT_TIMEOUT);
            assertThat(script.ok()).as("jwt-seed.mjs failed:%n%s", script.describe()).isTrue();
            Map<String, JsonNode> cases = cases(script);
            String out = script.stdout();

            JsonNode environment = cases.get("environment");
            assertThat(environment.path("versions").path("jsonwebtoken").asText()).isEqualTo(project.pinnedVersion("jsonwebtoken"));
            assertThat(environment.path("versions").path("@imagekit/nodejs").asText()).isEqualTo(project.pinnedVersion("@imagekit/nodejs"));
            assertThat(cases.keySet()).as("cases reported").containsExactlyInAnyOrder(
                    "environment", "docs3600", "docs600", "valueMismatch", "extraFormField", "missingFormField",
                    "nonStringClaim", "expiresIn3601", "expiredInThePast", "expiresInNegative", "noTimestamp", "wrongKey",
                    "hs512", "unknownKid", "replayFirst", "replaySecond", "parallel20", "stainlessServerSide",
                    "stainlessV2NoKeyDefault", "stainlessV2NoKey", "stainlessV2WithKey", "stainlessV2WithKeyNullAuth");

            // Every refusal: 400 with its code.
            ERRORS.forEach((name, code) -> {
                JsonNode c = cases.get(name);
                assertThat(c.path("status").asInt()).as("%s: %s", name, c).isEqualTo(400);
                assertThat(c.path("body").path("code").asText()).as("%s: %s", name, c).isEqualTo(code);
            });
            assertMessage(cases, "valueMismatch", "First mismatched parameter: folder.");
            assertMessage(cases, "extraFormField", "First mismatched parameter: isPrivateFile.");
            assertMessage(cases, "missingFormField", "First mismatched parameter: tags.");
            assertMessage(cases, "nonStringClaim", "First mismatched parameter: useUniqueFileName.");
            assertMessage(cases, "expiresIn3601", "exceeds 3600 seconds");
            assertMessage(cases, "noTimestamp", "integer iat and exp");

            // What jsonwebtoken made: exactly the docs' header, the fields as string claims, then iat and exp.
            JsonNode docs = cases.get("docs3600").path("jwt");
            assertThat(docs.path("header")).isEqualTo(Json.parse(
                    "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + TestServer.PUBLIC_KEY + "\"}"));
            List<String> claims = new ArrayList<>();
            docs.path("payload").fieldNames().forEachRemaining(claims::add);
            List<String> form = new ArrayList<>();
            cases.get("docs3600").path("form").forEach(f -> form.add(f.asText()));
            assertThat(form).isEqualTo(DOCS_FIELDS);
            List<String> expectedClaims = new ArrayList<>(DOCS_FIELDS);
            expectedClaims.addAll(List.of("iat", "exp"));
            assertThat(claims).isEqualTo(expectedClaims);
            assertThat(lifetime(cases, "docs3600")).isEqualTo(3600);
            assertThat(lifetime(cases, "docs600")).isEqualTo(600);
            assertThat(lifetime(cases, "expiresIn3601")).isEqualTo(3601);
            assertThat(lifetime(cases, "expiresInNegative")).isEqualTo(-60);
            assertThat(cases.get("noTimestamp").path("jwt").path("payload").has("iat")).as("noTimestamp drops iat").isFalse();
            assertThat(cases.get("noTimestamp").path("jwt").path("payload").has("exp")).as("but expiresIn still sets exp").isTrue();
            assertThat(cases.get("hs512").path("jwt").path("header").path("alg").asText()).isEqualTo("HS512");
            assertThat(cases.get("nonStringClaim").path("jwt").path("payload").path("useUniqueFileName").isBoolean()).isTrue();

            // Docs-style successes: the name the payload set, and the library state behind it.
            JsonNode dress = success(cases, "docs3600");
            assertThat(dress.path("name").asText()).isEqualTo("dress.jpg");
            assertStored(server, dress, png, "/seed/dress.jpg", List.of("summer", "dress"));
            assertStored(server, success(cases, "docs600"), png, "/seed/shirt.jpg", List.of("summer", "dress"));
            assertStored(server, success(cases, "replayFirst"), png, "/seed/replay.jpg", List.of("summer", "dress"));

            // 20 parallel POSTs with one JWT: exactly one stores, the rest see it reused.
            JsonNode race = cases.get("parallel20");
            List<Integer> statuses = new ArrayList<>();
            List<String> codes = new ArrayList<>();
            race.path("results").forEach(r -> {
                statuses.add(r.path("status").asInt());
                if (r.path("status").asInt() != 200) {
                    codes.add(r.path("code").asText());
                }
            });
            assertThat(statuses).as("parallel20: %s", race.path("results")).hasSize(20).containsOnlyOnce(200);
            assertThat(codes).as("parallel20: %s", race.path("results")).hasSize(19).containsOnly("JWT_REUSED");
            assertThat(race.path("successes")).hasSize(1);
            assertStored(server, race.path("successes").get(0), png, "/seed/race.jpg", List.of("summer", "dress"));

            // @imagekit/nodejs server-side: Basic base64(privateKey:do_not_set) on v1, default unique file name.
            JsonNode stainless = success(cases, "stainlessServerSide");
            JsonNode sent = onlyRequest(cases, "stainlessServerSide");
            assertThat(sent.path("url").asText()).isEqualTo(server.baseUrl() + "/api/v1/files/upload");
            assertThat(sent.path("authorization").asText()).isEqualTo(TestServer.basic(TestServer.PRIVATE_KEY, "do_not_set"));
            assertThat(sent.path("fields").path("fileName").asText()).isEqualTo("stainless.png");
            assertThat(stainless.path("name").asText()).matches("stainless_[A-Za-z0-9_-]{9}\\.png");
            assertStored(server, stainless, png, "/" + stainless.path("name").asText(), null);

            // @imagekit/nodejs client-side v2: without a private key it sends nothing unless told "Authorization: null".
            JsonNode refused = cases.get("stainlessV2NoKeyDefault");
            assertThat(refused.path("status").isNull()).as("%s", refused).isTrue();
            assertThat(refused.path("sdkError").asText()).contains("Could not resolve authentication method");
            assertThat(refused.path("sent")).as("no request went out").isEmpty();

            JsonNode v2 = success(cases, "stainlessV2NoKey");
            JsonNode v2Sent = onlyRequest(cases, "stainlessV2NoKey");
            assertThat(v2Sent.path("url").asText()).isEqualTo(server.baseUrl() + "/api/v2/files/upload");
            assertThat(v2Sent.path("authorization").isNull()).as("no Authorization header: %s", v2Sent).isTrue();
            // The SDK's serialization (tags array -> "a,b", boolean -> "false") is what the payload had to sign.
            assertThat(v2Sent.path("fields").path("tags").asText()).isEqualTo("summer,dress");
            assertThat(v2Sent.path("fields").path("useUniqueFileName").asText()).isEqualTo("false");
            assertStored(server, v2, png, "/seed/sdk/stainless-v2.png", List.of("summer", "dress"));

            // With a private key configured, beta.v2 sends Basic next to the token (refused), unless told not to.
            assertThat(onlyRequest(cases, "stainlessV2WithKey").path("authorization").asText()).startsWith("Basic ");
            assertThat(onlyRequest(cases, "stainlessV2WithKeyNullAuth").path("authorization").isNull()).isTrue();
            assertStored(server, success(cases, "stainlessV2WithKeyNullAuth"), png, "/seed/sdk/stainless-v2-keyed.png",
                    List.of("summer", "dress"));

            // Seven uploads stored one blob each; no refused request stored anything.
            assertThat(server.blobFiles()).as("blobs after the run; script output:%n%s", out).hasSize(7);
        }
    }

    /** The script's lines by case name. */
    private static Map<String, JsonNode> cases(NodeProject.ProcessResult script) throws Exception {
        Map<String, JsonNode> cases = new LinkedHashMap<>();
        for (String line : script.stdoutLines()) {
            JsonNode c = Json.parse(line);
            String name = c.path("case").asText();
            assertThat(name).as("a case name in %s", line).isNotEmpty();
            assertThat(cases.put(name, c)).as("case %s reported twice", name).isNull();
        }
        return cases;
    }

    private static JsonNode success(Map<String, JsonNode> cases, String name) {
        JsonNode c = cases.get(name);
        assertThat(c.path("status").asInt()).as("%s: %s", name, c).isEqualTo(200);
        assertThat(c.path("body").isObject()).as("%s: %s", name, c).isTrue();
        return c.path("body");
    }

    private static void assertMessage(Map<String, JsonNode> cases, String name, String part) {
        assertThat(cases.get(name).path("body").path("message").asText()).as(name).contains(part);
    }

    private static long lifetime(Map<String, JsonNode> cases, String name) {
        JsonNode payload = cases.get(name).path("jwt").path("payload");
        assertThat(payload.path("iat").isIntegralNumber() && payload.path("exp").isIntegralNumber())
                .as("%s: integer iat and exp in %s", name, payload).isTrue();
        return payload.path("exp").asLong() - payload.path("iat").asLong();
    }

    /** The one upload request the SDK sent in a case. */
    private static JsonNode onlyRequest(Map<String, JsonNode> cases, String name) {
        JsonNode sent = cases.get(name).path("sent");
        assertThat(sent).as("%s: requests sent", name).hasSize(1);
        return sent.get(0);
    }

    /**
     * The upload's url serves exactly {@code bytes}, and {@code GET /v1/files/{id}/details} shows it at
     * {@code filePath} with {@code tags} (null: none).
     */
    private static void assertStored(TestServer server, JsonNode upload, byte[] bytes, String filePath, List<String> tags)
            throws Exception {
        assertThat(upload.path("filePath").asText()).as("%s", upload).isEqualTo(filePath);
        String url = upload.path("url").asText();
        assertThat(url).isEqualTo(server.urlEndpoint() + filePath);
        HttpResponse<byte[]> delivered = server.getBytes(url);
        assertThat(delivered.statusCode()).as("GET %s", url).isEqualTo(200);
        assertThat(delivered.body()).as("bytes served at %s", url).isEqualTo(bytes);

        String fileId = upload.path("fileId").asText();
        HttpResponse<String> r = server.get("/v1/files/" + fileId + "/details", "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = Json.parse(r.body());
        assertThat(d.path("fileId").asText()).isEqualTo(fileId);
        assertThat(d.path("filePath").asText()).isEqualTo(filePath);
        assertThat(d.path("url").asText()).isEqualTo(url);
        assertThat(d.path("mime").asText()).isEqualTo("image/png");
        assertThat(d.path("size").asLong()).isEqualTo(bytes.length);
        assertThat(d.path("width").asInt()).isEqualTo(WIDTH);
        assertThat(d.path("height").asInt()).isEqualTo(HEIGHT);
        if (tags == null) {
            assertThat(d.path("tags").isNull()).as("no tags: %s", d).isTrue();
        } else {
            List<String> actual = new ArrayList<>();
            d.path("tags").forEach(t -> actual.add(t.asText()));
            assertThat(actual).as("tags of %s", filePath).containsExactlyElementsOf(tags);
        }
    }
}

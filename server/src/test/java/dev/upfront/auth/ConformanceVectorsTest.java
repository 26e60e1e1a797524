package dev.upfront.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.testing.Conformance;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server accepts what the shared conformance vectors say ImageKit's SDKs send: v1 signatures, upload JWTs
 * (signature, claims, binding to the same fields as strings) and signed URLs (valid until {@code ik-t}, then
 * expired; any changed byte is invalid).
 */
class ConformanceVectorsTest {
    static List<JsonNode> v1() {
        return Conformance.cases("v1-parameters.json");
    }

    static List<JsonNode> jwts() {
        return Conformance.cases("upload-jwts.json");
    }

    static List<JsonNode> signedUrls() {
        return Conformance.cases("urls.json").stream().filter(c -> c.path("options").path("signed").asBoolean()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v1")
    void v1Signature(JsonNode c) {
        String expected = Hmac.sha1Hex(c.get("privateKey").asText(), c.get("token").asText() + c.get("expire").asLong());
        assertThat(Hmac.hexEquals(expected, c.get("signature").asText())).isTrue();
        assertThat(Hmac.hexEquals(expected, c.get("signature").asText().toUpperCase())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jwts")
    void uploadJwt(JsonNode c) {
        KeyPair pair = new KeyPair(c.get("publicKey").asText(), c.get("privateKey").asText());
        KeyRing keys = new KeyRing(List.of(pair));
        UploadJwt.Parsed parsed = UploadJwt.parse(c.get("token").asText());
        KeyPair signer = UploadJwt.signer(parsed, keys);
        assertThat(signer).isEqualTo(pair);
        UploadJwt.checkTimes(parsed, signer, Instant.ofEpochSecond(c.get("iat").asLong()), Duration.ZERO);
        Map<String, String> fields = new LinkedHashMap<>();
        c.get("payload").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
        fields.put("file", "(bytes)");
        UploadJwt.requireBinding(parsed, fields);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedUrls")
    void signedUrl(JsonNode c) {
        UrlSignature signatures = new UrlSignature(new KeyRing(List.of(new KeyPair("public_unused", c.get("privateKey").asText()))));
        String endpoint = c.get("urlEndpoint").asText().replaceAll("/+$", "") + "/";
        String url = c.get("url").asText();
        assertThat(url).startsWith(endpoint);
        String afterEndpoint = url.substring(endpoint.length());
        int q = afterEndpoint.indexOf('?');
        String path = afterEndpoint.substring(0, q);
        String query = afterEndpoint.substring(q + 1);
        Instant now = Instant.ofEpochSecond(c.get("now").asLong());

        assertThat(signatures.check(path, query, now)).isEqualTo(UrlSignature.Result.VALID);
        assertThat(signatures.check(path + "x", query, now)).isEqualTo(UrlSignature.Result.INVALID);
        if (c.get("options").has("expireSeconds")) {
            Instant after = now.plusSeconds(c.get("options").get("expireSeconds").asLong() + 1);
            assertThat(signatures.check(path, query, after)).isEqualTo(UrlSignature.Result.EXPIRED);
        }
    }
}

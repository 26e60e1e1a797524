package dev.upfront.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SDK's public calls reproduce the shared vectors in {@code conformance/}, which ImageKit's Node SDK and
 * jsonwebtoken produced: v1 parameters, upload JWTs and delivery URLs (signed with a clock stopped at the case's time).
 */
class ConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    static List<JsonNode> cases(String file) throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        JSON.readTree(Files.readString(Path.of("../conformance").resolve(file))).path("cases").forEach(cases::add);
        assertThat(cases).as(file).isNotEmpty();
        return cases;
    }

    static List<JsonNode> v1() throws IOException {
        return cases("v1-parameters.json");
    }

    static List<JsonNode> jwts() throws IOException {
        return cases("upload-jwts.json");
    }

    static List<JsonNode> urls() throws IOException {
        return cases("urls.json");
    }

    static UpfrontClient client(String publicKey, String privateKey, String urlEndpoint, long now) {
        return UpfrontClient.builder().publicKey(publicKey).privateKey(privateKey).urlEndpoint(urlEndpoint)
                .clock(InstantSource.fixed(Instant.ofEpochSecond(now))).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v1")
    void authenticationParameters(JsonNode c) {
        var p = client("public_x", c.get("privateKey").asText(), "https://unused.example", 0)
                .getAuthenticationParameters(c.get("token").asText(), c.get("expire").asLong());
        assertThat(p.token()).isEqualTo(c.get("token").asText());
        assertThat(p.expire()).isEqualTo(c.get("expire").asLong());
        assertThat(p.signature()).isEqualTo(c.get("signature").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jwts")
    void uploadTokens(JsonNode c) {
        UpfrontClient client = client(c.get("publicKey").asText(), c.get("privateKey").asText(), "https://unused.example",
                c.get("iat").asLong());
        Map<String, Object> payload = JSON.convertValue(c.get("payload"), MAP);
        Duration ttl = Duration.ofSeconds(c.get("exp").asLong() - c.get("iat").asLong());
        assertThat(client.signUploadPayload(payload, ttl)).isEqualTo(c.get("token").asText());
        // Every vector payload is already stringified, so createUploadToken must not change it.
        assertThat(client.createUploadToken(payload, ttl)).isEqualTo(c.get("token").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urls")
    void urls(JsonNode c) {
        JsonNode o = c.get("options");
        UrlBuilder url = client("public_x", c.get("privateKey").asText(), c.get("urlEndpoint").asText(), c.get("now").asLong())
                .url(o.get("path").asText());
        o.path("transformation").forEach(step -> url.transformation(JSON.convertValue(step, MAP)));
        if (o.path("transformationPosition").asText().equals("query")) {
            url.position(UrlBuilder.Position.QUERY);
        }
        o.path("queryParameters").fields().forEachRemaining(e -> url.queryParameter(e.getKey(), e.getValue().asText()));
        if (o.path("signed").asBoolean()) {
            url.signed();
        }
        if (o.has("expireSeconds")) {
            url.expireSeconds(o.get("expireSeconds").asLong());
        }
        assertThat(url.build()).isEqualTo(c.get("url").asText());
    }
}

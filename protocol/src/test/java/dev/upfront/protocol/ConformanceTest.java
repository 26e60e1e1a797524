package dev.upfront.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The protocol module reproduces every v1 and JWT vector that ImageKit's Node SDK and jsonwebtoken produced. */
class ConformanceTest {
    static List<JsonNode> v1() {
        return Vectors.cases("v1-parameters.json");
    }

    static List<JsonNode> jwts() {
        return Vectors.cases("upload-jwts.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v1")
    void v1Signature(JsonNode c) {
        AuthenticationParameters p = UploadSignature.create(c.get("privateKey").asText(), c.get("token").asText(),
                c.get("expire").asLong(), InstantSource.fixed(Instant.EPOCH));
        assertThat(p).isEqualTo(new AuthenticationParameters(c.get("token").asText(), c.get("expire").asLong(), c.get("signature").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jwts")
    void uploadJwt(JsonNode c) {
        String token = UploadToken.sign(c.get("publicKey").asText(), c.get("privateKey").asText(),
                Vectors.map(c.get("payload")), c.get("iat").asLong(), c.get("exp").asLong());
        assertThat(token).isEqualTo(c.get("token").asText());
        assertThat(UploadToken.signatureMatches(token, c.get("privateKey").asText())).isTrue();
        assertThat(UploadToken.signatureMatches(token, c.get("privateKey").asText() + "x")).isFalse();
    }
}

package dev.upfront.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));

    @Test
    void v1DefaultsAreAUuidAndHalfAnHour() {
        AuthenticationParameters p = UploadSignature.create("private_k", null, null, CLOCK);
        assertThat(p.token()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(p.expire()).isEqualTo(1_700_000_000 + 1800);
        assertThat(p.signature()).isEqualTo(Hmac.sha1Hex("private_k", p.token() + p.expire())).matches("[0-9a-f]{40}");
        assertThat(UploadSignature.create("private_k", "", 0L, CLOCK).token()).isNotEmpty();
    }

    @Test
    void jwtLifetimeAndReservedClaims() {
        assertThatThrownBy(() -> UploadToken.sign("pub", "priv", Map.of(), 100, 3701)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadToken.sign("pub", "priv", Map.of(), 100, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadToken.sign("pub", "priv", Map.of("exp", 5), 100, 200)).isInstanceOf(IllegalArgumentException.class);
        assertThat(UploadToken.signatureMatches("not-a-jwt", "priv")).isFalse();
        assertThat(UploadToken.signatureMatches("a.b.!!!", "priv")).isFalse();
    }

    @Test
    void jsonTextWritesWhatJsonStringifyWrites() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001\u001f\u2028é");
        m.put("n", List.of(1, -2L, 10.5, 1e21, 1e-7, 0.000001, -0.0, Double.NaN, 123456789012.0));
        m.put("b", true);
        m.put("z", null);
        m.put("lone", "\ud83d");
        assertThat(JsonText.write(m)).isEqualTo(
                "{\"s\":\"a\\\"b\\\\c\\n\\u0001\\u001f\u2028é\",\"n\":[1,-2,10.5,1e+21,1e-7,0.000001,0,null,123456789012],"
                        + "\"b\":true,\"z\":null,\"lone\":\"\\ud83d\"}");
    }

    @Test
    void formValuesAreWhatTheSdksSend() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("fileName", "a.jpg");
        options.put("useUniqueFileName", false);
        options.put("tags", List.of("summer", "dress"));
        options.put("customMetadata", Map.of("price", 10));
        options.put("extensions", List.of(Map.of("name", "remove-bg")));
        options.put("folder", null);
        options.put("maxSize", 1024);
        assertThat(FormValues.stringifyAll(options)).containsExactly(
                Map.entry("fileName", "a.jpg"), Map.entry("useUniqueFileName", "false"), Map.entry("tags", "summer,dress"),
                Map.entry("customMetadata", "{\"price\":10}"), Map.entry("extensions", "[{\"name\":\"remove-bg\"}]"),
                Map.entry("maxSize", "1024"));
    }

    @Test
    void signedUrlsAppendExpiryThenSignature() {
        String never = UrlSigning.sign("k", "http://h/media", "http://h/media/a.jpg?x=1", null);
        assertThat(never).isEqualTo("http://h/media/a.jpg?x=1&ik-s=" + Hmac.sha1Hex("k", "a.jpg?x=1" + UrlSigning.NEVER));
        String expiring = UrlSigning.sign("k", "http://h/media/", "http://h/media/a.jpg", 1800000000L);
        assertThat(expiring).isEqualTo("http://h/media/a.jpg?ik-t=1800000000&ik-s=" + Hmac.sha1Hex("k", "a.jpg1800000000"));
        assertThatThrownBy(() -> UrlSigning.sign("k", "http://other", "http://h/media/a.jpg", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

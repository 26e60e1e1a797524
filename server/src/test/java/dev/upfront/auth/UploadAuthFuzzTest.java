package dev.upfront.auth;

import static dev.upfront.testing.ClientErrors.resultOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.InMemoryTokenStore;
import dev.upfront.testing.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzzes the client-side upload credentials through {@link UploadAuthenticator}, the entry point the upload routes
 * use, with a set-backed token store and a fixed clock. Every refusal must be a 4xx, and nothing is accepted that
 * the key did not sign: a v1 request only with the right HMAC, a fresh token and an expiry in the window; a JWT
 * only as signed, and only once.
 */
class UploadAuthFuzzTest {
    private static final KeyPair PAIR = new KeyPair("public_fuzz", "private_fuzz");
    private static final KeyRing KEYS = new KeyRing(List.of(PAIR, new KeyPair("public_other", "private_other")));
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final Duration SKEW = Duration.ofSeconds(10);

    private static UploadAuthenticator authenticator() {
        return new UploadAuthenticator(KEYS, new InMemoryTokenStore(), InstantSource.fixed(NOW), SKEW);
    }

    /** v1 fields, each absent, fuzzed, or (for signature and expire) nearly right, with or without Basic auth. */
    @FuzzTest(maxDuration = "5s")
    void v1AcceptsOnlyTheKeysSignatureOnAFreshTokenInTime(FuzzedDataProvider data) {
        boolean basic = data.consumeBoolean();
        Map<String, String> fields = new LinkedHashMap<>();
        if (data.consumeBoolean()) {
            fields.put("publicKey", data.consumeBoolean() ? PAIR.publicKey() : data.consumeString(40));
        }
        String token = data.consumeString(100);
        if (data.consumeBoolean()) {
            fields.put("token", token);
        }
        String expire = data.consumeBoolean() ? Long.toString(NOW.getEpochSecond() + data.consumeInt(-7300, 7300))
                : data.consumeString(20);
        if (data.consumeBoolean()) {
            fields.put("expire", expire);
        }
        if (data.consumeBoolean()) {
            String right = hmacSha1Hex(PAIR.privateKey(), token + expire);
            fields.put("signature", switch (data.consumeInt(0, 2)) {
                case 0 -> right;
                case 1 -> right.toUpperCase(Locale.ROOT);
                default -> data.consumeString(60);
            });
        }
        fields.put(data.consumeString(20), data.consumeRemainingAsString());

        UploadAuthenticator auth = authenticator();
        Optional<KeyPair> basicPair = basic ? Optional.of(PAIR) : Optional.empty();
        Optional<KeyPair> accepted = resultOrRefusal(() -> auth.uploadV1(basicPair, fields));
        if (accepted.isEmpty() || basic) {
            return;
        }
        long expiresAt = Long.parseLong(fields.get("expire"));
        assertThat(expiresAt).as("accepted expire").isBetween(NOW.minus(SKEW).getEpochSecond() + 1,
                NOW.plus(UploadAuthenticator.MAX_EXPIRE_AHEAD).plus(SKEW).getEpochSecond());
        assertThat(fields.get("signature")).as("accepted signature").isEqualToIgnoringCase(
                hmacSha1Hex(accepted.get().privateKey(), fields.get("token") + fields.get("expire")));
        assertThat(resultOrRefusal(() -> auth.uploadV1(basicPair, fields))).as("the same token again").isEmpty();
    }

    /** Any text as a v2 token: refused with a 4xx (the fuzzer cannot forge the HMAC), and burning it never fails. */
    @FuzzTest(maxDuration = "5s")
    void v2RefusesAnyUnsignedToken(byte[] input) {
        String token = new String(input, StandardCharsets.UTF_8);
        Map<String, String> fields = Map.of("token", token, "fileName", "a.jpg");
        UploadAuthenticator auth = authenticator();
        assertThat(resultOrRefusal(() -> auth.uploadV2(Optional.empty(), fields))).as("an unsigned token").isEmpty();
        auth.burnJwt(token);
        resultOrRefusal(() -> UploadJwt.parse(token)).ifPresent(parsed -> {
            resultOrRefusal(() -> UploadJwt.verify(parsed, KEYS, NOW, SKEW));
            resultOrRefusal(() -> {
                UploadJwt.requireBinding(parsed, fields);
                return parsed;
            });
        });
    }

    /**
     * A correctly signed token for fuzzed fields is accepted once; the same token with a few characters changed is
     * never accepted after it (one signature, one upload), and accepted on its own only if it still says exactly
     * what was signed.
     */
    @FuzzTest(maxDuration = "5s")
    void v2AcceptsASignedTokenOnceAndNoAlteredCopy(FuzzedDataProvider data) {
        Map<String, String> fields = new LinkedHashMap<>();
        int count = data.consumeInt(0, 3);
        for (int i = 0; i < count; i++) {
            fields.put("f" + data.consumeAsciiString(10), data.consumeString(30));
        }
        Map<String, Object> payload = new LinkedHashMap<>(fields);
        long iat = NOW.getEpochSecond() - data.consumeInt(0, 5);
        payload.put("iat", iat);
        payload.put("exp", iat + data.consumeInt(1, (int) UploadJwt.MAX_LIFETIME_SECONDS));
        String signed = Jwts.hs256(payload, PAIR.publicKey(), PAIR.privateKey());
        String altered = alter(signed, data);

        UploadAuthenticator auth = authenticator();
        assertThat(resultOrRefusal(() -> auth.uploadV2(Optional.empty(), withToken(fields, signed))))
                .as("the signed token %s", signed).contains(PAIR);
        assertThat(resultOrRefusal(() -> auth.uploadV2(Optional.empty(), withToken(fields, altered))))
                .as("%s, altered from %s, after the signed one", altered, signed).isEmpty();

        if (resultOrRefusal(() -> authenticator().uploadV2(Optional.empty(), withToken(fields, altered))).isPresent()) {
            assertThat(part(altered, 0)).as("header of the accepted %s", altered).isEqualTo(part(signed, 0));
            assertThat(part(altered, 1)).as("payload of the accepted %s", altered).isEqualTo(part(signed, 1));
        }
    }

    /** {@code token} with up to three characters replaced, inserted or deleted at fuzzed places. */
    private static String alter(String token, FuzzedDataProvider data) {
        StringBuilder s = new StringBuilder(token);
        int edits = data.consumeInt(0, 3);
        for (int i = 0; i < edits && !s.isEmpty(); i++) {
            int at = data.consumeInt(0, s.length() - 1);
            char c = data.consumeChar();
            switch (data.consumeInt(0, 2)) {
                case 0 -> s.setCharAt(at, c);
                case 1 -> s.insert(at, c);
                default -> s.deleteCharAt(at);
            }
        }
        return s.toString();
    }

    private static Map<String, String> withToken(Map<String, String> fields, String token) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("token", token);
        return all;
    }

    /** Part {@code index} (0 header, 1 payload) of a JWT as JSON, so equal content compares equal. */
    private static JsonNode part(String jwt, int index) {
        try {
            return Json.parse(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("an accepted token must decode: " + jwt, e);
        }
    }

    private static String hmacSha1Hex(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

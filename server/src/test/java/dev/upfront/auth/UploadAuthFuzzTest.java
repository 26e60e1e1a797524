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
    private static final String JWT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.+/ ";

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
            String right = HexFormat.of().formatHex(hmac("HmacSHA1", PAIR.privateKey(), token + expire));
            fields.put("signature", switch (data.consumeInt(0, 2)) {
                case 0 -> right;
                case 1 -> right.toUpperCase(Locale.ROOT);
                default -> data.consumeString(60);
            });
        }
        fields.put(data.consumeString(20), data.consumeRemainingAsString());

        UploadAuthenticator auth = authenticator();
        Optional<KeyPair> basicPair = basic ? Optional.of(PAIR) : Optional.empty();
        Optional<KeyPair> accepted = resultOrRefusal(() -> auth.attempt(1, basicPair).complete(fields));
        if (accepted.isEmpty() || basic) {
            return;
        }
        long expiresAt = Long.parseLong(fields.get("expire"));
        assertThat(expiresAt).as("accepted expire").isBetween(NOW.minus(SKEW).getEpochSecond() + 1,
                NOW.plus(UploadAuthenticator.MAX_EXPIRE_AHEAD).plus(SKEW).getEpochSecond());
        assertThat(fields.get("signature")).as("accepted signature").isEqualToIgnoringCase(
                HexFormat.of().formatHex(hmac("HmacSHA1", accepted.get().privateKey(), fields.get("token") + fields.get("expire"))));
        assertThat(resultOrRefusal(() -> auth.attempt(1, basicPair).complete(fields))).as("the same token again").isEmpty();
    }

    /**
     * A token built from fuzzed header and payload JSON, signed with the key or not, next to fuzzed fields: refused
     * with a 4xx, and burning it never fails. Accepted only when it was signed with the key, its lifetime is at most
     * an hour and now lies in it, and its claims are exactly the fields.
     */
    @FuzzTest(maxDuration = "5s")
    void v2AcceptsOnlySignedContentThatBindsTheFields(FuzzedDataProvider data) {
        Map<String, String> fields = fuzzedFields(data);
        boolean sign = data.consumeBoolean();
        String header = data.consumeBoolean() ? "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + PAIR.publicKey() + "\"}"
                : data.consumeString(100);
        String signingInput = Jwts.b64(utf8(header)) + "." + Jwts.b64(utf8(data.consumeRemainingAsString()));
        String token = signingInput + "." + (sign ? Jwts.b64(hmac("HmacSHA256", PAIR.privateKey(), signingInput)) : "c2ln");
        Map<String, String> request = withToken(fields, token);

        UploadAuthenticator auth = authenticator();
        Optional<KeyPair> accepted = resultOrRefusal(() -> auth.attempt(2, Optional.empty()).complete(request));
        auth.attempt(2, Optional.empty()).burnIfSigned(request);
        resultOrRefusal(() -> UploadJwt.parse(token)).ifPresent(parsed -> {
            resultOrRefusal(() -> {
                UploadJwt.checkTimes(parsed, UploadJwt.signer(parsed, KEYS), NOW, SKEW);
                return parsed;
            });
            resultOrRefusal(() -> {
                UploadJwt.requireBinding(parsed, request);
                return parsed;
            });
        });
        if (accepted.isEmpty()) {
            return;
        }
        assertThat(sign).as("accepted an unsigned %s", token).isTrue();
        JsonNode claims = part(token, 1);
        long iat = claims.get("iat").longValue();
        long exp = claims.get("exp").longValue();
        assertThat(exp - iat).as("lifetime of %s", claims).isBetween(0L, UploadJwt.MAX_LIFETIME_SECONDS);
        assertThat(NOW.getEpochSecond()).as("now within %s", claims)
                .isBetween(iat - SKEW.toSeconds(), exp + SKEW.toSeconds());
        Map<String, String> bound = new LinkedHashMap<>();
        claims.properties().forEach(claim -> {
            if (!UploadJwt.TIME_CLAIMS.contains(claim.getKey())) {
                bound.put(claim.getKey(), claim.getValue().textValue());
            }
        });
        assertThat(bound).as("claims of the accepted %s", claims).isEqualTo(fields);
    }

    /**
     * A correctly signed token for fuzzed fields is accepted once; the same token with a few characters changed is
     * never accepted after it (one signature, one upload), and accepted on its own only if it still says exactly
     * what was signed.
     */
    @FuzzTest(maxDuration = "5s")
    void v2AcceptsASignedTokenOnceAndNoAlteredCopy(FuzzedDataProvider data) {
        Map<String, String> fields = fuzzedFields(data);
        Map<String, Object> payload = new LinkedHashMap<>(fields);
        long iat = NOW.getEpochSecond() - data.consumeInt(0, 5);
        payload.put("iat", iat);
        payload.put("exp", iat + data.consumeInt(1, (int) UploadJwt.MAX_LIFETIME_SECONDS));
        String signed = Jwts.hs256(payload, PAIR.publicKey(), PAIR.privateKey());
        String altered = alter(signed, data);

        UploadAuthenticator auth = authenticator();
        assertThat(resultOrRefusal(() -> auth.attempt(2, Optional.empty()).complete(withToken(fields, signed))))
                .as("the signed token %s", signed).contains(PAIR);
        assertThat(resultOrRefusal(() -> auth.attempt(2, Optional.empty()).complete(withToken(fields, altered))))
                .as("%s, altered from %s, after the signed one", altered, signed).isEmpty();

        if (resultOrRefusal(() -> authenticator().attempt(2, Optional.empty()).complete(withToken(fields, altered))).isPresent()) {
            assertThat(part(altered, 0)).as("header of the accepted %s", altered).isEqualTo(part(signed, 0));
            assertThat(part(altered, 1)).as("payload of the accepted %s", altered).isEqualTo(part(signed, 1));
        }
    }

    /** Up to three upload fields; their names start with f, so none is a time claim, {@code file} or {@code token}. */
    private static Map<String, String> fuzzedFields(FuzzedDataProvider data) {
        Map<String, String> fields = new LinkedHashMap<>();
        int count = data.consumeInt(0, 3);
        for (int i = 0; i < count; i++) {
            fields.put("f" + data.consumeAsciiString(10), data.consumeString(30));
        }
        return fields;
    }

    /**
     * {@code token} with up to three characters replaced, inserted or deleted; the characters mostly from a JWT's own
     * alphabet and the places mostly at the ends of its parts, where base64url has other spellings of the same bytes.
     */
    private static String alter(String token, FuzzedDataProvider data) {
        StringBuilder s = new StringBuilder(token);
        int edits = data.consumeInt(0, 3);
        for (int i = 0; i < edits; i++) {
            char c = data.consumeBoolean() ? JWT_CHARS.charAt(data.consumeInt(0, JWT_CHARS.length() - 1)) : data.consumeChar();
            int op = data.consumeInt(0, 2);
            int end = s.isEmpty() ? 0 : s.length() - (op == 1 ? 0 : 1);
            int at = data.consumeBoolean() ? data.consumeInt(0, end) : partEnd(s, data.consumeInt(0, 2), op == 1);
            if (op == 1) {
                s.insert(at, c);
            } else if (!s.isEmpty()) {
                if (op == 0) {
                    s.setCharAt(at, c);
                } else {
                    s.deleteCharAt(at);
                }
            }
        }
        return s.toString();
    }

    /** Where part {@code part} of a JWT ends: just past its last character to insert, on it to replace or delete. */
    private static int partEnd(CharSequence s, int part, boolean insert) {
        int end = s.length();
        for (int dots = 0, i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.' && dots++ == part) {
                end = i;
                break;
            }
        }
        return insert || end == 0 ? end : end - 1;
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

    private static byte[] hmac(String algorithm, String key, String message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(utf8(key), algorithm));
            return mac.doFinal(utf8(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.upfront.testing;

import dev.upfront.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-made JWTs for tests: header and payload exactly as given, HMAC computed here with the JDK, so tests can
 * build tokens no well-behaved library would (alg none, non-integer iat, extra claims).
 */
public final class Jwts {
    private Jwts() {}

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The ImageKit header: {@code {"alg":"HS256","typ":"JWT","kid":publicKey}}. */
    public static Map<String, Object> header(String alg, String kid) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", alg);
        h.put("typ", "JWT");
        if (kid != null) {
            h.put("kid", kid);
        }
        return h;
    }

    /** Upload fields plus {@code iat} = now and {@code exp} = now + lifetime. */
    public static Map<String, Object> payload(Map<String, String> fields, long lifetimeSeconds) {
        Map<String, Object> p = new LinkedHashMap<>(fields);
        long now = now();
        p.put("iat", now);
        p.put("exp", now + lifetimeSeconds);
        return p;
    }

    public static String hs256(Map<String, Object> payload, String kid, String secret) {
        return sign(header("HS256", kid), payload, "HmacSHA256", secret);
    }

    public static String sign(Map<String, Object> header, Map<String, Object> payload, String macAlgorithm, String secret) {
        String signingInput = b64(Json.writeBytes(header)) + "." + b64(Json.writeBytes(payload));
        if (macAlgorithm == null) {
            return signingInput + ".";
        }
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlgorithm));
            return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

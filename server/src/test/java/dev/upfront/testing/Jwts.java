package dev.upfront.testing;

import dev.upfront.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * Other spellings of a canonical base64url {@code segment} that a lenient decoder reads as the same bytes:
     * the unused low bits of its last character set otherwise, and each spelling with its {@code =} padding.
     */
    public static List<String> otherSpellings(String segment) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int unusedBits = switch (segment.length() % 4) {
            case 2 -> 4;
            case 3 -> 2;
            default -> 0;
        };
        String padding = "=".repeat((4 - segment.length() % 4) % 4);
        String body = segment.substring(0, segment.length() - 1);
        int last = alphabet.indexOf(segment.charAt(segment.length() - 1));
        List<String> spellings = new ArrayList<>();
        for (int low = 0; low < (1 << unusedBits); low++) {
            String spelling = body + alphabet.charAt((last & ~((1 << unusedBits) - 1)) | low);
            if (!spelling.equals(segment)) {
                spellings.add(spelling);
            }
            if (!padding.isEmpty()) {
                spellings.add(spelling + padding);
            }
        }
        return spellings;
    }
}

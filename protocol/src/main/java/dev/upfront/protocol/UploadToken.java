package dev.upfront.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Upload API v2 client-side credentials: a JWT signed HS256 with the private key, header
 * {@code {"alg":"HS256","typ":"JWT","kid":publicKey}}, claims = the upload fields (strings) plus {@code iat} and
 * {@code exp}. Built byte for byte as {@code jsonwebtoken.sign(uploadPayload, privateKey, {expiresIn, header})} in
 * ImageKit's documentation builds it: same header order, the payload's keys in their order followed by {@code iat}
 * and {@code exp}, {@code JSON.stringify} text (see {@link JsonText}), unpadded base64url.
 *
 * <p>Written by hand rather than with java-jwt: a JWT library chooses its own header and claim order, and HS256 is
 * one HMAC; byte-identical tokens let the conformance vectors compare strings, and the SDK needs no dependency.
 */
public final class UploadToken {
    /** ImageKit refuses a token whose {@code exp - iat} exceeds an hour. */
    public static final long MAX_LIFETIME_SECONDS = 3600;
    /** Registered claims that are not upload fields (not bound to a form field). */
    public static final Set<String> TIME_CLAIMS = Set.of("iat", "exp", "nbf", "jti");

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private UploadToken() {}

    /**
     * Signs {@code payload} plus {@code iat} and {@code exp}.
     *
     * @throws IllegalArgumentException when the payload brings its own {@code iat} or {@code exp}, or
     *     {@code exp - iat} is not in {@code 1..3600}
     */
    public static String sign(String publicKey, String privateKey, Map<String, ?> payload, long iat, long exp) {
        if (payload.containsKey("iat") || payload.containsKey("exp")) {
            throw new IllegalArgumentException("the upload payload must not contain iat or exp; they are set from the lifetime");
        }
        requireLifetime(exp - iat);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        header.put("typ", "JWT");
        header.put("kid", publicKey);
        Map<String, Object> claims = new LinkedHashMap<>(payload);
        claims.put("iat", iat);
        claims.put("exp", exp);
        String signingInput = encode(JsonText.write(header)) + "." + encode(JsonText.write(claims));
        return signingInput + "." + B64.encodeToString(mac(privateKey, signingInput));
    }

    /** @throws IllegalArgumentException unless {@code 1 <= seconds <= 3600} */
    public static void requireLifetime(long seconds) {
        if (seconds < 1 || seconds > MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("an upload token lives 1 to " + MAX_LIFETIME_SECONDS + " seconds, not " + seconds);
        }
    }

    /** Whether the token's third part is the HS256 signature of its first two under {@code privateKey} (constant time). */
    public static boolean signatureMatches(String token, String privateKey) {
        int last = token.lastIndexOf('.');
        if (last < 0 || token.indexOf('.') == last) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(last + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(privateKey, token.substring(0, last)), given);
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] mac(String privateKey, String signingInput) {
        return Hmac.sha256(privateKey, signingInput.getBytes(StandardCharsets.US_ASCII));
    }
}

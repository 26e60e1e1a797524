package dev.upfront.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA1 as ImageKit uses it for upload signatures and signed URLs: lowercase hex, UTF-8 key and message. */
public final class Hmac {
    private Hmac() {}

    public static String sha1Hex(String key, String message) {
        return hex("HmacSHA1", key, message);
    }

    /** HMAC-SHA256 in lowercase hex: for server-side opaque identifiers (ETags), not part of ImageKit's protocol. */
    public static String sha256Hex(String key, String message) {
        return hex("HmacSHA256", key, message);
    }

    private static String hex(String algorithm, String key, String message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is unavailable", e);
        }
    }

    /** Compares two hex digests in constant time, ignoring ASCII case. */
    public static boolean hexEquals(String expected, String given) {
        byte[] a = expected.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] b = given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(a, b);
    }
}

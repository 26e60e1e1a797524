package dev.upfront.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The two MACs ImageKit's credentials use, with UTF-8 keys and messages. */
public final class Hmac {
    private Hmac() {}

    /** HMAC-SHA1 in lowercase hex: v1 upload signatures and signed URLs. */
    public static String sha1Hex(String key, String message) {
        return HexFormat.of().formatHex(mac("HmacSHA1", key, message.getBytes(StandardCharsets.UTF_8)));
    }

    /** HMAC-SHA256: the HS256 signature of upload JWTs. */
    public static byte[] sha256(String key, byte[] message) {
        return mac("HmacSHA256", key, message);
    }

    /** Compares two hex digests in constant time, ignoring ASCII case (ImageKit documents lowercase). */
    public static boolean hexEquals(String expected, String given) {
        byte[] a = expected.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] b = given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(a, b);
    }

    private static byte[] mac(String algorithm, String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is unavailable", e);
        }
    }
}

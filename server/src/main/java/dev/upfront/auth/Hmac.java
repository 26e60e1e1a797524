package dev.upfront.auth;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * HMAC-SHA1 as ImageKit uses it for upload signatures and signed URLs: lowercase hex, UTF-8 key and message.
 * The implementation is the protocol module's, which the Java SDK signs with.
 */
public final class Hmac {
    private Hmac() {}

    public static String sha1Hex(String key, String message) {
        return dev.upfront.protocol.Hmac.sha1Hex(key, message);
    }

    /** HMAC-SHA256 in lowercase hex: for server-side opaque identifiers (ETags), not part of ImageKit's protocol. */
    public static String sha256Hex(String key, String message) {
        return HexFormat.of().formatHex(dev.upfront.protocol.Hmac.sha256(key, message.getBytes(StandardCharsets.UTF_8)));
    }

    /** Compares two hex digests in constant time, ignoring ASCII case. */
    public static boolean hexEquals(String expected, String given) {
        return dev.upfront.protocol.Hmac.hexEquals(expected, given);
    }
}

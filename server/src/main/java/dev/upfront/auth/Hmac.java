package dev.upfront.auth;

/**
 * HMAC-SHA1 as ImageKit uses it for upload signatures and signed URLs: lowercase hex, UTF-8 key and message.
 * The implementation is the protocol module's, which the Java SDK signs with.
 */
public final class Hmac {
    private Hmac() {}

    public static String sha1Hex(String key, String message) {
        return dev.upfront.protocol.Hmac.sha1Hex(key, message);
    }

    /** Compares two hex digests in constant time, ignoring ASCII case. */
    public static boolean hexEquals(String expected, String given) {
        return dev.upfront.protocol.Hmac.hexEquals(expected, given);
    }
}

package dev.upfront.ids;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random identifiers: file and version ids (24 lowercase hex, like ImageKit's), name suffixes, request ids. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] SUFFIX_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

    private Ids() {}

    /** 24 lowercase hex characters (96 random bits). */
    public static String objectId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** 9 characters of [A-Za-z0-9_-], the shape of ImageKit's unique file name suffix. */
    public static String nameSuffix() {
        char[] out = new char[9];
        for (int i = 0; i < out.length; i++) {
            out[i] = SUFFIX_ALPHABET[RANDOM.nextInt(SUFFIX_ALPHABET.length)];
        }
        return new String(out);
    }

    /**
     * 24 lowercase hex characters for request ids: unique enough to find a request in a log, not a secret, so they
     * come from a fast per-thread generator instead of the shared SecureRandom.
     */
    public static String requestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return String.format("%016x%08x", r.nextLong(), r.nextInt());
    }

    /** Random bytes for keys. */
    public static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}

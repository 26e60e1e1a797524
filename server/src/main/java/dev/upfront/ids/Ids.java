package dev.upfront.ids;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers: file and version ids (24 lowercase hex, like ImageKit's), name suffixes, request ids. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final char[] SUFFIX_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

    private Ids() {}

    /** 24 lowercase hex characters (96 random bits). */
    public static String objectId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** 9 characters of [A-Za-z0-9_-], the shape of ImageKit's unique file name suffix. */
    public static String nameSuffix() {
        // One draw for all nine: each draw from the shared SecureRandom takes its lock. 64 symbols, so the low six
        // bits of a byte pick one uniformly.
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        char[] out = new char[bytes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = SUFFIX_ALPHABET[bytes[i] & (SUFFIX_ALPHABET.length - 1)];
        }
        return new String(out);
    }

    /**
     * 24 lowercase hex characters for request ids: unique enough to find a request in a log, not a secret, so they
     * come from a fast per-thread generator instead of the shared SecureRandom.
     */
    public static String requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return HEX.toHexDigits(r.nextLong()) + HEX.toHexDigits(r.nextInt()); // String.format costs more than the rest
    }

    /** Random bytes for keys. */
    public static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}

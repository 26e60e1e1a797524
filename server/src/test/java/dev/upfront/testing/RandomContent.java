package dev.upfront.testing;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * {@code length} pseudo-random bytes generated on the fly (xorshift64*, seeded), hashed with MD5 and CRC32C as they
 * are read:
 * big uploads without holding them in memory. Deterministic for a seed, so the same content can be generated twice.
 */
public final class RandomContent extends InputStream {
    private final long length;
    private final MessageDigest md5;
    private final CRC32C crc32c = new CRC32C();
    private final byte[] block = new byte[64 * 1024];
    private long state;
    private long produced;
    private int blockPos = block.length;

    public RandomContent(long seed, long length) {
        this.length = length;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed ^ 0x9E3779B97F4A7C15L;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MD5 of a whole stream of {@code length} bytes for {@code seed}, computed without keeping the bytes. */
    public static String md5Of(long seed, long length) throws IOException {
        try (RandomContent c = new RandomContent(seed, length)) {
            c.transferTo(java.io.OutputStream.nullOutputStream());
            return c.md5Hex();
        }
    }

    public long length() {
        return length;
    }

    public long produced() {
        return produced;
    }

    /** The MD5 of what was read so far (of the whole content once it was read to the end). */
    public String md5Hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) md5.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The checksum the library records for what was read so far, as {@link Checksums} writes it. */
    public String checksum() {
        return "crc32c:%08x".formatted(crc32c.getValue());
    }

    private void refill() {
        for (int i = 0; i < block.length; i += 8) {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            long v = state * 0x2545F4914F6CDD1DL;
            block[i] = (byte) v;
            block[i + 1] = (byte) (v >>> 8);
            block[i + 2] = (byte) (v >>> 16);
            block[i + 3] = (byte) (v >>> 24);
            block[i + 4] = (byte) (v >>> 32);
            block[i + 5] = (byte) (v >>> 40);
            block[i + 6] = (byte) (v >>> 48);
            block[i + 7] = (byte) (v >>> 56);
        }
        blockPos = 0;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (produced >= length) {
            return -1;
        }
        if (blockPos == block.length) {
            refill();
        }
        int n = (int) Math.min(Math.min(len, block.length - blockPos), length - produced);
        System.arraycopy(block, blockPos, b, off, n);
        md5.update(block, blockPos, n);
        crc32c.update(block, blockPos, n);
        blockPos += n;
        produced += n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, length - produced);
    }
}

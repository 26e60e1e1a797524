package dev.upfront.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * A running checksum of a file's bytes, written with the name of its algorithm: {@code crc32c:1a2b3c4d}. The library
 * records one per version, so a copy (a migration, a read back from a store) can prove its bytes are the uploaded
 * ones. New uploads take CRC32C: it detects the accidental damage this guards against (torn writes, bit rot, a bad
 * copy) and costs about a fiftieth of MD5's CPU, which was the largest cost of a large upload. Versions uploaded
 * before it carry MD5 ({@code md5:<32 hex>}), and {@link #like} checks them with their own algorithm. Neither is
 * a defence against someone who can write the bytes: that is the stores' access control. Not thread-safe.
 */
public sealed interface ContentChecksum permits ContentChecksum.Crc32c, ContentChecksum.Md5 {

    /** The checksum new uploads record. */
    static ContentChecksum crc32c() {
        return new Crc32c();
    }

    /** An empty checksum of the algorithm that made {@code recorded}, to check bytes against it. */
    static ContentChecksum like(String recorded) {
        if (recorded.startsWith(Crc32c.PREFIX)) {
            return new Crc32c();
        }
        if (recorded.startsWith(Md5.PREFIX)) {
            return new Md5();
        }
        throw new IllegalArgumentException("not a recorded checksum: " + recorded);
    }

    /** Adds the remaining bytes of {@code bytes}, leaving its position where it was. */
    void update(ByteBuffer bytes);

    default void update(byte[] bytes, int offset, int length) {
        update(ByteBuffer.wrap(bytes, offset, length));
    }

    /** The checksum of the bytes so far, as recorded: algorithm, colon, lower-case hex. */
    String value();

    final class Crc32c implements ContentChecksum {
        static final String PREFIX = "crc32c:";
        private final CRC32C crc = new CRC32C();

        private Crc32c() {
        }

        @Override
        public void update(ByteBuffer bytes) {
            crc.update(bytes.duplicate());
        }

        @Override
        public String value() {
            return PREFIX + HexFormat.of().toHexDigits((int) crc.getValue());
        }
    }

    final class Md5 implements ContentChecksum {
        static final String PREFIX = "md5:";
        private final MessageDigest md5;

        private Md5() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has MD5", e);
            }
        }

        @Override
        public void update(ByteBuffer bytes) {
            md5.update(bytes.duplicate());
        }

        @Override
        public String value() {
            try {
                // A copy, since digest() resets: value() may be asked more than once, as of CRC32C.
                return PREFIX + HexFormat.of().formatHex(((MessageDigest) md5.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's MD5 can be cloned", e);
            }
        }
    }
}

package dev.upfront.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * The checksums the library records, computed here from the JDK alone (not with the server's code): the oracle for
 * tests that compare a version's record with its bytes. {@code crc32c:} and eight hex digits for uploads; {@code md5:}
 * and 32 for versions recorded before CRC32C.
 */
public final class Checksums {
    private Checksums() {
    }

    public static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return "crc32c:%08x".formatted(crc.getValue());
    }

    public static String md5(byte[] bytes) {
        return "md5:" + HexFormat.of().formatHex(md5Digest().digest(bytes));
    }

    /** The checksum of {@code file}'s bytes by the algorithm {@code recorded} names. */
    public static String like(String recorded, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            if (recorded.startsWith("md5:")) {
                MessageDigest md5 = md5Digest();
                new DigestInputStream(in, md5).transferTo(OutputStream.nullOutputStream());
                return "md5:" + HexFormat.of().formatHex(md5.digest());
            }
            CRC32C crc = new CRC32C();
            new CheckedInputStream(in, crc).transferTo(OutputStream.nullOutputStream());
            return "crc32c:%08x".formatted(crc.getValue());
        }
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

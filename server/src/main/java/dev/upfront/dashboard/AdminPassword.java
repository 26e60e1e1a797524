package dev.upfront.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The dashboard's admin password, kept only as a salted PBKDF2-HMAC-SHA256 hash in memory (the configured text is
 * not kept, never logged). Checking costs a deliberate few milliseconds of CPU, which the sign-in throttle bounds.
 */
public final class AdminPassword {
    private static final int ITERATIONS = 210_000;
    private static final int BITS = 256;

    /**
     * The salt of {@link #binding}: fixed, so that every instance given the same password derives the same value,
     * which admin sessions are signed with (see {@link DashboardAuth}).
     */
    private static final byte[] BINDING_SALT = "upfront-admin-session-binding-v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] salt;
    private final byte[] hash;
    private final byte[] binding;

    private AdminPassword(byte[] salt, byte[] hash, byte[] binding) {
        this.salt = salt;
        this.hash = hash;
        this.binding = binding;
    }

    /** The hash of a configured password, or empty when none is configured (then only keys sign in). */
    public static Optional<AdminPassword> of(Optional<String> password) {
        return password.map(p -> {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            return new AdminPassword(salt, derive(p, salt), derive(p, BINDING_SALT));
        });
    }

    /**
     * The same for every instance with this password, different for any other: admin sessions are signed with it, so
     * that changing the password ends them. A hash as slow as the stored one; it never leaves the process.
     */
    String binding() {
        return HexFormat.of().formatHex(binding);
    }

    /** Constant-time comparison of the candidate's hash with the stored one. */
    public boolean matches(String candidate) {
        return MessageDigest.isEqual(hash, derive(candidate, salt));
    }

    private static byte[] derive(String password, byte[] salt) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}

package dev.upfront.tokens.jdbc;

import dev.upfront.db.Database;
import dev.upfront.tokens.TokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/**
 * {@link TokenStore} on the metadata database. The primary key on the token makes the database itself refuse a
 * second insert, so a replay is caught across threads, restarts and instances alike.
 */
public final class JdbcTokenStore implements TokenStore {
    private final Database db;

    public JdbcTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean burn(String token, Instant keepUntil) {
        return db.withWriteConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO used_tokens (token, keep_until) VALUES (?, ?) ON CONFLICT (token) DO NOTHING")) {
                ps.setString(1, digest(token));
                ps.setLong(2, keepUntil.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Tokens are stored as SHA-256 digests: fixed-size keys whatever a client sends. */
    private static String digest(String token) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean ready() {
        return db.ping();
    }

    @Override
    public int purgeExpired(Instant now) {
        return db.withWriteConnection((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM used_tokens WHERE keep_until < ?")) {
                ps.setLong(1, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long size() {
        return db.withConnection((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM used_tokens");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}

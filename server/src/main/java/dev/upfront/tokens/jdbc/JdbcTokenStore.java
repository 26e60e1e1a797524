package dev.upfront.tokens.jdbc;

import dev.upfront.db.Database;
import dev.upfront.db.Sql;
import dev.upfront.tokens.TokenStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;

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
        return db.withWriteConnection(c -> insert(c, token, keepUntil));
    }

    @Override
    public boolean burnInTransaction(String token, Instant keepUntil) {
        return db.joinTransaction(c -> insert(c, token, keepUntil));
    }

    @Override
    public boolean isBurned(String token) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT 1 FROM used_tokens WHERE token = ?", rs -> true, digest(token)).isPresent());
    }

    /** True when the row is new; a conflict with a row of another open transaction waits for that one's end. */
    private static boolean insert(Connection c, String token, Instant keepUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO used_tokens (token, keep_until) VALUES (?, ?) ON CONFLICT (token) DO NOTHING")) {
            ps.setString(1, digest(token));
            ps.setLong(2, keepUntil.toEpochMilli());
            return ps.executeUpdate() == 1;
        }
    }

    /** Tokens are stored as SHA-256 digests: fixed-size keys whatever a client sends. */
    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
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

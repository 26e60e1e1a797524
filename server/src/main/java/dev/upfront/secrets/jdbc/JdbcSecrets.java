package dev.upfront.secrets.jdbc;

import dev.upfront.db.Database;
import dev.upfront.secrets.Secrets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.function.Supplier;

/**
 * {@link Secrets} in the metadata database. Insert-if-absent then read: whichever instance inserts first wins, and
 * every other one reads that value, so concurrent first starts agree.
 */
public final class JdbcSecrets implements Secrets {
    private final Database db;

    public JdbcSecrets(Database db) {
        this.db = db;
    }

    @Override
    public String getOrCreate(String name, Supplier<String> generate) {
        String candidate = generate.get();
        db.withWriteConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                ps.setString(2, candidate);
                return ps.executeUpdate();
            }
        });
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM server_secrets WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("secret " + name + " vanished after it was stored");
                    }
                    return rs.getString(1);
                }
            }
        });
    }
}

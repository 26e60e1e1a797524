package dev.upfront.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database#inTransaction}: all or nothing, whatever the work throws. */
class DatabaseTransactionTest {

    private static void insertToken(Connection c, String token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO used_tokens (token, keep_until) VALUES (?, 0)")) {
            ps.setString(1, token);
            ps.executeUpdate();
        }
    }

    private static int tokens(Database db) {
        return db.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM used_tokens")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void committedWorkIsVisibleAndTheConnectionIsReusable(@TempDir Path dir) {
        try (Database db = Database.openSqlite(dir.resolve("t.db"))) {
            for (int i = 0; i < 20; i++) {
                String token = "t" + i;
                db.inTransaction(c -> {
                    insertToken(c, token);
                    return null;
                });
            }
            assertThat(tokens(db)).isEqualTo(20);
        }
    }

    @Test
    void everyConnectionKeepsItsTemporaryJournalsInMemory(@TempDir Path dir) {
        try (Database db = Database.openSqlite(dir.resolve("t.db"))) {
            // Nested: the inner one takes a second connection from the pool.
            int[] tempStores = db.withConnection(outer -> new int[] {tempStore(outer), db.withConnection(DatabaseTransactionTest::tempStore)});
            assertThat(tempStores).containsExactly(2, 2); // 2 = MEMORY
        }
    }

    private static int tempStore(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("PRAGMA temp_store")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anExceptionRollsBack(@TempDir Path dir) {
        try (Database db = Database.openSqlite(dir.resolve("t.db"))) {
            assertThatThrownBy(() -> db.inTransaction(c -> {
                insertToken(c, "a");
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(tokens(db)).isZero();
        }
    }

    @Test
    void anErrorRollsBackToo(@TempDir Path dir) {
        try (Database db = Database.openSqlite(dir.resolve("t.db"))) {
            assertThatThrownBy(() -> db.inTransaction(c -> {
                insertToken(c, "a");
                throw new StackOverflowError("simulated");
            })).isInstanceOf(StackOverflowError.class);
            assertThat(tokens(db)).as("rows of the failed transaction").isZero();
            db.inTransaction(c -> {
                insertToken(c, "b");
                return null;
            });
            assertThat(tokens(db)).isEqualTo(1);
        }
    }
}

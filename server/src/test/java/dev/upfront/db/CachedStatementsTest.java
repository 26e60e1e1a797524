package dev.upfront.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CachedStatements} on SQLite: reused across transactions and rollbacks, and sound again after a failed use. */
class CachedStatementsTest {
    private static final String INSERT = "INSERT INTO used_tokens (token, keep_until) VALUES (?, ?)";
    private static final String FIND = "SELECT keep_until FROM used_tokens WHERE token = ?";

    private final CachedStatements statements = new CachedStatements();

    @Test
    void statementsServeManyTransactionsOnEveryPooledConnection(@TempDir Path dir) {
        try (Database db = Database.openSqlite(dir.resolve("t.db"))) {
            for (int i = 0; i < 50; i++) {
                String token = "t" + i;
                long keep = i;
                db.inTransaction(c -> statements.update(c, INSERT, ps -> {
                    ps.setString(1, token);
                    ps.setLong(2, keep);
                }));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(find(db, "t" + i)).isEqualTo(i);
            }
            assertThat(find(db, "absent")).isEqualTo(-1);
        }
    }

    @Test
    void aRolledBackTransactionLeavesNothingAndTheStatementStillWorks(@TempDir Path dir) {
        try (Database db = Database.openSqlite(dir.resolve("t.db"))) {
            assertThatThrownBy(() -> db.inTransaction(c -> {
                statements.update(c, INSERT, ps -> {
                    ps.setString(1, "rolled-back");
                    ps.setLong(2, 1);
                });
                throw new IllegalStateException("abandon");
            })).isInstanceOf(IllegalStateException.class);
            db.inTransaction(c -> statements.update(c, INSERT, ps -> {
                ps.setString(1, "kept");
                ps.setLong(2, 2);
            }));
            assertThat(find(db, "rolled-back")).isEqualTo(-1);
            assertThat(find(db, "kept")).isEqualTo(2);
        }
    }

    @Test
    void aFailedUseIsForgottenAndTheNextUseSucceeds(@TempDir Path dir) {
        try (Database db = Database.openSqlite(dir.resolve("t.db"))) {
            db.inTransaction(c -> statements.update(c, INSERT, ps -> {
                ps.setString(1, "once");
                ps.setLong(2, 1);
            }));
            // The token is the primary key: a second insert of it fails inside the driver.
            assertThatThrownBy(() -> db.inTransaction(c -> statements.update(c, INSERT, ps -> {
                ps.setString(1, "once");
                ps.setLong(2, 2);
            }))).isInstanceOf(DatabaseException.class);
            // A failure while binding, before the statement runs.
            assertThatThrownBy(() -> db.inTransaction(c -> statements.update(c, INSERT, ps -> {
                throw new SQLException("binding failed");
            }))).isInstanceOf(DatabaseException.class);
            db.inTransaction(c -> statements.update(c, INSERT, ps -> {
                ps.setString(1, "after");
                ps.setLong(2, 3);
            }));
            assertThat(find(db, "once")).isEqualTo(1);
            assertThat(find(db, "after")).isEqualTo(3);
        }
    }

    private long find(Database db, String token) {
        return db.withConnection(c -> statements.query(c, FIND, ps -> ps.setString(1, token),
                (ResultSet rows) -> rows.next() ? rows.getLong(1) : -1L));
    }
}

package dev.upfront.library.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.db.CachedStatements;
import dev.upfront.db.Database;
import dev.upfront.db.DatabaseException;
import dev.upfront.db.Sql;
import dev.upfront.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each work of a batch in its own savepoint: one that fails is undone alone, and the works after it still commit. */
class WorkSavepointsTest {

    @Test
    void onSqliteTheDriversSavepointsLetARefusedWorkFailAlone() throws SQLException {
        assertThat(refusedWorksRollBackAlone(TestDatabases.sqlite())).isInstanceOf(WorkSavepoints.Driver.class);
    }

    @Test
    void onPostgresNamedSavepointsLetARefusedWorkFailAlone() throws SQLException {
        assertThat(refusedWorksRollBackAlone(TestDatabases.postgres())).isInstanceOf(WorkSavepoints.Named.class);
    }

    @Test
    void onPostgresALockedBeginProbesThePathAndKeepsItsLockWhenTheWorkFails() throws SQLException {
        try (TestDatabases databases = TestDatabases.postgres()) {
            Database db = databases.open();
            db.inTransaction(c -> {
                WorkSavepoints savepoints = WorkSavepoints.on(c, Dialect.POSTGRESQL, new CachedStatements());
                kept(savepoints, c, "/a/");
                Sql.update(c, "INSERT INTO files (file_id, file_path, folder_path, name, current_version_id, last_version_number,"
                        + " created_at, updated_at) VALUES ('f', '/a/x.jpg', '/a/', 'x.jpg', 'v', 1, 0, 0)");
                assertThat(savepoints.beginLocked("/a/x.jpg")).as("a file has the path").isTrue();
                savepoints.keep();
                assertThat(savepoints.beginLocked("/a/y.jpg")).as("no file has the path").isFalse();
                folder(c, "/b/");
                savepoints.rollback();
                // The lock was taken before the savepoint: the rollback undid the work, not the lock.
                assertThat(Sql.queryOne(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
                        rs -> rs.getInt(1)).orElseThrow()).isEqualTo(2);
                return null;
            });
            List<String> folders = db.withConnection(c -> Sql.query(c,
                    "SELECT folder_path FROM folders WHERE folder_path <> '/' ORDER BY folder_path", rs -> rs.getString(1)));
            assertThat(folders).containsExactly("/a/");
        }
    }

    /** Runs five works (two refused) in one transaction; returns the savepoints the dialect chose. */
    private static WorkSavepoints refusedWorksRollBackAlone(TestDatabases databases) throws SQLException {
        try (databases) {
            Database db = databases.open();
            WorkSavepoints chosen = db.inTransaction(c -> {
                WorkSavepoints savepoints = WorkSavepoints.on(c, Dialect.of(db.vendor()), new CachedStatements());
                kept(savepoints, c, "/a/");
                // Refused by the database: on PostgreSQL the whole transaction is aborted until the rollback.
                savepoints.begin();
                folder(c, "/b/");
                assertThatThrownBy(() -> folder(c, "/a/")).isInstanceOf(DatabaseException.class);
                savepoints.rollback();
                kept(savepoints, c, "/c/");
                // Refused by the work itself, after it wrote.
                savepoints.begin();
                folder(c, "/d/");
                savepoints.rollback();
                kept(savepoints, c, "/e/");
                return savepoints;
            });
            List<String> folders = db.withConnection(c -> Sql.query(c,
                    "SELECT folder_path FROM folders WHERE folder_path <> '/' ORDER BY folder_path", rs -> rs.getString(1)));
            assertThat(folders).containsExactly("/a/", "/c/", "/e/");
            return chosen;
        }
    }

    private static void kept(WorkSavepoints savepoints, Connection c, String path) throws SQLException {
        savepoints.begin();
        folder(c, path);
        savepoints.keep();
    }

    private static void folder(Connection c, String path) {
        Sql.update(c, "INSERT INTO folders (folder_path, folder_id, name, parent_path, created_at, updated_at) VALUES (?, ?, ?, '/', 0, 0)",
                path, "id" + path.charAt(1), path.substring(1, 2));
    }
}

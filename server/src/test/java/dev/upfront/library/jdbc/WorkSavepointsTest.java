package dev.upfront.library.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /** Runs five works (two refused) in one transaction; returns the savepoints the dialect chose. */
    private static WorkSavepoints refusedWorksRollBackAlone(TestDatabases databases) throws SQLException {
        try (databases) {
            Database db = databases.open();
            WorkSavepoints chosen = db.inTransaction(c -> {
                WorkSavepoints savepoints = WorkSavepoints.on(c, Dialect.of(db.vendor()));
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

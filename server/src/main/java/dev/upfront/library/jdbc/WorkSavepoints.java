package dev.upfront.library.jdbc;

import dev.upfront.db.CachedStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * The savepoints that let each work of a batch ({@link JdbcLibrary#writeEach}) fail alone: {@link #begin} before a
 * work, then {@link #keep} after one that succeeded or {@link #rollback} after one that failed. Used by one thread.
 *
 * <p>On PostgreSQL every savepoint command is a network round trip on the group commit's serial path, so there the
 * savepoints are SQL of one name: a kept work's savepoint stays open until the next {@link #begin} releases it and
 * opens the next one in the same round trip (the commit releases the last). Elsewhere (SQLite, in-process) the
 * driver's own savepoints serve.
 *
 * <p>A work that writes one path, which it reads first, begins with {@link #beginLocked}: the path's lock is taken
 * before the work's savepoint (so the transaction holds it to the end, whatever the work does), and the path is
 * probed after it; on PostgreSQL all of that goes with the savepoint's command, in its round trip.
 */
sealed interface WorkSavepoints {

    static WorkSavepoints on(Connection c, Dialect dialect, CachedStatements statements) {
        return dialect == Dialect.POSTGRESQL ? new Named(c) : new Driver(c, dialect, statements);
    }

    /** Before a work: what it changes from here can be rolled back alone. */
    void begin() throws SQLException;

    /**
     * As {@link #begin}, for a work that writes {@code path}: takes the path's lock first, outside the savepoint, and
     * returns whether a file has that path (read once the lock is held).
     */
    boolean beginLocked(String path) throws SQLException;

    /** After a work that succeeded: its changes stay in the transaction. */
    void keep() throws SQLException;

    /** After a work that failed: its changes are undone; the transaction goes on. */
    void rollback() throws SQLException;

    /** SQL savepoints of one name, each released by the command that opens the next. */
    final class Named implements WorkSavepoints {
        private final Connection c;
        private boolean open;

        Named(Connection c) {
            this.c = c;
        }

        @Override
        public void begin() throws SQLException {
            // Two commands in one text: the driver sends both before it waits for an answer.
            execute(release() + "SAVEPOINT work");
            open = true;
        }

        @Override
        public boolean beginLocked(String path) throws SQLException {
            // The probe is a statement of its own, after the lock: its snapshot sees what the lock's last holder
            // committed.
            try (PreparedStatement ps = c.prepareStatement(release() + Dialect.POSTGRESQL_LOCK_PATH + "; SAVEPOINT work; "
                    + Dialect.PROBE_PATH)) {
                ps.setString(1, path);
                ps.setString(2, path);
                open = true;
                return Dialect.probeAnswer(ps);
            }
        }

        /** What releases the savepoint of the work before (which the commit would otherwise release). */
        private String release() {
            return open ? "RELEASE SAVEPOINT work; " : "";
        }

        @Override
        public void keep() {
            // Released by the next begin, or by the commit.
        }

        @Override
        public void rollback() throws SQLException {
            // The savepoint stays, empty: the next begin releases it as it would a kept one.
            execute("ROLLBACK TO SAVEPOINT work");
        }

        private void execute(String sql) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
    }

    /** The driver's savepoints, one per work. */
    final class Driver implements WorkSavepoints {
        private final Connection c;
        private final Dialect dialect;
        private final CachedStatements statements;
        private Savepoint savepoint;

        Driver(Connection c, Dialect dialect, CachedStatements statements) {
            this.c = c;
            this.dialect = dialect;
            this.statements = statements;
        }

        @Override
        public void begin() throws SQLException {
            savepoint = c.setSavepoint();
        }

        @Override
        public boolean beginLocked(String path) throws SQLException {
            boolean found = dialect.lockPathAndProbe(c, statements, path);
            begin();
            return found;
        }

        @Override
        public void keep() throws SQLException {
            c.releaseSavepoint(savepoint);
        }

        @Override
        public void rollback() throws SQLException {
            c.rollback(savepoint);
        }
    }
}

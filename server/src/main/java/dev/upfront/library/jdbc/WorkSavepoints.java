package dev.upfront.library.jdbc;

import java.sql.Connection;
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
 */
sealed interface WorkSavepoints {

    static WorkSavepoints on(Connection c, Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? new Named(c) : new Driver(c);
    }

    /** Before a work: what it changes from here can be rolled back alone. */
    void begin() throws SQLException;

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
            execute(open ? "RELEASE SAVEPOINT work; SAVEPOINT work" : "SAVEPOINT work");
            open = true;
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
        private Savepoint savepoint;

        Driver(Connection c) {
            this.c = c;
        }

        @Override
        public void begin() throws SQLException {
            savepoint = c.setSavepoint();
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

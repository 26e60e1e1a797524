package dev.upfront.library.jdbc;

import dev.upfront.library.LibraryEvent;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where {@link JdbcLibrary} stores the events its writes record: on the writing transaction's own connection, so an
 * event commits with its change, and a rolled-back change (or savepoint) takes its events with it.
 */
public interface EventLog {

    /** Records nothing (tools and tests without webhooks). */
    EventLog NONE = new EventLog() {
        @Override
        public void append(Connection c, LibraryEvent event) { }

        @Override
        public void committed() { }
    };

    /** Stores {@code event} in the open transaction of {@code c}; never commits or rolls back itself. */
    void append(Connection c, LibraryEvent event) throws SQLException;

    /** A transaction that appended events has committed (those events may now be acted on). */
    void committed();
}

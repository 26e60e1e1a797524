package dev.upfront.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.sqlite.SQLiteConnection;

/**
 * Keeps the prepared statements of the hottest writes per SQLite connection, so that each is compiled once per
 * connection instead of once per use. sqlite-jdbc caches none, and compiling the version insert (its triggers compile
 * with it) cost about 33 µs of every upload on the group commit's serial path. PostgreSQL's driver keeps server-side
 * prepared statements of its own, so there every use prepares and closes as usual.
 *
 * <p>The statements are prepared on the pool's physical connection, which outlives one borrowing (the pool closes the
 * statements prepared through its wrapper when the connection is returned). They are never closed by their users;
 * they go with their connection when the pool retires it. A statement whose use failed is closed and prepared anew
 * next time, so an error never leaves one in an unknown state. Thread-safe; a connection is used by one thread at a
 * time.
 */
public final class CachedStatements {
    /** How a use binds its parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** What a query makes of its result set (positioned before the first row). */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private final Map<SQLiteConnection, Map<String, PreparedStatement>> byConnection =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** Runs {@code sql}, an INSERT, UPDATE or DELETE, on {@code c} with the parameters {@code binder} sets. */
    public int update(Connection c, String sql, Binder binder) throws SQLException {
        return use(c, sql, ps -> {
            binder.bind(ps);
            return ps.executeUpdate();
        });
    }

    /** Runs the query {@code sql} on {@code c} and returns what {@code reader} makes of its rows. */
    public <T> T query(Connection c, String sql, Binder binder, Reader<T> reader) throws SQLException {
        return use(c, sql, ps -> {
            binder.bind(ps);
            try (ResultSet rows = ps.executeQuery()) {
                return reader.read(rows);
            }
        });
    }

    /** One use of a statement: bind, run, read. */
    @FunctionalInterface
    private interface Use<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private <T> T use(Connection c, String sql, Use<T> use) throws SQLException {
        SQLiteConnection sqlite = sqlite(c);
        if (sqlite == null) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                return use.run(ps);
            }
        }
        PreparedStatement ps = statement(sqlite, sql);
        try {
            T result = use.run(ps);
            ps.clearParameters();
            return result;
        } catch (SQLException | RuntimeException e) {
            forget(sqlite, sql, ps);
            throw e;
        }
    }

    private PreparedStatement statement(SQLiteConnection sqlite, String sql) throws SQLException {
        Map<String, PreparedStatement> statements = byConnection.computeIfAbsent(sqlite, k -> new HashMap<>());
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = sqlite.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private void forget(SQLiteConnection sqlite, String sql, PreparedStatement ps) {
        Map<String, PreparedStatement> statements = byConnection.get(sqlite);
        if (statements != null) {
            statements.remove(sql, ps);
        }
        try {
            ps.close();
        } catch (SQLException ignored) {
            // Already unusable: it is out of the cache either way.
        }
    }

    private static SQLiteConnection sqlite(Connection c) throws SQLException {
        return c.isWrapperFor(SQLiteConnection.class) ? c.unwrap(SQLiteConnection.class) : null;
    }
}

package dev.upfront.library.jdbc;

import dev.upfront.db.CachedStatements;
import dev.upfront.db.Database;
import dev.upfront.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the SQL databases the library runs on: how a JSON field is read and compared, where a
 * file's insertion number comes from, and how writers of several server instances serialise.
 *
 * <p>SQLite has one writer at a time (the database file's lock, and this process's write lock in front of it), so
 * its locks are no-ops. PostgreSQL is shared by many instances: writers take transaction-scoped advisory locks,
 * released at commit or rollback, which cover paths that do not exist yet (a row lock cannot).
 */
public enum Dialect {
    SQLITE {
        @Override
        boolean lockPathAndProbe(Connection c, CachedStatements statements, String path) throws SQLException {
            return statements.query(c, PROBE_PATH, ps -> ps.setString(1, path), ResultSet::next);
        }

        @Override
        String jsonValue(String column, String key) {
            return "json_extract(" + column + ", '$." + key + "')";
        }

        @Override
        String jsonText(String column, String key) {
            return jsonValue(column, key);
        }

        @Override
        String jsonParameter() {
            return "?";
        }

        @Override
        String jsonTypeIs(String column, String key, String type) {
            return "json_type(" + column + ", '$." + key + "') " + (type.equals("number") ? "IN ('integer', 'real')" : "= 'text'");
        }

        @Override
        Object jsonArgument(Object value) {
            return value instanceof Boolean b ? (b ? 1 : 0) : value; // json_extract reads JSON true as 1
        }

        @Override
        String jsonObject(String column) {
            return column;
        }

        @Override
        String asciiLower(String text) {
            return "lower(" + text + ")"; // SQLite's lower() folds ASCII letters only
        }

        @Override
        String contains(String text, String mark) {
            return "instr(" + text + ", " + mark + ") > 0";
        }

        @Override
        String likeAnyCase(String text, String mark) {
            return text + " LIKE " + mark; // SQLite's LIKE ignores ASCII case
        }

        @Override
        String indexedBy(String index) {
            return " INDEXED BY " + index;
        }

        @Override
        String insertFile() {
            // Safe: SQLite's writers are serial, so no two transactions read the same MAX(seq).
            return "INSERT INTO files (file_id, seq, file_path, folder_path, name, current_version_id, last_version_number,"
                    + " created_at, updated_at) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM files), ?, ?, ?, ?, ?, ?, ?)";
        }

        @Override
        String forUpdate() {
            return "";
        }

        @Override
        String topFolder(String column) {
            // '/a/b/' -> '/a/': up to the slash that follows the first name.
            return "CASE WHEN " + column + " = '/' THEN '/' ELSE substr(" + column + ", 1, instr(substr(" + column
                    + ", 2), '/') + 1) END";
        }

        @Override
        void lockLibrary(Connection c, boolean exclusive) {}

        @Override
        void lockPaths(Connection c, List<String> sortedPaths) {}
    },

    POSTGRESQL {
        /** The advisory lock key of the whole library (folder jobs take it exclusively, every other write shared). */
        private static final long LIBRARY_KEY = 0x75706672_6f6e7401L;

        @Override
        String jsonValue(String column, String key) {
            return "(" + column + " -> '" + key + "')";
        }

        @Override
        String jsonText(String column, String key) {
            return "(" + column + " ->> '" + key + "')";
        }

        @Override
        String jsonParameter() {
            return "CAST(? AS jsonb)";
        }

        @Override
        String jsonTypeIs(String column, String key, String type) {
            return "jsonb_typeof(" + column + " -> '" + key + "') = '" + type + "'";
        }

        @Override
        Object jsonArgument(Object value) {
            return Json.write(value);
        }

        @Override
        String jsonObject(String column) {
            return "CAST(" + column + " AS jsonb)";
        }

        @Override
        String asciiLower(String text) {
            // ASCII only, as SQLite's lower(): both databases then match the same files.
            return "translate(" + text + ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
        }

        @Override
        String contains(String text, String mark) {
            return "strpos(" + text + ", " + mark + ") > 0";
        }

        @Override
        String likeAnyCase(String text, String mark) {
            return text + " ILIKE " + mark;
        }

        @Override
        String indexedBy(String index) {
            return ""; // the planner weighs the partial index from its statistics
        }

        @Override
        String insertFile() {
            // seq is an identity column: unique across instances without reading MAX(seq).
            return "INSERT INTO files (file_id, file_path, folder_path, name, current_version_id, last_version_number,"
                    + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        }

        @Override
        String forUpdate() {
            return " FOR UPDATE OF f";
        }

        @Override
        String topFolder(String column) {
            return "CASE WHEN " + column + " = '/' THEN '/' ELSE '/' || split_part(" + column + ", '/', 2) || '/' END";
        }

        @Override
        void lockLibrary(Connection c, boolean exclusive) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(exclusive
                    ? "SELECT pg_advisory_xact_lock(?)" : "SELECT pg_advisory_xact_lock_shared(?)")) {
                ps.setLong(1, LIBRARY_KEY);
                ps.execute();
            }
        }

        @Override
        boolean lockPathAndProbe(Connection c, CachedStatements statements, String path) throws SQLException {
            // Two statements in one text: the driver sends both before it waits, and the probe, a statement of its
            // own, reads with a snapshot taken once the lock is held (it sees what the lock's last holder committed).
            try (PreparedStatement ps = c.prepareStatement(POSTGRESQL_LOCK_PATH + "; " + PROBE_PATH)) {
                ps.setString(1, path);
                ps.setString(2, path);
                return probeAnswer(ps);
            }
        }

        @Override
        void lockPaths(Connection c, List<String> sortedPaths) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(POSTGRESQL_LOCK_PATH)) {
                for (String path : sortedPaths) {
                    ps.setString(1, path);
                    ps.execute();
                }
            }
        }
    };

    /** Whether a file has the path: a one-column probe, far cheaper than the full read that follows a hit. */
    static final String PROBE_PATH = "SELECT 1 FROM files WHERE file_path = ?";
    /** PostgreSQL's lock on a path, bound to the path: a transaction-scoped advisory lock on its hash. */
    static final String POSTGRESQL_LOCK_PATH = "SELECT pg_advisory_xact_lock(hashtextextended(CAST(? AS text), 0))";

    /**
     * Runs {@code ps}, a text of several statements that ends with {@link #PROBE_PATH}, and returns the probe's answer:
     * whether its result, the text's last, has a row.
     */
    static boolean probeAnswer(PreparedStatement ps) throws SQLException {
        boolean found = false;
        for (boolean rows = ps.execute(); rows || ps.getUpdateCount() != -1; rows = ps.getMoreResults()) {
            if (rows) {
                try (ResultSet rs = ps.getResultSet()) {
                    found = rs.next();
                }
            }
        }
        return found;
    }

    public static Dialect of(Database.Vendor vendor) {
        return switch (vendor) {
            case SQLITE -> SQLITE;
            case POSTGRESQL -> POSTGRESQL;
        };
    }

    /** A JSON object's field as a value that compares with {@link #jsonParameter()}; SQL NULL when absent. */
    abstract String jsonValue(String column, String key);

    /** A JSON object's field as text (for prefix matches). */
    abstract String jsonText(String column, String key);

    /** The placeholder a value compared with {@link #jsonValue} is bound to. */
    abstract String jsonParameter();

    /** Whether a JSON object's field is of {@code type}: "number" or "string". */
    abstract String jsonTypeIs(String column, String key, String type);

    /** The argument bound to {@link #jsonParameter()} for a text, number or boolean. */
    abstract Object jsonArgument(Object value);

    /** A column of JSON objects as the type {@link #jsonValue} and {@link #jsonText} read (PostgreSQL: jsonb). */
    abstract String jsonObject(String column);

    /** {@code text} with the ASCII letters A-Z lower-cased and every other character as it is. */
    abstract String asciiLower(String text);

    /** Whether {@code text} contains the string bound to {@code mark}, case-sensitively. */
    abstract String contains(String text, String mark);

    /** {@code text LIKE mark}, ignoring at least ASCII case (a pattern without wildcards' escapes). */
    abstract String likeAnyCase(String text, String mark);

    /**
     * Appended to a table name: read it through {@code index}, where SQLite (no statistics) would rather scan a
     * covering index than read a small partial one.
     */
    abstract String indexedBy(String index);

    /** Inserts a file row: file_id, file_path, folder_path, name, current_version_id, last_version_number, times. */
    abstract String insertFile();

    /** Appended to a query of {@code files f}: locks the file's row until commit. */
    abstract String forUpdate();

    /** The top-level folder ('/a/', or '/' at the root) of a folder path column ('/a/b/'). */
    abstract String topFolder(String column);

    /** Takes the library-wide lock, shared (one path's write) or exclusive (a job spanning folders). */
    abstract void lockLibrary(Connection c, boolean exclusive) throws SQLException;

    /** Takes the lock on {@code path} ({@link #lockPaths}), then tells whether a file has that path. */
    abstract boolean lockPathAndProbe(Connection c, CachedStatements statements, String path) throws SQLException;

    /** Takes the lock on each path; in sorted order, so two transactions never wait on each other. */
    abstract void lockPaths(Connection c, List<String> sortedPaths) throws SQLException;
}

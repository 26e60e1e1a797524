package dev.upfront.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies the rows of one table from the embedded default's SQLite to PostgreSQL, column by column under the same
 * names, converting each value to the target column's type (SQLite keeps booleans as 0/1 and JSON as text). Ids,
 * times and a file's insertion number ({@code seq}, an identity column on PostgreSQL) are kept as they are; the
 * identity's sequence then continues after the largest one copied.
 *
 * @param table        the table, the same name on both sides
 * @param sourceFilter a condition on the source rows ({@code ?} bound to "now" in Unix milliseconds), or empty
 * @param onConflict   what an existing target row with the same key means, e.g. {@code ON CONFLICT (name) DO NOTHING},
 *                     or empty (a conflict fails the copy)
 * @param cleared      columns written as NULL whatever the source holds (another process's claim, say)
 */
record TableCopy(String table, Optional<String> sourceFilter, String onConflict, Set<String> cleared) {
    private static final int BATCH = 500;

    static TableCopy all(String table) {
        return new TableCopy(table, Optional.empty(), "", Set.of());
    }

    /** Copies the rows; returns how many. */
    long copy(Connection source, Connection target, long now) throws SQLException {
        Map<String, Integer> targetTypes = columnTypes(target);
        String identity = identityColumn(target);
        String select = "SELECT * FROM " + table + sourceFilter.map(f -> " WHERE " + f).orElse("");
        try (PreparedStatement read = source.prepareStatement(select)) {
            if (sourceFilter.isPresent() && sourceFilter.get().contains("?")) {
                read.setLong(1, now);
            }
            try (ResultSet rows = read.executeQuery()) {
                List<String> columns = sourceColumns(rows.getMetaData(), targetTypes);
                String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ")"
                        + (identity != null && columns.contains(identity) ? " OVERRIDING SYSTEM VALUE" : "")
                        + " VALUES (" + String.join(", ", columns.stream().map(c -> "?").toList()) + ") " + onConflict;
                long copied = 0;
                try (PreparedStatement write = target.prepareStatement(insert)) {
                    while (rows.next()) {
                        for (int i = 0; i < columns.size(); i++) {
                            String column = columns.get(i);
                            bind(write, i + 1, rows, column, cleared.contains(column) ? Types.NULL : targetTypes.get(column));
                        }
                        write.addBatch();
                        if (++copied % BATCH == 0) {
                            write.executeBatch();
                        }
                    }
                    write.executeBatch();
                }
                if (identity != null) {
                    continueIdentity(target, identity);
                }
                return copied;
            }
        }
    }

    /** Whether the target table holds any row. */
    boolean targetHasRows(Connection target) throws SQLException {
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** The source's columns, every one of which the target must have: a column left behind would be data lost. */
    private List<String> sourceColumns(ResultSetMetaData meta, Map<String, Integer> targetTypes) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String column = meta.getColumnName(i).toLowerCase(Locale.ROOT);
            if (!targetTypes.containsKey(column)) {
                throw new MigrationException("the target's table " + table + " has no column " + column
                        + ": the target database runs an older schema than the data folder");
            }
            columns.add(column);
        }
        return columns;
    }

    private static void bind(PreparedStatement write, int index, ResultSet rows, String column, int targetType) throws SQLException {
        switch (targetType) {
            case Types.NULL -> write.setNull(index, Types.NULL);
            case Types.BIT, Types.BOOLEAN -> {
                long flag = rows.getLong(column);
                if (rows.wasNull()) {
                    write.setNull(index, Types.BOOLEAN);
                } else {
                    write.setBoolean(index, flag != 0);
                }
            }
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> {
                long n = rows.getLong(column);
                if (rows.wasNull()) {
                    write.setNull(index, targetType);
                } else {
                    write.setLong(index, n);
                }
            }
            case Types.DOUBLE, Types.REAL, Types.FLOAT, Types.NUMERIC, Types.DECIMAL -> {
                double n = rows.getDouble(column);
                if (rows.wasNull()) {
                    write.setNull(index, Types.DOUBLE);
                } else {
                    write.setDouble(index, n);
                }
            }
            // Text and JSON: strings, which PostgreSQL casts to the column's type (the connection sends them untyped).
            default -> write.setString(index, rows.getString(column));
        }
    }

    private Map<String, Integer> columnTypes(Connection target) throws SQLException {
        Map<String, Integer> types = new LinkedHashMap<>();
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE FALSE")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                types.put(meta.getColumnName(i).toLowerCase(Locale.ROOT), meta.getColumnType(i));
            }
        }
        return types;
    }

    private String identityColumn(Connection target) throws SQLException {
        try (PreparedStatement s = target.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** New rows (uploads after the migration) are numbered after the copied ones, so the insertion order holds. */
    private void continueIdentity(Connection target, String column) throws SQLException {
        try (PreparedStatement s = target.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX("
                + column + "), 1), MAX(" + column + ") IS NOT NULL) FROM " + table)) {
            s.setString(1, table);
            s.setString(2, column);
            s.executeQuery().close();
        }
    }
}

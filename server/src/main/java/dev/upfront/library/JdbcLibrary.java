package dev.upfront.library;

import dev.upfront.db.Database;
import dev.upfront.db.DatabaseException;
import dev.upfront.ids.Ids;
import dev.upfront.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** {@link Library} on the metadata database (portable SQL; the embedded default is SQLite). */
public final class JdbcLibrary implements Library {
    private static final String SELECT_FILE_AND_VERSION = """
            SELECT f.file_id, f.file_path, f.folder_path, f.name, f.current_version_id, f.last_version_number,
                   f.created_at AS f_created, f.updated_at AS f_updated,
                   v.version_id, v.version_number, v.blob_key, v.size, v.md5, v.mime, v.file_type, v.width, v.height,
                   v.has_alpha, v.tags, v.custom_coordinates, v.custom_metadata, v.embedded_metadata, v.description,
                   v.is_private, v.is_published, v.created_at AS v_created, v.updated_at AS v_updated
            FROM files f JOIN file_versions v ON v.file_id = f.file_id
            """;

    private final Database db;

    public JdbcLibrary(Database db) {
        this.db = db;
    }

    @Override
    public <T> T write(Function<Writer, T> work) {
        return db.inTransaction(c -> work.apply(new JdbcWriter(c)));
    }

    @Override
    public Optional<LibraryFile> findById(String fileId) {
        return queryOne(SELECT_FILE_AND_VERSION + " WHERE f.file_id = ? AND v.version_id = f.current_version_id", fileId);
    }

    @Override
    public Optional<LibraryFile> findByPath(String filePath) {
        return queryOne(SELECT_FILE_AND_VERSION + " WHERE f.file_path = ? AND v.version_id = f.current_version_id", filePath);
    }

    @Override
    public Optional<LibraryFile> findVersion(String fileId, String versionId) {
        return queryOne(SELECT_FILE_AND_VERSION + " WHERE f.file_id = ? AND v.version_id = ?", fileId, versionId);
    }

    @Override
    public Set<String> unreferencedBlobKeys(Collection<String> blobKeys) {
        Set<String> unknown = new HashSet<>(blobKeys);
        if (unknown.isEmpty()) {
            return unknown;
        }
        String marks = String.join(",", java.util.Collections.nCopies(blobKeys.size(), "?"));
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT blob_key FROM file_versions WHERE blob_key IN (" + marks + ")")) {
                int i = 1;
                for (String key : blobKeys) {
                    ps.setString(i++, key);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        unknown.remove(rs.getString(1));
                    }
                }
            }
            return null;
        });
        return unknown;
    }

    private Optional<LibraryFile> queryOne(String sql, String... args) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(libraryFile(rs)) : Optional.empty();
                }
            }
        });
    }

    private static LibraryFile libraryFile(ResultSet rs) throws SQLException {
        StoredFile file = new StoredFile(
                rs.getString("file_id"), rs.getString("file_path"), rs.getString("folder_path"), rs.getString("name"),
                rs.getString("current_version_id"), rs.getInt("last_version_number"),
                Instant.ofEpochMilli(rs.getLong("f_created")), Instant.ofEpochMilli(rs.getLong("f_updated")));
        String tags = rs.getString("tags");
        String embedded = rs.getString("embedded_metadata");
        FileVersion version = new FileVersion(
                rs.getString("version_id"), file.fileId(), rs.getInt("version_number"), rs.getString("blob_key"),
                rs.getLong("size"), rs.getString("md5"), rs.getString("mime"), rs.getString("file_type"),
                nullableInt(rs, "width"), nullableInt(rs, "height"),
                nullableBoolean(rs, "has_alpha"),
                tags == null ? null : Json.readStringList(tags),
                rs.getString("custom_coordinates"),
                Json.readMap(rs.getString("custom_metadata")),
                embedded == null ? null : Json.readMap(embedded),
                rs.getString("description"),
                rs.getBoolean("is_private"), rs.getBoolean("is_published"),
                Instant.ofEpochMilli(rs.getLong("v_created")), Instant.ofEpochMilli(rs.getLong("v_updated")));
        return new LibraryFile(file, version);
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Boolean nullableBoolean(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }

    /** The writer of one transaction. */
    private static final class JdbcWriter implements Writer {
        private final Connection c;

        JdbcWriter(Connection c) {
            this.c = c;
        }

        @Override
        public Optional<LibraryFile> currentByPath(String filePath) {
            return run(() -> {
                try (PreparedStatement ps = c.prepareStatement(
                        SELECT_FILE_AND_VERSION + " WHERE f.file_path = ? AND v.version_id = f.current_version_id")) {
                    ps.setString(1, filePath);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(libraryFile(rs)) : Optional.empty();
                    }
                }
            });
        }

        @Override
        public int countVersions(String fileId) {
            return run(() -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM file_versions WHERE file_id = ?")) {
                    ps.setString(1, fileId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }
            });
        }

        @Override
        public void ensureFolder(String folderPath, Instant now) {
            run(() -> {
                // '/a/b/' creates '/a/' then '/a/b/'.
                int from = 1;
                int slash;
                while ((slash = folderPath.indexOf('/', from)) > 0) {
                    String path = folderPath.substring(0, slash + 1);
                    String parent = folderPath.substring(0, from);
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO folders (folder_path, folder_id, name, parent_path, created_at, updated_at)"
                                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (folder_path) DO NOTHING")) {
                        ps.setString(1, path);
                        ps.setString(2, Ids.objectId());
                        ps.setString(3, folderPath.substring(from, slash));
                        ps.setString(4, parent);
                        ps.setLong(5, now.toEpochMilli());
                        ps.setLong(6, now.toEpochMilli());
                        ps.executeUpdate();
                    }
                    from = slash + 1;
                }
                return null;
            });
        }

        @Override
        public void insertFile(StoredFile f) {
            run(() -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO files (file_id, file_path, folder_path, name, current_version_id, last_version_number, created_at, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, f.fileId());
                    ps.setString(2, f.filePath());
                    ps.setString(3, f.folderPath());
                    ps.setString(4, f.name());
                    ps.setString(5, f.currentVersionId());
                    ps.setInt(6, f.lastVersionNumber());
                    ps.setLong(7, f.createdAt().toEpochMilli());
                    ps.setLong(8, f.updatedAt().toEpochMilli());
                    ps.executeUpdate();
                }
                return null;
            });
        }

        @Override
        public void insertVersion(FileVersion v) {
            run(() -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO file_versions (version_id, file_id, version_number, blob_key, size, md5, mime, file_type,"
                                + " width, height, has_alpha, tags, custom_coordinates, custom_metadata, embedded_metadata,"
                                + " description, is_private, is_published, created_at, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int i = 1;
                    ps.setString(i++, v.versionId());
                    ps.setString(i++, v.fileId());
                    ps.setInt(i++, v.number());
                    ps.setString(i++, v.blobKey());
                    ps.setLong(i++, v.size());
                    ps.setString(i++, v.md5());
                    ps.setString(i++, v.mime());
                    ps.setString(i++, v.fileType());
                    ps.setObject(i++, v.width(), Types.INTEGER);
                    ps.setObject(i++, v.height(), Types.INTEGER);
                    ps.setObject(i++, v.hasAlpha(), Types.BOOLEAN);
                    ps.setString(i++, v.tags() == null ? null : Json.write(v.tags()));
                    ps.setString(i++, v.customCoordinates());
                    ps.setString(i++, Json.write(v.customMetadata()));
                    ps.setString(i++, v.embeddedMetadata() == null ? null : Json.write(v.embeddedMetadata()));
                    ps.setString(i++, v.description());
                    ps.setBoolean(i++, v.isPrivate());
                    ps.setBoolean(i++, v.isPublished());
                    ps.setLong(i++, v.createdAt().toEpochMilli());
                    ps.setLong(i, v.updatedAt().toEpochMilli());
                    ps.executeUpdate();
                }
                return null;
            });
        }

        @Override
        public void setCurrentVersion(String fileId, String versionId, int lastVersionNumber, Instant now) {
            run(() -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE files SET current_version_id = ?, last_version_number = ?, updated_at = ?"
                                + " WHERE file_id = ?")) {
                    ps.setString(1, versionId);
                    ps.setInt(2, lastVersionNumber);
                    ps.setLong(3, now.toEpochMilli());
                    ps.setString(4, fileId);
                    ps.executeUpdate();
                }
                return null;
            });
        }

        private interface Sql<T> {
            T run() throws SQLException;
        }

        private static <T> T run(Sql<T> sql) {
            try {
                return sql.run();
            } catch (SQLException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        }
    }
}

package dev.upfront.library.jdbc;

import dev.upfront.db.CachedStatements;
import dev.upfront.db.Database;
import dev.upfront.db.DatabaseException;
import dev.upfront.db.QueryTimeoutException;
import dev.upfront.db.Sql;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import dev.upfront.json.Json;
import dev.upfront.json.LazyJsonObject;
import dev.upfront.library.CustomField;
import dev.upfront.library.FileQuery;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Folder;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryEvent;
import dev.upfront.library.LibraryFile;
import dev.upfront.library.LibraryOverview;
import dev.upfront.library.StoredFile;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@link Library} on the metadata database: portable SQL, with what differs between SQLite (the embedded default)
 * and PostgreSQL (several instances) in its {@link Dialect}.
 */
public final class JdbcLibrary implements Library {
    private static final String SELECT_COLUMNS = """
            SELECT f.file_id, f.file_path, f.folder_path, f.name, f.current_version_id, f.last_version_number,
                   f.created_at AS f_created, f.updated_at AS f_updated,
                   v.version_id, v.version_number, v.blob_key, v.size, v.checksum, v.mime, v.file_type, v.width, v.height,
                   v.has_alpha, v.tags, v.custom_coordinates, v.custom_metadata, v.embedded_metadata, v.description,
                   v.is_private, v.is_published, v.created_at AS v_created, v.updated_at AS v_updated, v.media_metadata
            """;
    private static final String SELECT_FILE_AND_VERSION = SELECT_COLUMNS + " FROM files f JOIN file_versions v ON v.file_id = f.file_id";
    /**
     * The current versions, joined by the one condition that picks them. With the two conditions (same file, and
     * the current version) PostgreSQL multiplies their selectivities and expects about one row, so it reads every
     * match and sorts it, where walking files_created to the page's last row reads a few hundred.
     */
    private static final String SELECT_CURRENT = SELECT_COLUMNS + " FROM files f JOIN file_versions v ON v.version_id = f.current_version_id";

    /** The listing time limit when none is given (the {@code UPFRONT_SEARCH_TIMEOUT} default). */
    public static final Duration DEFAULT_SEARCH_LIMIT = Duration.ofSeconds(5);

    private final Database db;
    private final Dialect dialect;
    private final EventLog events;
    private final CachedStatements statements = new CachedStatements();
    /** How long one listing may take in the database: a searchQuery can ask for work that grows with the library. */
    private final Duration searchLimit;

    /** A library whose recorded events go nowhere. */
    public JdbcLibrary(Database db) {
        this(db, EventLog.NONE);
    }

    /** @param events stores the events writes record, in their transactions */
    public JdbcLibrary(Database db, EventLog events) {
        this(db, events, DEFAULT_SEARCH_LIMIT);
    }

    /** @param searchLimit how long the database may spend on one listing, its search included */
    public JdbcLibrary(Database db, EventLog events, Duration searchLimit) {
        this.db = db;
        this.dialect = Dialect.of(db.vendor());
        this.events = events;
        this.searchLimit = searchLimit;
    }

    @Override
    public <T> T write(Function<Writer, T> work) {
        boolean[] recorded = {false};
        T result = db.inTransaction(c -> {
            JdbcWriter writer = new JdbcWriter(c, dialect, events, statements);
            T value = work.apply(writer);
            recorded[0] = writer.recorded;
            return value;
        });
        if (recorded[0]) {
            events.committed();
        }
        return result;
    }

    @Override
    public <T> List<Outcome<T>> writeEach(List<Function<Writer, T>> works, Runnable beforeCommit) {
        return writeEach(works, Collections.nCopies(works.size(), null), beforeCommit);
    }

    @Override
    public <T> List<Outcome<T>> writeEach(List<Function<Writer, T>> works, List<String> firstReads, Runnable beforeCommit) {
        boolean[] recorded = {false};
        List<Outcome<T>> outcomes = inSavepoints(works, firstReads, beforeCommit, recorded);
        // Also when only a rolled-back work recorded: a needless look, never a missed one.
        if (recorded[0]) {
            events.committed();
        }
        return outcomes;
    }

    private <T> List<Outcome<T>> inSavepoints(List<Function<Writer, T>> works, List<String> firstReads, Runnable beforeCommit,
                                              boolean[] recorded) {
        return db.inTransaction(c -> {
            JdbcWriter writer = new JdbcWriter(c, dialect, events, statements);
            // The library lock first, outside every savepoint: rolling one back would release a lock taken in it.
            writer.enter();
            List<Outcome<T>> outcomes = new ArrayList<>(works.size());
            WorkSavepoints savepoints = WorkSavepoints.on(c, dialect, statements);
            for (int i = 0; i < works.size(); i++) {
                String path = firstReads.get(i);
                if (path == null) {
                    savepoints.begin();
                } else {
                    // Also the path's lock, outside the savepoint, and its probe, for the work's first read.
                    writer.probed = new Probe(path, savepoints.beginLocked(path));
                }
                try {
                    T value = works.get(i).apply(writer);
                    savepoints.keep();
                    outcomes.add(new Outcome<>(value, null));
                } catch (RuntimeException e) {
                    // A rollback that fails leaves the transaction unusable: then the whole batch fails.
                    try {
                        savepoints.rollback();
                    } catch (SQLException rollback) {
                        rollback.addSuppressed(e);
                        throw rollback;
                    }
                    outcomes.add(new Outcome<>(null, e));
                }
                writer.probed = null;
            }
            beforeCommit.run();
            recorded[0] = writer.recorded;
            return outcomes;
        });
    }

    /** A path whose lock is held, and whether a file had it once the lock was taken. */
    private record Probe(String path, boolean found) {}

    @Override
    public boolean ready() {
        return db.ping();
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
    public Optional<LibraryFile> findVersion(String versionId) {
        return queryOne(SELECT_FILE_AND_VERSION + " WHERE v.version_id = ?", versionId);
    }

    @Override
    public List<LibraryFile> versions(String fileId) {
        return db.withConnection(c -> Sql.query(c, SELECT_FILE_AND_VERSION + " WHERE f.file_id = ? ORDER BY v.version_number",
                JdbcLibrary::libraryFile, fileId));
    }

    @Override
    public List<LibraryFile> listFiles(FileQuery q) {
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        switch (q.versions()) {
            case CURRENT -> sql.append(" AND v.version_id = f.current_version_id");
            case NON_CURRENT -> sql.append(" AND v.version_id <> f.current_version_id");
            case ANY -> { }
        }
        if (q.folderPrefix() != null && !q.folderPrefix().equals("/")) {
            // A range on the indexed column: '/a/' <= folder_path < '/a0' ('0' follows '/').
            sql.append(" AND f.folder_path >= ? AND f.folder_path < ?");
            params.add(q.folderPrefix());
            params.add(pastFolder(q.folderPrefix()));
        }
        if (q.fileType() != null) {
            sql.append(" AND v.file_type = ?");
            params.add(q.fileType());
        }
        if (q.anyOfTags() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM version_tags t WHERE t.version_id = v.version_id AND t.tag IN (")
                    .append(String.join(", ", Collections.nCopies(q.anyOfTags().size(), "?"))).append("))");
            params.addAll(q.anyOfTags());
        }
        if (q.name() != null) {
            sql.append(" AND f.name = ?");
            params.add(q.name());
        }
        try {
            return db.readWithin(searchLimit, c -> queryFiles(c, q, sql, params));
        } catch (QueryTimeoutException e) {
            throw new ApiException(ErrorCode.SEARCH_TIMEOUT, BigDecimal.valueOf(e.limit().toNanos(), 9).stripTrailingZeros().toPlainString());
        }
    }

    private List<LibraryFile> queryFiles(Connection c, FileQuery q, StringBuilder sql, List<Object> params) {
        boolean drives = false;
        if (q.search() != null) {
            SearchSql.Condition search = SearchSql.compile(q.search(), q.now(), dialect, hints(c, q));
            sql.append(" AND (").append(search.sql()).append(")");
            params.addAll(search.params());
            drives = search.drives();
        }
        orderAndPage(q, sql, params);
        // PostgreSQL chooses its plan from estimates: when the search found its condition common (or there is
        // none), the current versions' own join lets it see how many rows match and walk the listing's order.
        // A selective condition keeps the file's join too, from which PostgreSQL reads the few matches' files
        // by key (files has no index of current_version_id).
        boolean walk = dialect == Dialect.POSTGRESQL && q.versions() == FileQuery.Versions.CURRENT && !drives;
        sql.insert(0, walk ? SELECT_CURRENT : SELECT_FILE_AND_VERSION);
        return Sql.query(c, sql.toString(), JdbcLibrary::libraryFile, params.toArray());
    }

    /**
     * What the search may rely on to pick its plan: counts read from indexes (a range of the tag index, the
     * highest file sequence number), each a few index pages, and the schema's side indexes (V8). On both
     * databases: PostgreSQL weighs one plan well from its statistics, but cannot turn an OR across a tag and a
     * name into a union of index reads, which the counts decide.
     */
    private SearchSql.Hints hints(Connection c, FileQuery q) {
        boolean currentOnly = q.versions() == FileQuery.Versions.CURRENT;
        long files = Sql.queryOne(c, "SELECT MAX(seq) FROM files", rs -> rs.getLong(1)).orElse(0L);
        return new SearchSql.Hints(currentOnly, (fromWhere, params, cap) -> {
            List<Object> all = new ArrayList<>(params);
            all.add(cap);
            return Sql.queryOne(c, "SELECT COUNT(*) FROM (SELECT 1 FROM " + fromWhere + " LIMIT ?) AS counted", rs -> rs.getLong(1),
                    all.toArray()).orElse(0L);
        }, files, (long) q.limit() + q.skip(), (sql, params) -> Sql.query(c, sql, rs -> rs.getString(1), params.toArray()));
    }

    /**
     * The first path after every path below folder {@code prefix} ('/a/' gives '/a0'; '0' follows '/'): with it,
     * {@code path >= prefix AND path < pastFolder(prefix)} is an index range.
     */
    static String pastFolder(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + "0";
    }

    private static void orderAndPage(FileQuery q, StringBuilder sql, List<Object> params) {
        String dir = q.descending() ? " DESC" : " ASC";
        String column = switch (q.sort()) {
            case NAME -> "f.name";
            case CREATED -> q.versions() == FileQuery.Versions.CURRENT ? "f.created_at" : "v.created_at";
            case UPDATED -> q.versions() == FileQuery.Versions.CURRENT ? "f.updated_at" : "v.updated_at";
            case HEIGHT -> "v.height";
            case WIDTH -> "v.width";
            case SIZE -> "v.size";
        };
        // f.seq, then the version number, make the order total, so pages never overlap or skip a row (with current
        // versions only, f.seq alone does: one row per file). Files without the value (no width) come first
        // ascending, last descending, on every database. The NULLS clause is left out for the columns that are never
        // null: PostgreSQL's b-tree orders ASC NULLS LAST, so "created_at ASC NULLS FIRST" would not match the index
        // files_created (created_at, seq), and it would read and sort every match instead of walking the index to
        // the page's last row.
        boolean nullable = q.sort() == FileQuery.Sort.WIDTH || q.sort() == FileQuery.Sort.HEIGHT;
        String nulls = !nullable ? "" : q.descending() ? " NULLS LAST" : " NULLS FIRST";
        sql.append(" ORDER BY ").append(column).append(dir).append(nulls).append(", f.seq").append(dir);
        if (q.versions() != FileQuery.Versions.CURRENT) {
            sql.append(", v.version_number").append(dir);
        }
        sql.append(" LIMIT ? OFFSET ?");
        params.add(q.limit());
        params.add(q.skip());
    }

    @Override
    public List<Folder> listFolders(String parent, String name, int limit, int skip) {
        List<Object> params = folderFilter(parent, name);
        params.add(limit);
        params.add(skip);
        return db.withConnection(c -> Sql.query(c, "SELECT folder_id, name, folder_path, created_at, updated_at FROM folders"
                + folderWhere(parent, name) + " ORDER BY folder_path LIMIT ? OFFSET ?", JdbcLibrary::folder, params.toArray()));
    }

    @Override
    public int countFolders(String parent, String name) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT COUNT(*) FROM folders" + folderWhere(parent, name),
                rs -> rs.getInt(1), folderFilter(parent, name).toArray()).orElse(0));
    }

    private static String folderWhere(String parent, String name) {
        String where = parent == null ? " WHERE 1 = 1" : " WHERE parent_path = ?";
        return name == null ? where : where + " AND name = ?";
    }

    private static List<Object> folderFilter(String parent, String name) {
        List<Object> params = new ArrayList<>();
        if (parent != null) {
            params.add(parent);
        }
        if (name != null) {
            params.add(name);
        }
        return params;
    }

    @Override
    public Optional<Folder> findFolder(String folderPath) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT folder_id, name, folder_path, created_at, updated_at FROM folders WHERE folder_path = ?",
                JdbcLibrary::folder, folderPath));
    }

    @Override
    public List<CustomField> customFields(boolean includeDeleted) {
        return db.withConnection(c -> Sql.query(c, "SELECT field_id, name, label, schema, deleted FROM custom_metadata_fields"
                + (includeDeleted ? "" : " WHERE deleted = FALSE") + " ORDER BY created_at, field_id", JdbcLibrary::customField));
    }

    private static CustomField customField(ResultSet rs) throws SQLException {
        return new CustomField(rs.getString(1), rs.getString(2), rs.getString(3), Json.readMap(rs.getString(4)), rs.getBoolean(5));
    }

    @Override
    public LibraryOverview overview(Instant uploadsSince) {
        String current = " FROM files f JOIN file_versions v ON v.version_id = f.current_version_id";
        return db.withConnection(c -> new LibraryOverview(
                Sql.query(c, "SELECT v.format, COUNT(*), SUM(v.size)" + current + " GROUP BY v.format ORDER BY 3 DESC, 1",
                        JdbcLibrary::bucket),
                Sql.query(c, "SELECT top_folder, COUNT(*), SUM(size) FROM (SELECT " + dialect.topFolder("f.folder_path") + " AS top_folder, v.size"
                        + current + ") t GROUP BY top_folder ORDER BY 3 DESC, 1", JdbcLibrary::bucket),
                // Integer division of Unix milliseconds on both databases: the UTC day.
                Sql.query(c, "SELECT created_at / 86400000 AS day, COUNT(*) FROM file_versions WHERE created_at >= ?"
                        + " GROUP BY created_at / 86400000 ORDER BY 1",
                        rs -> new LibraryOverview.Day(rs.getLong(1), rs.getLong(2)), uploadsSince.toEpochMilli())));
    }

    private static LibraryOverview.Bucket bucket(ResultSet rs) throws SQLException {
        return new LibraryOverview.Bucket(rs.getString(1), rs.getLong(2), rs.getLong(3));
    }

    @Override
    public Optional<String[]> job(String jobId) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT type, status FROM bulk_jobs WHERE job_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, jobId));
    }

    private static Folder folder(ResultSet rs) throws SQLException {
        return new Folder(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)));
    }

    @Override
    public Set<String> unreferencedBlobKeys(Collection<String> blobKeys) {
        Set<String> unknown = new HashSet<>(blobKeys);
        if (unknown.isEmpty()) {
            return unknown;
        }
        String marks = String.join(",", Collections.nCopies(blobKeys.size(), "?"));
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

    /** Maps a row of {@link #SELECT_FILE_AND_VERSION} by position (by-name lookups cost a native call each). */
    private static LibraryFile libraryFile(ResultSet rs) throws SQLException {
        StoredFile file = new StoredFile(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)));
        String tags = rs.getString(19);
        String embedded = rs.getString(22);
        String media = rs.getString(28);
        FileVersion version = new FileVersion(
                rs.getString(9), file.fileId(), rs.getInt(10), rs.getString(11),
                rs.getLong(12), rs.getString(13), rs.getString(14), rs.getString(15),
                nullableInt(rs, 16), nullableInt(rs, 17), nullableBoolean(rs, 18),
                tags == null ? null : Json.readStringList(tags),
                rs.getString(20),
                new LazyJsonObject(rs.getString(21)),
                embedded == null ? null : new LazyJsonObject(embedded),
                rs.getString(23),
                rs.getBoolean(24), rs.getBoolean(25),
                Instant.ofEpochMilli(rs.getLong(26)), Instant.ofEpochMilli(rs.getLong(27)),
                media == null ? null : new LazyJsonObject(media));
        return new LibraryFile(file, version);
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Boolean nullableBoolean(ResultSet rs, int column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }

    /** The writer of one transaction. */
    private static final class JdbcWriter implements Writer {
        private enum LibraryLock { NONE, SHARED, EXCLUSIVE }

        private final Connection c;
        private final Dialect dialect;
        private final EventLog events;
        /** The upload path's inserts and lookup, compiled once per connection. */
        private final CachedStatements statements;
        private LibraryLock libraryLock = LibraryLock.NONE;
        /** Whether any work of this transaction recorded an event. */
        boolean recorded;
        /**
         * The path locked and probed with the running work's savepoint, for the work's first call if that reads it
         * ({@link #currentByPath}); null once any call was made.
         */
        Probe probed;

        JdbcWriter(Connection c, Dialect dialect, EventLog events, CachedStatements statements) {
            this.c = c;
            this.dialect = dialect;
            this.events = events;
            this.statements = statements;
        }

        @Override
        public void record(LibraryEvent event) {
            run(() -> {
                events.append(c, event);
                return null;
            });
            recorded = true;
        }

        /** Every write holds the library lock, shared unless {@link #lockAll} took it exclusively first. */
        private void enter() {
            probed = null; // a call before the read may have changed the path
            if (libraryLock == LibraryLock.NONE) {
                run(() -> {
                    dialect.lockLibrary(c, false);
                    return null;
                });
                libraryLock = LibraryLock.SHARED;
            }
        }

        @Override
        public void lockAll() {
            if (libraryLock != LibraryLock.NONE) {
                throw new IllegalStateException("lockAll must be the transaction's first call");
            }
            run(() -> {
                dialect.lockLibrary(c, true);
                return null;
            });
            libraryLock = LibraryLock.EXCLUSIVE;
        }

        @Override
        public void lockPaths(Collection<String> filePaths) {
            enter();
            run(() -> {
                // One path (every upload) needs no sorting.
                dialect.lockPaths(c, filePaths.size() == 1 ? List.copyOf(filePaths) : filePaths.stream().distinct().sorted().toList());
                return null;
            });
        }

        @Override
        public Optional<LibraryFile> currentByPath(String filePath) {
            Probe probe = probed != null && probed.path().equals(filePath) ? probed : null;
            enter();
            return run(() -> {
                // Most uploads name a new path: a one-column probe answers them at a fraction of the cost of
                // preparing and running the full join (about 80 µs of SQLite CPU per upload, on the group commit's
                // serial path), and on PostgreSQL in the lock's round trip (or the work's savepoint's).
                if (!(probe != null ? probe.found() : dialect.lockPathAndProbe(c, statements, filePath))) {
                    return Optional.empty();
                }
                try (PreparedStatement ps = c.prepareStatement(SELECT_FILE_AND_VERSION
                        + " WHERE f.file_path = ? AND v.version_id = f.current_version_id" + dialect.forUpdate())) {
                    ps.setString(1, filePath);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(libraryFile(rs)) : Optional.empty();
                    }
                }
            });
        }

        @Override
        public Optional<LibraryFile> currentById(String fileId) {
            enter();
            return Sql.queryOne(c, SELECT_FILE_AND_VERSION + " WHERE f.file_id = ? AND v.version_id = f.current_version_id" + dialect.forUpdate(),
                    JdbcLibrary::libraryFile, fileId);
        }

        @Override
        public Optional<LibraryFile> version(String fileId, String versionId) {
            enter();
            enter();
            return Sql.queryOne(c, SELECT_FILE_AND_VERSION + " WHERE f.file_id = ? AND v.version_id = ?", JdbcLibrary::libraryFile,
                    fileId, versionId);
        }

        @Override
        public List<FileVersion> versionsOf(String fileId) {
            enter();
            return Sql.query(c, SELECT_FILE_AND_VERSION + " WHERE f.file_id = ? ORDER BY v.version_number",
                    rs -> libraryFile(rs).version(), fileId);
        }

        @Override
        public void updateVersion(FileVersion v) {
            enter();
            Sql.update(c, "UPDATE file_versions SET tags = ?, custom_coordinates = ?, custom_metadata = ?, description = ?, is_published = ?,"
                            + " updated_at = ? WHERE version_id = ?",
                    v.tags() == null ? null : Json.write(v.tags()), v.customCoordinates(), Json.write(v.customMetadata()),
                    v.description(), v.isPublished(), v.updatedAt().toEpochMilli(), v.versionId());
            // A change to the current version is a change to the file: its updatedAt is what lists show and sort on.
            Sql.update(c, "UPDATE files SET updated_at = ? WHERE file_id = ? AND current_version_id = ?",
                    v.updatedAt().toEpochMilli(), v.fileId(), v.versionId());
            run(() -> {
                writeTags(v.versionId(), v.tags());
                return null;
            });
        }

        @Override
        public void relocate(String fileId, String folderPath, String name, Instant now) {
            enter();
            Sql.update(c, "UPDATE files SET folder_path = ?, name = ?, file_path = ?, updated_at = ? WHERE file_id = ?",
                    folderPath, name, folderPath + name, now.toEpochMilli(), fileId);
        }

        @Override
        public List<String> deleteFile(String fileId) {
            enter();
            List<String> keys = Sql.query(c, "SELECT blob_key FROM file_versions WHERE file_id = ?", rs -> rs.getString(1), fileId);
            Sql.update(c, "DELETE FROM version_tags WHERE version_id IN (SELECT version_id FROM file_versions WHERE file_id = ?)", fileId);
            Sql.update(c, "DELETE FROM file_versions WHERE file_id = ?", fileId);
            Sql.update(c, "DELETE FROM files WHERE file_id = ?", fileId);
            return keys;
        }

        @Override
        public String deleteVersion(String versionId) {
            enter();
            String key = Sql.queryOne(c, "SELECT blob_key FROM file_versions WHERE version_id = ?", rs -> rs.getString(1), versionId)
                    .orElseThrow();
            Sql.update(c, "DELETE FROM version_tags WHERE version_id = ?", versionId);
            Sql.update(c, "DELETE FROM file_versions WHERE version_id = ?", versionId);
            return key;
        }

        @Override
        public Optional<Folder> folder(String folderPath) {
            enter();
            return Sql.queryOne(c, "SELECT folder_id, name, folder_path, created_at, updated_at FROM folders WHERE folder_path = ?",
                    JdbcLibrary::folder, folderPath);
        }

        @Override
        public List<LibraryFile> filesUnder(String prefix) {
            enter();
            return Sql.query(c, SELECT_FILE_AND_VERSION + " WHERE v.version_id = f.current_version_id AND f.folder_path >= ? AND f.folder_path < ?"
                    + " ORDER BY f.seq", JdbcLibrary::libraryFile, prefix, pastFolder(prefix));
        }

        @Override
        public List<String> foldersUnder(String prefix) {
            enter();
            return Sql.query(c, "SELECT folder_path FROM folders WHERE folder_path >= ? AND folder_path < ? ORDER BY folder_path",
                    rs -> rs.getString(1), prefix, pastFolder(prefix));
        }

        @Override
        public void renameFolder(String from, String to, Instant now) {
            enter();
            int rest = from.length() + 1; // substr() position of what follows the old prefix
            String upper = pastFolder(from);
            String name = to.substring(to.lastIndexOf('/', to.length() - 2) + 1, to.length() - 1);
            Sql.update(c, "UPDATE folders SET folder_path = ? || substr(folder_path, ?),"
                            + " parent_path = CASE WHEN folder_path = ? THEN parent_path ELSE ? || substr(parent_path, ?) END,"
                            + " name = CASE WHEN folder_path = ? THEN ? ELSE name END,"
                            + " updated_at = CASE WHEN folder_path = ? THEN ? ELSE updated_at END"
                            + " WHERE folder_path >= ? AND folder_path < ?",
                    to, rest, from, to, rest, from, name, from, now.toEpochMilli(), from, upper);
            Sql.update(c, "UPDATE files SET folder_path = ? || substr(folder_path, ?), file_path = ? || substr(file_path, ?), updated_at = ?"
                    + " WHERE folder_path >= ? AND folder_path < ?", to, rest, to, rest, now.toEpochMilli(), from, upper);
        }

        @Override
        public void deleteFolders(String prefix) {
            enter();
            Sql.update(c, "DELETE FROM folders WHERE folder_path >= ? AND folder_path < ?", prefix, pastFolder(prefix));
        }

        @Override
        public List<CustomField> allCustomFields() {
            enter();
            return Sql.query(c, "SELECT field_id, name, label, schema, deleted FROM custom_metadata_fields ORDER BY created_at, field_id",
                    JdbcLibrary::customField);
        }

        @Override
        public void insertCustomField(CustomField f, Instant now) {
            enter();
            Sql.update(c, "INSERT INTO custom_metadata_fields (field_id, name, label, schema, deleted, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    f.id(), f.name(), f.label(), Json.write(f.schema()), f.deleted(), now.toEpochMilli());
        }

        @Override
        public void updateCustomField(CustomField f) {
            enter();
            Sql.update(c, "UPDATE custom_metadata_fields SET label = ?, schema = ?, deleted = ? WHERE field_id = ?",
                    f.label(), Json.write(f.schema()), f.deleted(), f.id());
        }

        @Override
        public void insertJob(String jobId, String type, String status, Instant now) {
            enter();
            Sql.update(c, "INSERT INTO bulk_jobs (job_id, type, status, created_at) VALUES (?, ?, ?, ?)", jobId, type, status, now.toEpochMilli());
        }

        @Override
        public int countVersions(String fileId) {
            enter();
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
            enter();
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
            enter();
            run(() -> {
                statements.update(c, dialect.insertFile(), ps -> {
                    ps.setString(1, f.fileId());
                    ps.setString(2, f.filePath());
                    ps.setString(3, f.folderPath());
                    ps.setString(4, f.name());
                    ps.setString(5, f.currentVersionId());
                    ps.setInt(6, f.lastVersionNumber());
                    ps.setLong(7, f.createdAt().toEpochMilli());
                    ps.setLong(8, f.updatedAt().toEpochMilli());
                });
                return null;
            });
        }

        @Override
        public void insertVersion(FileVersion v) {
            enter();
            run(() -> {
                statements.update(c,
                        "INSERT INTO file_versions (version_id, file_id, version_number, blob_key, size, checksum, mime, format, file_type,"
                                + " width, height, has_alpha, tags, custom_coordinates, custom_metadata, embedded_metadata,"
                                + " description, is_private, is_published, created_at, updated_at, media_metadata)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    int i = 1;
                    ps.setString(i++, v.versionId());
                    ps.setString(i++, v.fileId());
                    ps.setInt(i++, v.number());
                    ps.setString(i++, v.blobKey());
                    ps.setLong(i++, v.size());
                    ps.setString(i++, v.checksum());
                    ps.setString(i++, v.mime());
                    ps.setString(i++, v.format());
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
                    ps.setLong(i++, v.updatedAt().toEpochMilli());
                    ps.setString(i, v.mediaMetadata() == null ? null : Json.write(v.mediaMetadata()));
                });
                // A new version has no tag rows yet: nothing to delete first.
                insertTags(v.versionId(), v.tags());
                return null;
            });
        }

        /** Replaces the tag rows of a version (the search index of its tags). */
        private void writeTags(String versionId, List<String> tags) throws SQLException {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM version_tags WHERE version_id = ?")) {
                del.setString(1, versionId);
                del.executeUpdate();
            }
            insertTags(versionId, tags);
        }

        private void insertTags(String versionId, List<String> tags) throws SQLException {
            if (tags == null || tags.isEmpty()) {
                return;
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO version_tags (version_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                for (String tag : tags) {
                    ins.setString(1, versionId);
                    ins.setString(2, tag);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
        }

        @Override
        public void setCurrentVersion(String fileId, String versionId, int lastVersionNumber, Instant now) {
            enter();
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

        private interface SqlWork<T> {
            T run() throws SQLException;
        }

        private static <T> T run(SqlWork<T> sql) {
            try {
                return sql.run();
            } catch (SQLException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        }
    }
}

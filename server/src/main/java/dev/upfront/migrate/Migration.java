package dev.upfront.migrate;

import dev.upfront.db.Database;
import dev.upfront.storage.BlobStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Copies an embedded-default library (its SQLite database and the originals in its data folder) into a shared
 * PostgreSQL database and object store, keeping every id, time, version and the files' insertion order.
 *
 * <p>Order, so that an interruption at any point can be resumed by running it again:
 * <ol>
 *   <li>The target must be empty, unless it carries this migration's marker (a {@code job_leases} row naming the
 *       source): then an earlier run was interrupted and this one resumes it. A marked target is never mistaken for
 *       one in use, and an unmarked target with any library row or original is refused.</li>
 *   <li>Every version's original is copied under its own key, its recorded checksum checked on the way out of the
 *       data folder and again read back from the target; originals an interrupted run already copied are read back
 *       and kept.</li>
 *   <li>Only when every original is there: every row, in one transaction that also removes the marker. The target
 *       shows either nothing of the library or all of it.</li>
 * </ol>
 * The server should be stopped while it runs: it reads the data folder as it is.
 */
public final class Migration {
    /** The marker's name in {@code job_leases}: the target belongs to the migration from the source it names. */
    static final String MARKER = "migration";
    /** The tables copied, parents before children. */
    private static final List<TableCopy> TABLES = List.of(
            TableCopy.all("folders"),
            TableCopy.all("custom_metadata_fields"),
            TableCopy.all("files"),
            TableCopy.all("file_versions"),
            TableCopy.all("version_tags"),
            TableCopy.all("bulk_jobs"),
            // Credentials burned and not yet expired stay burned: a replay after the move is still refused.
            new TableCopy("used_tokens", Optional.of("keep_until > ?"), "ON CONFLICT (token) DO NOTHING", Set.of()),
            // The webhook signing secret receivers verify with; the source's wins over one a trial start generated.
            new TableCopy("server_secrets", Optional.empty(), "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value", Set.of()),
            // Deliveries not yet made are made from the new deployment; claims belonged to the old process.
            new TableCopy("webhook_outbox", Optional.of("status = 'pending'"), "", Set.of("claimed_by", "lease_until")));
    /**
     * Not copied: tables that only describe the running deployment (schema history, uploads in flight, job claims);
     * search indexes the target's own triggers and indexes rebuild from the copied rows (V8, V9); and queued video
     * pre-transformations: those hold a source blob no version names and a home in the old data folder, so a
     * migration refuses to start while any is queued ({@link #checkNoQueuedVideos}) rather than copy or drop them.
     */
    private static final Set<String> NOT_COPIED = Set.of("flyway_schema_history", "pending_blobs", "job_leases", "version_metadata", "version_embedded",
            "files_name_trigrams", "files_name_trigrams_data", "files_name_trigrams_idx", "files_name_trigrams_docsize",
            "files_name_trigrams_config", "video_pre_jobs");
    /** A row in one of these on the target means it already holds a library. */
    private static final Set<String> LIBRARY = Set.of("folders", "custom_metadata_fields", "files", "file_versions",
            "version_tags", "bulk_jobs", "webhook_outbox");
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final Database source;
    private final Database target;
    private final BlobCopy blobs;
    private final TargetStorage storage;
    private final String sourceName;
    private final InstantSource clock;
    private final PrintStream out;
    private final Progress progress;

    /** Told after each original is in place (tests interrupt a run from here). */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> {};

        void originalDone(int done, int total);
    }

    /**
     * @param sourceName names the source in the target's marker (the data folder's absolute path), so that only a
     *                   run from the same source resumes an interrupted one
     */
    public Migration(Database source, BlobStore sourceBlobs, Database target, BlobStore targetBlobs, TargetStorage storage,
                     String sourceName, InstantSource clock, PrintStream out, Progress progress) {
        this.source = source;
        this.target = target;
        this.blobs = new BlobCopy(sourceBlobs, targetBlobs);
        this.storage = storage;
        this.sourceName = sourceName;
        this.clock = clock;
        this.out = out;
        this.progress = progress;
    }

    /**
     * Runs (or resumes) the migration.
     *
     * @throws MigrationException when the target is not empty, the source holds a damaged original, or the schemas
     *                            differ; an outage of either store surfaces as the store's own failure, and running
     *                            again resumes
     */
    public MigrationReport run() {
        checkSourceTables();
        checkNoQueuedVideos();
        return target.withConnection(session -> {
            // Two migrations into one target at once would race each other's final check.
            if (!advisoryLock(session, "pg_try_advisory_lock")) {
                throw new MigrationException("another migration into this database is running");
            }
            try {
                return migrate();
            } finally {
                advisoryLock(session, "pg_advisory_unlock");
            }
        });
    }

    private MigrationReport migrate() {
        boolean resumed = claimTarget();
        List<BlobCopy.Original> originals = originals();
        Set<String> keys = originals.stream().map(BlobCopy.Original::key).collect(Collectors.toSet());
        if (resumed) {
            out.println("Resuming the interrupted migration from " + sourceName);
            storage.abortUnfinished(keys);
        }
        long[] counts = new long[4]; // copied, bytes copied, already there, bytes already there
        List<String> problems = new ArrayList<>();
        Instant lastReport = clock.instant();
        int done = 0;
        for (BlobCopy.Original original : originals) {
            try {
                if (resumed && blobs.alreadyThere(original)) {
                    counts[2]++;
                    counts[3] += original.size();
                } else {
                    blobs.copy(original);
                    counts[0]++;
                    counts[1] += original.size();
                }
            } catch (BlobCopy.Problem p) {
                problems.add(p.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("reading the data folder: " + e.getMessage(), e);
            }
            progress.originalDone(++done, originals.size());
            if (Duration.between(lastReport, clock.instant()).compareTo(PROGRESS_EVERY) >= 0 || done == originals.size()) {
                lastReport = clock.instant();
                out.printf("  originals: %d of %d (%s done)%n", done, originals.size(), MigrationReport.bytes(counts[1] + counts[3]));
            }
        }
        if (!problems.isEmpty()) {
            throw new MigrationException(problems.size() + " original(s) could not be carried over; nothing of the "
                    + "library was written to the database (fix or restore them, then run again to resume):\n  "
                    + String.join("\n  ", problems));
        }
        Map<String, Long> rows = copyRows();
        return new MigrationReport(resumed, counts[0], counts[1], counts[2], counts[3], rows);
    }

    /**
     * Marks the target as this migration's, or finds it marked by an interrupted run from the same source.
     *
     * @return whether an interrupted run is resumed
     */
    private boolean claimTarget() {
        return target.inTransaction(c -> {
            Optional<String> holder = marker(c);
            if (holder.isPresent()) {
                if (!holder.get().equals(sourceName)) {
                    throw new MigrationException("the target holds an interrupted migration from " + holder.get()
                            + "; run the command again with that folder to finish it");
                }
                return true;
            }
            for (TableCopy table : TABLES) {
                if (LIBRARY.contains(table.table()) && table.targetHasRows(c)) {
                    throw new MigrationException("the target database is not empty (table " + table.table()
                            + " has rows): a migration only fills an empty one");
                }
            }
            if (storage.holdsBlobs()) {
                throw new MigrationException("the target bucket already holds originals under blobs/: a migration only "
                        + "fills an empty one");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO job_leases (name, holder, until) VALUES (?, ?, ?)")) {
                s.setString(1, MARKER);
                s.setString(2, sourceName);
                s.setLong(3, clock.millis());
                s.executeUpdate();
            }
            return false;
        });
    }

    private static Optional<String> marker(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT holder FROM job_leases WHERE name = ?")) {
            s.setString(1, MARKER);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Every row, in one transaction that also removes the marker: all of the library appears at once. */
    private Map<String, Long> copyRows() {
        long now = clock.millis();
        return target.inTransaction(t -> source.withConnection(s -> {
            if (!marker(t).orElse("").equals(sourceName)) {
                throw new MigrationException("the target's migration marker disappeared while copying; nothing was copied");
            }
            Map<String, Long> rows = new LinkedHashMap<>();
            for (TableCopy table : TABLES) {
                if (LIBRARY.contains(table.table()) && table.targetHasRows(t)) {
                    throw new MigrationException("something wrote to the target while the originals were copied (table "
                            + table.table() + " has rows); stop every server on the target and start again on an empty one");
                }
                rows.put(table.table(), table.copy(s, t, now));
            }
            try (PreparedStatement done = t.prepareStatement("DELETE FROM job_leases WHERE name = ?")) {
                done.setString(1, MARKER);
                done.executeUpdate();
            }
            return rows;
        }));
    }

    /** Every version's original, in the files' insertion order. */
    private List<BlobCopy.Original> originals() {
        return source.withConnection(c -> {
            List<BlobCopy.Original> all = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v.version_id, f.file_path, v.blob_key, v.size, v.checksum FROM file_versions v"
                         + " JOIN files f ON f.file_id = v.file_id ORDER BY f.seq, v.version_number")) {
                while (rs.next()) {
                    all.add(new BlobCopy.Original(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
                }
            }
            return all;
        });
    }

    /** A table this migration does not know would be left behind: refuse rather than lose it. */
    private void checkSourceTables() {
        Set<String> known = TABLES.stream().map(TableCopy::table).collect(Collectors.toSet());
        List<String> unknown = source.withConnection(c -> {
            List<String> names = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }).stream().filter(t -> !known.contains(t) && !NOT_COPIED.contains(t)).toList();
        if (!unknown.isEmpty()) {
            throw new MigrationException("the data folder has table(s) this migration does not know how to copy: "
                    + String.join(", ", unknown));
        }
    }

    /** A queued video's upload answered 202 and waits for its webhook: it must finish where it was queued. */
    private void checkNoQueuedVideos() {
        long queued = source.withConnection(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM video_pre_jobs")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        if (queued > 0) {
            throw new MigrationException(queued + " video pre-transformation(s) are still queued in the data folder: start "
                    + "the server on it once and let them finish (their webhooks are sent), then stop it and migrate");
        }
    }

    private static boolean advisoryLock(Connection c, String function) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + function + "(hashtext('upfront-migration'))")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

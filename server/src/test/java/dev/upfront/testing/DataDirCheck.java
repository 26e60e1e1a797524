package dev.upfront.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.sqlite.SQLiteConfig;

/**
 * Checks an embedded-default data folder (SQLite + blob files) against PRODUCT.md §3.3, from the outside: open the
 * SQLite file read-only and list the folders. Safe while a server runs, as long as it is idle.
 */
public final class DataDirCheck {
    private DataDirCheck() {}

    /** A row of {@code file_versions}. */
    public record VersionRow(String versionId, String fileId, int number, String blobKey, long size, String checksum) {}

    /** How many burned upload credentials the data folder's database remembers. */
    public static long usedTokens(Path dataDir) {
        return rows(dataDir, "used_tokens");
    }

    /** How many uploads to shared storage the data folder's database records as in flight ({@code pending_blobs}). */
    public static long pendingBlobs(Path dataDir) {
        return rows(dataDir, "pending_blobs");
    }

    /** How many video pre-transformations the data folder's database holds as queued ({@code video_pre_jobs}). */
    public static long queuedVideos(Path dataDir) {
        return rows(dataDir, "video_pre_jobs");
    }

    private static long rows(Path dataDir, String table) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + dataDir.resolve("upfront.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts: nothing in staging; the blob files are exactly the versions' blob keys (no orphan, none missing);
     * each blob has its record's size and checksum; every file's current version exists, is its last, and its version
     * numbers run 1..last. Returns the versions by id, for further checks.
     */
    public static Map<String, VersionRow> assertConsistent(Path dataDir) throws Exception {
        assertThat(stagingFiles(dataDir)).as("files left in blobs/.staging").isZero();
        Map<String, Path> blobs = publishedBlobs(dataDir);

        Map<String, VersionRow> versions = new TreeMap<>();
        Map<String, String> currentVersion = new HashMap<>();
        Map<String, Integer> lastNumber = new HashMap<>();
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + dataDir.resolve("upfront.db"));
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT version_id, file_id, version_number, blob_key, size, checksum FROM file_versions")) {
                while (rs.next()) {
                    versions.put(rs.getString(1), new VersionRow(rs.getString(1), rs.getString(2), rs.getInt(3),
                            rs.getString(4), rs.getLong(5), rs.getString(6)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT file_id, current_version_id, last_version_number FROM files")) {
                while (rs.next()) {
                    currentVersion.put(rs.getString(1), rs.getString(2));
                    lastNumber.put(rs.getString(1), rs.getInt(3));
                }
            }
        }

        Set<String> recordKeys = new TreeSet<>();
        versions.values().forEach(v -> recordKeys.add(v.blobKey()));
        Set<String> orphans = new TreeSet<>(blobs.keySet());
        orphans.removeAll(recordKeys);
        Set<String> missing = new TreeSet<>(recordKeys);
        missing.removeAll(blobs.keySet());
        assertThat(orphans).as("blob files that no version references").isEmpty();
        assertThat(missing).as("versions whose blob file is missing").isEmpty();
        assertThat(blobs).as("blob files vs versions").hasSameSizeAs(versions);

        Map<String, List<Integer>> numbers = new HashMap<>();
        for (VersionRow v : versions.values()) {
            Path blob = blobs.get(v.blobKey());
            assertThat(Files.size(blob)).as("size of the blob of version %s", v.versionId()).isEqualTo(v.size());
            assertThat(Checksums.like(v.checksum(), blob)).as("checksum of the blob of version %s", v.versionId())
                    .isEqualTo(v.checksum());
            assertThat(currentVersion).as("file of version %s", v.versionId()).containsKey(v.fileId());
            numbers.computeIfAbsent(v.fileId(), k -> new ArrayList<>()).add(v.number());
        }
        for (Map.Entry<String, String> f : currentVersion.entrySet()) {
            VersionRow current = versions.get(f.getValue());
            assertThat(current).as("current version of file %s", f.getKey()).isNotNull();
            assertThat(current.fileId()).isEqualTo(f.getKey());
            int last = lastNumber.get(f.getKey());
            assertThat(numbers.get(f.getKey()).stream().sorted().toList()).as("version numbers of file %s", f.getKey())
                    .isEqualTo(IntStream.rangeClosed(1, last).boxed().toList());
            assertThat(current.number()).as("the current version of %s is its last", f.getKey()).isEqualTo(last);
        }
        return versions;
    }

    /**
     * Published blob files by name (their key): {@code blobs/<shard>/<key>}, staging excluded. Lists folders
     * without reading attributes, so it is safe while a server renames and deletes files.
     */
    public static Map<String, Path> publishedBlobs(Path dataDir) throws IOException {
        Path root = dataDir.resolve("blobs");
        Map<String, Path> out = new TreeMap<>();
        for (String shard : names(root)) {
            if (!shard.equals(".staging")) {
                for (String key : names(root.resolve(shard))) {
                    out.put(key, root.resolve(shard).resolve(key));
                }
            }
        }
        return out;
    }

    /** How many entries {@code blobs/.staging} holds (safe while a server runs). */
    public static int stagingFiles(Path dataDir) throws IOException {
        return names(dataDir.resolve("blobs").resolve(".staging")).size();
    }

    /** The entry names of {@code dir}; none when it does not exist (or is not a folder). */
    private static List<String> names(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                out.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // nothing there (yet)
        }
        return out;
    }

}

package dev.upfront.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library recorded before the checksum change (bare MD5s in {@code md5} and {@code source_md5}) keeps its MD5s,
 * now named by algorithm, once the server of this version has migrated it: V10 → V11 on both databases.
 */
class ChecksumMigrationTest {
    private static final String MD5 = "9e107d9d372bb6826bd81d3542a419d6";

    @Test
    void sqliteKeepsTheRecordedMd5sNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("upfront.db");
        String url = "jdbc:sqlite:" + file;
        fillAtV10(url, "db/migration/sqlite", "1, ");
        try (Database db = Database.openSqlite(file)) {
            assertChecksums(db);
        }
    }

    @Test
    void postgresqlKeepsTheRecordedMd5sNamed() throws Exception {
        String url = Postgres.freshDatabaseUrl();
        fillAtV10(url, "db/migration/postgresql", "");
        try (Database db = Database.openPostgres(url)) {
            assertChecksums(db);
        }
    }

    /** The schema as a server of the previous version left it, with one version and one queued video job. */
    private static void fillAtV10(String url, String migrations, String seq) throws Exception {
        Flyway.configure().dataSource(url, null, null).locations("classpath:" + migrations).target("10").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO files (file_id, " + (seq.isEmpty() ? "" : "seq, ") + "file_path, folder_path, name, "
                    + "current_version_id, last_version_number, created_at, updated_at) VALUES ('f1', " + seq
                    + "'/a.txt', '/', 'a.txt', 'v1', 1, 0, 0)");
            st.executeUpdate("INSERT INTO file_versions (version_id, file_id, version_number, blob_key, size, md5, mime, "
                    + "format, file_type, custom_metadata, is_private, is_published, created_at, updated_at) VALUES ('v1', "
                    + "'f1', 1, 'v1', 43, '" + MD5 + "', 'text/plain', 'txt', 'non-image', '{}', FALSE, TRUE, 0, 0)");
            st.executeUpdate("INSERT INTO video_pre_jobs (job_id, home, source_key, source_size, source_md5, source_mime, "
                    + "result_key, options, attempts, created_at, next_attempt_at) VALUES ('j1', '', 's1', 43, '" + MD5
                    + "', 'video/mp4', 'r1', '{}', 0, 0, 0)");
        }
    }

    private static void assertChecksums(Database db) {
        List<String> recorded = db.withConnection(c -> List.of(
                Sql.queryOne(c, "SELECT checksum FROM file_versions WHERE version_id = 'v1'", rs -> rs.getString(1)).orElseThrow(),
                Sql.queryOne(c, "SELECT source_checksum FROM video_pre_jobs WHERE job_id = 'j1'", rs -> rs.getString(1)).orElseThrow()));
        assertThat(recorded).containsExactly("md5:" + MD5, "md5:" + MD5);
    }
}

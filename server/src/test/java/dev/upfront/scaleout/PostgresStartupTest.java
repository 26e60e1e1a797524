package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.config.ConfigException;
import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Postgres;
import dev.upfront.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up of the distributed mode (PostgreSQL): refusals name the variable to fix, never a password; with blobs in
 * the data folder, the folder stays one instance's own, so its start-up sweep is safe.
 */
class PostgresStartupTest {
    @Test
    void anUnreachableDatabaseStopsStartUpNamingTheVariable(@TempDir Path dir) throws Exception {
        Throwable failure = failedStart(dir, Map.of("UPFRONT_DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:1/upfront?user=upfront&password=s3cret-pw"), true);
        assertThat(failure).isInstanceOf(ConfigException.class);
        assertThat(failure.getMessage()).startsWith("UPFRONT_DATABASE_URL").contains("cannot connect").doesNotContain("s3cret-pw");
    }

    @Test
    void severalInstancesMustShareConfiguredKeys(@TempDir Path dir) throws Exception {
        Throwable failure = failedStart(dir, Map.of("UPFRONT_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/upfront"), false);
        assertThat(failure).isInstanceOf(ConfigException.class);
        assertThat(failure.getMessage()).startsWith("UPFRONT_PUBLIC_KEY").contains("PostgreSQL");
    }

    @Test
    void withFilesInTheDataFolderTheFolderIsOneInstancesOwnAndItsLeftoversAreSwept(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("UPFRONT_DATABASE_URL", Postgres.freshDatabaseUrl());
        try (TestServer first = TestServer.start(dir, env, true)) {
            assertThat(first.upload(new Multipart().field("fileName", "kept.txt").file("file", "kept.txt", "text/plain",
                    "kept".getBytes()), "Authorization", TestServer.basic()).statusCode()).isEqualTo(200);
        }
        Set<String> kept = DataDirCheck.publishedBlobs(dir).keySet();
        assertThat(kept).hasSize(1);
        // What a crash leaves: a staging file, and a blob published just before its record's commit.
        Files.writeString(dir.resolve("blobs/.staging/upload-1.part"), "partial");
        Files.createDirectories(dir.resolve("blobs/zz"));
        Files.writeString(dir.resolve("blobs/zz/zzzz0000leftover"), "orphan");
        try (TestServer again = TestServer.start(dir, env, true)) {
            assertThat(DataDirCheck.stagingFiles(dir)).isZero();
            assertThat(DataDirCheck.publishedBlobs(dir).keySet()).isEqualTo(kept);

            Throwable second = failedStart(dir, env);
            assertThat(second).isInstanceOf(ConfigException.class);
            assertThat(second.getMessage()).startsWith("UPFRONT_DATA_DIR").contains("in use by another running instance");
            assertThat(again.get("/v1/files", "Authorization", TestServer.basic()).body()).contains("\"name\":\"kept_");
        }
    }

    /** Why the server did not start. */
    private static Throwable failedStart(Path dir, Map<String, String> env) {
        return failedStart(dir, env, true);
    }

    private static Throwable failedStart(Path dir, Map<String, String> env, boolean testKeys) {
        try {
            TestServer.start(dir, env, testKeys).close();
        } catch (IllegalStateException e) {
            return e.getCause();
        }
        throw new AssertionError("the server started");
    }
}

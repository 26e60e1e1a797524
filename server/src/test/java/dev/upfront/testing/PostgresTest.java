package dev.upfront.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresTest {

    @Test
    void theDurableClusterFlushesEveryCommitWhereTheSharedOneFlushesNothing(@TempDir Path dir) throws Exception {
        try (Postgres durable = Postgres.startDurableCluster(Files.createDirectories(dir.resolve("pg")))) {
            String url = durable.createDatabase("durable_check");
            assertThat(setting(url, "fsync")).isEqualTo("on");
            assertThat(setting(url, "synchronous_commit")).isEqualTo("on");
            // The bench reads the cluster's CPU time from the postmaster and its children.
            assertThat(ProcessHandle.of(durable.postmasterPid()).orElseThrow().info().command().orElseThrow()).endsWith("/postgres");
        }
        String shared = Postgres.freshDatabaseUrl();
        assertThat(setting(shared, "fsync")).isEqualTo("off");
        assertThat(setting(shared, "synchronous_commit")).isEqualTo("off");
    }

    private static String setting(String url, String name) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

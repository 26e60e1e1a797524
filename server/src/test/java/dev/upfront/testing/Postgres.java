package dev.upfront.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Embedded PostgreSQL for tests. {@link #freshDatabaseUrl()} gives an empty database on one cluster shared by the
 * whole test JVM (started once, about 5 s; stopped and deleted when the JVM exits), so each test class starts from nothing
 * without paying for a cluster. {@link #startCluster} starts a cluster of a test's own, for tests that stop and
 * restart it (an outage); it listens on 127.0.0.1 only.
 */
public final class Postgres implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Postgres shared;

    private final Path dataDir;
    private final int port;
    /** Whether commits are flushed to the disk (a benchmark's cluster), or not (tests' throwaway data). */
    private final boolean durable;
    private EmbeddedPostgres cluster;

    private Postgres(Path dataDir, int port, boolean durable) {
        this.dataDir = dataDir;
        this.port = port;
        this.durable = durable;
    }

    /** A new empty database on the shared cluster, as an {@code UPFRONT_DATABASE_URL}. */
    public static String freshDatabaseUrl() {
        return shared().createDatabase("upfront_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet());
    }

    private static synchronized Postgres shared() {
        if (shared == null) {
            // A cluster is a few hundred MB: one left behind per test JVM would fill the temp folder.
            shared = startCluster(TempFolders.deletedAtExit("upfront-pg-", () -> shared.close()), 0);
        }
        return shared;
    }

    /** Starts a cluster in {@code dataDir} (kept between restarts) on {@code port} (0: a free one). */
    public static Postgres startCluster(Path dataDir, int port) {
        Postgres pg = new Postgres(dataDir, port, false);
        pg.start();
        return pg;
    }

    /**
     * As {@link #startCluster}, with PostgreSQL's own durability (fsync and synchronous_commit on): for benchmarks
     * that compare commits. Both are set explicitly because the embedded cluster's defaults turn synchronous_commit
     * off, and then a commit returns before its WAL is flushed: no commit would cost what a real server's does.
     */
    public static Postgres startDurableCluster(Path dataDir) {
        Postgres pg = new Postgres(dataDir, 0, true);
        pg.start();
        return pg;
    }

    /** Starts the cluster again after {@link #close()}, on the same port and data. */
    public void start() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // Test data: durability across a host crash is not needed.
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off");
            if (port != 0 || cluster != null) {
                builder.setPort(port != 0 ? port : cluster.getPort());
            }
            cluster = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The postmaster's process id (the first line of its pid file), whose children are the cluster's processes. */
    public long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return cluster.getPort();
    }

    /** Creates {@code name} (empty) and returns its URL. */
    public String createDatabase(String name) {
        try (Connection c = cluster.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres";
    }

    /** Stops the cluster (fast shutdown: open connections are cut, as in an outage). */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.upfront.bench;

import dev.upfront.testing.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a benchmark's load costs the PostgreSQL cluster behind the server: commits, WAL bytes and flushes, and the
 * CPU time of the cluster's processes, sampled before and after the measured run and printed per upload.
 *
 * <p>Commits and WAL flushes come from the statistics collector, which a busy backend reports to at most every
 * 500 ms: both samples are taken under load (at the end of the warm-up and of the run), so what each misses is
 * about the same and the difference is the window's. WAL bytes are the WAL position's own advance, exact; CPU is
 * read from /proc (the postmaster's reaped children included), exact.
 */
final class PostgresCosts {
    private final Postgres cluster;
    private final String url;

    PostgresCosts(Postgres cluster, String url) {
        this.cluster = cluster;
        this.url = url;
    }

    record Sample(long commits, long walBytes, long walSyncs, long cpuMillis) {}

    /** The cluster's settings that decide what a commit costs, e.g. "fsync=on synchronous_commit=on". */
    String durability() {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            return "fsync=" + show(s, "fsync") + " synchronous_commit=" + show(s, "synchronous_commit");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    Sample sample() {
        // A connection of its own each time: the collector's figures are cached for a transaction's length.
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),"
                     + " CAST(pg_current_wal_lsn() - CAST('0/0' AS pg_lsn) AS bigint), (SELECT wal_sync FROM pg_stat_wal)")) {
            rs.next();
            return new Sample(rs.getLong(1), rs.getLong(2), rs.getLong(3), cpuMillis());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String perUpload(Sample before, Sample after, double uploads) {
        return String.format("postgres: %.3f commits/upload, %.0f WAL bytes/upload, %.3f WAL flushes/upload, PG CPU %.2f ms/upload",
                (after.commits - before.commits) / uploads, (after.walBytes - before.walBytes) / uploads,
                (after.walSyncs - before.walSyncs) / uploads, (after.cpuMillis - before.cpuMillis) / uploads);
    }

    /**
     * User + system CPU time of the postmaster and its live descendants, plus what its ended children used (the
     * postmaster reaps them, so their time is in its children's fields).
     */
    private long cpuMillis() {
        long postmaster = cluster.postmasterPid();
        String[] own = statFields(postmaster);
        // utime, stime, cutime, cstime (fields 14 to 17); USER_HZ is 100 on Linux
        long ticks = Long.parseLong(own[11]) + Long.parseLong(own[12]) + Long.parseLong(own[13]) + Long.parseLong(own[14]);
        for (ProcessHandle p : ProcessHandle.of(postmaster).orElseThrow().descendants().toList()) {
            String[] f = statFields(p.pid());
            if (f != null) {
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
        }
        return ticks * 10;
    }

    /** The fields of /proc/PID/stat after the command name; null when the process has ended. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException gone) {
            return null;
        }
    }
}

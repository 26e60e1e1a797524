package dev.upfront.upload.queue.jdbc;

import dev.upfront.db.Database;
import dev.upfront.db.Sql;
import dev.upfront.upload.queue.PreJob;
import dev.upfront.upload.queue.PreJobOptions;
import dev.upfront.upload.queue.PreJobs;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link PreJobs} in the metadata database ({@code video_pre_jobs}). A claim is one UPDATE whose WHERE repeats the
 * "due and not held" condition, as the webhook outbox claims: on PostgreSQL a second instance updating the same
 * row waits for the first, then re-checks the condition on the row as the first left it and skips it; SQLite has
 * a single writer.
 */
public final class JdbcPreJobs implements PreJobs {
    private static final String DUE = "home = ? AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)";
    private static final String COLUMNS = "job_id, source_key, source_size, source_checksum, source_mime, result_key, options, "
            + "request_id, attempts, created_at";
    private static final int BATCH = 500;

    private final Database db;

    public JdbcPreJobs(Database db) {
        this.db = db;
    }

    @Override
    public void add(PreJob job, String home, Instant now) {
        db.withWriteConnection(c -> Sql.update(c, "INSERT INTO video_pre_jobs (" + COLUMNS + ", home, next_attempt_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                job.jobId(), job.sourceKey(), job.sourceSize(), job.sourceChecksum(), job.sourceMime(), job.resultKey(),
                PreJobOptions.write(job.options()), job.requestId(), job.attempts(), job.createdAt().toEpochMilli(), home,
                now.toEpochMilli()));
    }

    @Override
    public List<PreJob> claim(String home, String claim, Instant now, Duration lease, int limit) {
        long at = now.toEpochMilli();
        // Workers poll every few seconds and the queue is mostly empty: a read first, so an idle poll never queues
        // for the write lock (SQLite's is the whole database's).
        boolean due = db.withConnection(c -> Sql.queryOne(c, "SELECT 1 FROM video_pre_jobs WHERE " + DUE + " LIMIT 1",
                rs -> true, home, at, at)).isPresent();
        if (!due) {
            return List.of();
        }
        int claimed = db.withWriteConnection(c -> Sql.update(c, "UPDATE video_pre_jobs SET claimed_by = ?, lease_until = ?, "
                        + "attempts = attempts + 1 WHERE job_id IN (SELECT job_id FROM video_pre_jobs WHERE " + DUE
                        + " ORDER BY created_at LIMIT ?) AND " + DUE,
                claim, at + lease.toMillis(), home, at, at, limit, home, at, at));
        if (claimed == 0) {
            return List.of();
        }
        return db.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM video_pre_jobs WHERE claimed_by = ?",
                JdbcPreJobs::job, claim));
    }

    private static PreJob job(ResultSet rs) throws SQLException {
        return new PreJob(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
                PreJobOptions.read(rs.getString(7)), rs.getString(8), rs.getInt(9), Instant.ofEpochMilli(rs.getLong(10)));
    }

    @Override
    public boolean renew(String jobId, String claim, Instant until) {
        return db.withWriteConnection(c -> Sql.update(c, "UPDATE video_pre_jobs SET lease_until = ? WHERE job_id = ? AND claimed_by = ?",
                until.toEpochMilli(), jobId, claim)) == 1;
    }

    @Override
    public void retryAt(String jobId, String claim, Instant next) {
        db.withWriteConnection(c -> Sql.update(c, "UPDATE video_pre_jobs SET claimed_by = NULL, lease_until = NULL, "
                + "next_attempt_at = ? WHERE job_id = ? AND claimed_by = ?", next.toEpochMilli(), jobId, claim));
    }

    @Override
    public void giveBack(String jobId, String claim) {
        db.withWriteConnection(c -> Sql.update(c, "UPDATE video_pre_jobs SET claimed_by = NULL, lease_until = NULL, "
                + "attempts = attempts - 1 WHERE job_id = ? AND claimed_by = ?", jobId, claim));
    }

    @Override
    public boolean finish(String jobId, String claim) {
        return db.withWriteConnection(c -> Sql.update(c, "DELETE FROM video_pre_jobs WHERE job_id = ? AND claimed_by = ?",
                jobId, claim)) == 1;
    }

    @Override
    public int releaseAll(String home) {
        return db.withWriteConnection(c -> Sql.update(c, "UPDATE video_pre_jobs SET claimed_by = NULL, lease_until = NULL "
                + "WHERE home = ? AND claimed_by IS NOT NULL", home));
    }

    @Override
    public Set<String> sources(Collection<String> blobKeys) {
        Set<String> held = new HashSet<>();
        List<String> keys = new ArrayList<>(blobKeys);
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
            String marks = String.join(", ", Collections.nCopies(batch.size(), "?"));
            held.addAll(db.withConnection(c -> Sql.query(c, "SELECT source_key FROM video_pre_jobs WHERE source_key IN (" + marks + ")",
                    rs -> rs.getString(1), batch.toArray())));
        }
        return held;
    }
}

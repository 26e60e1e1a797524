package dev.upfront.storage.jdbc;

import dev.upfront.db.Database;
import dev.upfront.db.Sql;
import dev.upfront.storage.PendingBlobs;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/** {@link PendingBlobs} in the metadata database that the instances share ({@code pending_blobs}, {@code job_leases}). */
public final class JdbcPendingBlobs implements PendingBlobs {
    private final Database db;
    private final InstantSource clock;
    private final String instanceId;

    /** @param instanceId this process's name in the records (for operators: which instance left what) */
    public JdbcPendingBlobs(Database db, InstantSource clock, String instanceId) {
        this.db = db;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    @Override
    public void record(String key) {
        db.withWriteConnection(c -> Sql.update(c, "INSERT INTO pending_blobs (blob_key, instance_id, touched_at) VALUES (?, ?, ?)",
                key, instanceId, clock.millis()));
    }

    @Override
    public void touch(String key) {
        db.withWriteConnection(c -> Sql.update(c, "UPDATE pending_blobs SET touched_at = ? WHERE blob_key = ?", clock.millis(), key));
    }

    @Override
    public void forget(String key) {
        db.withWriteConnection(c -> Sql.update(c, "DELETE FROM pending_blobs WHERE blob_key = ?", key));
    }

    @Override
    public void forgetInTransaction(String key) {
        db.joinTransaction(c -> Sql.update(c, "DELETE FROM pending_blobs WHERE blob_key = ?", key));
    }

    @Override
    public boolean forgetIfOlderThan(String key, Duration lease) {
        return db.withWriteConnection(c -> Sql.update(c, "DELETE FROM pending_blobs WHERE blob_key = ? AND touched_at < ?",
                key, clock.millis() - lease.toMillis())) == 1;
    }

    @Override
    public List<String> olderThan(Duration lease) {
        return db.withConnection(c -> Sql.query(c, "SELECT blob_key FROM pending_blobs WHERE touched_at < ? ORDER BY touched_at",
                rs -> rs.getString(1), clock.millis() - lease.toMillis()));
    }

    @Override
    public boolean claim(String job, Duration lease) {
        long now = clock.millis();
        // One conditional UPDATE: the database lets exactly one instance take a lapsed claim.
        return db.withWriteConnection(c -> Sql.update(c,
                "UPDATE job_leases SET holder = ?, until = ? WHERE name = ? AND (until < ? OR holder = ?)",
                instanceId, now + lease.toMillis(), job, now, instanceId)) == 1;
    }
}

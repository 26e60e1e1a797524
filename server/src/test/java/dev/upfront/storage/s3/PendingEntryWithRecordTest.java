package dev.upfront.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.db.Database;
import dev.upfront.db.Sql;
import dev.upfront.ids.Ids;
import dev.upfront.storage.StagedBlob;
import dev.upfront.storage.jdbc.JdbcPendingBlobs;
import dev.upfront.testing.S3;
import dev.upfront.testing.TestDatabases;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pending entry of a blob uploaded to S3 goes with the transaction that records the blob (no statement, no
 * connection of its own after the commit): gone when that commits, kept for the janitor when it rolls back.
 */
class PendingEntryWithRecordTest {
    private final S3 s3 = S3.shared();
    private final TestDatabases databases = TestDatabases.sqlite();
    private final Database db = databases.open();
    private final S3BlobStore store = new S3BlobStore(s3.bucket(s3.freshBucket()), "blobs/",
            new JdbcPendingBlobs(db, Clock.systemUTC(), "test"), Duration.ofMinutes(1));

    @AfterEach
    void close() {
        databases.close();
    }

    @Test
    void theEntryCommitsWithTheRecord() throws Exception {
        String key = Ids.objectId();
        try (StagedBlob staged = published(key)) {
            assertThat(pending()).containsExactly(key);
            db.inTransaction(c -> {
                staged.recordedInTransaction();
                return null;
            });
            assertThat(pending()).isEmpty();
        }
        assertThat(pending()).isEmpty();
    }

    @Test
    void aRecordThatRollsBackLeavesTheEntryForTheJanitor() throws Exception {
        String key = Ids.objectId();
        try (StagedBlob staged = published(key)) {
            assertThatThrownBy(() -> db.inTransaction(c -> {
                staged.recordedInTransaction();
                throw new IllegalStateException("the commit failed");
            })).hasMessageContaining("commit failed");
        }
        assertThat(pending()).containsExactly(key);
    }

    @Test
    void aBlobNeverRecordedForgetsItsEntryWhenClosed() throws Exception {
        String key = Ids.objectId();
        try (StagedBlob staged = published(key)) {
            assertThat(pending()).containsExactly(key);
        }
        assertThat(pending()).isEmpty();
    }

    private StagedBlob published(String key) throws Exception {
        StagedBlob staged = store.stage(key);
        staged.write(ByteBuffer.wrap("bytes".getBytes()));
        staged.finish();
        store.publish(staged);
        return staged;
    }

    private List<String> pending() {
        return db.withConnection(c -> Sql.query(c, "SELECT blob_key FROM pending_blobs", rs -> rs.getString(1)));
    }
}

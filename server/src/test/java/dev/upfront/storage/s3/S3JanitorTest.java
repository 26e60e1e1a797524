package dev.upfront.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.db.Database;
import dev.upfront.ids.Ids;
import dev.upfront.storage.StagedBlob;
import dev.upfront.storage.jdbc.JdbcPendingBlobs;
import dev.upfront.testing.S3;
import dev.upfront.testing.TestDatabases;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Crash clean-up on a real S3 server and a real database: blobs whose instance "died" (staged, then dropped without
 * publish or close) are removed once their entries are older than the lease, both an unfinished multipart upload
 * and a completed but unpublished object; a live upload on another instance, inside its lease, is untouched, and so
 * is a published blob. Only one instance at a time holds the janitor's job.
 */
class S3JanitorTest {
    private static final Duration LEASE = Duration.ofHours(1);

    @Test
    void leftoversOlderThanTheLeaseGoAndLiveUploadsStay() throws IOException {
        S3 s3 = S3.shared();
        String bucket = s3.freshBucket();
        AtomicLong now = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        try (TestDatabases databases = TestDatabases.sqlite()) {
            Database db = databases.open();
            JdbcPendingBlobs crashedPending = new JdbcPendingBlobs(db, clock, "crashed");
            JdbcPendingBlobs livePending = new JdbcPendingBlobs(db, clock, "live");
            S3BlobStore crashed = new S3BlobStore(s3.bucket(bucket), "blobs/", crashedPending);
            S3BlobStore live = new S3BlobStore(s3.bucket(bucket), "blobs/", livePending);
            Set<String> referenced = new HashSet<>();

            String unfinished = Ids.objectId();
            StagedBlob dropped = crashed.stage(unfinished); // never closed: the process "died"
            write(dropped, 17);
            String completed = Ids.objectId();
            StagedBlob droppedAfterFinish = crashed.stage(completed);
            write(droppedAfterFinish, 1);
            droppedAfterFinish.finish();
            String published = Ids.objectId();
            StagedBlob publishedBlob = crashed.stage(published);
            write(publishedBlob, 1);
            publishedBlob.finish();
            crashed.publish(publishedBlob);
            referenced.add(published); // its record committed; the crash came before close()

            now.addAndGet(LEASE.plusMinutes(30).toMillis());
            String inFlight = Ids.objectId();
            StagedBlob liveBlob = live.stage(inFlight);
            write(liveBlob, 17);

            S3Janitor janitor = new S3Janitor(live, livePending, keys -> {
                Set<String> unknown = new HashSet<>(keys);
                unknown.removeAll(referenced);
                return unknown;
            }, LEASE, Duration.ofMinutes(10));
            S3Janitor other = new S3Janitor(crashed, crashedPending, keys -> Set.copyOf(keys), LEASE, Duration.ofMinutes(10));

            assertThat(janitor.run()).isEqualTo(2);
            assertThat(other.run()).as("the job is held by the first instance").isZero();
            assertThat(uploads(s3, bucket)).extracting(MultipartUpload::key).containsExactly("blobs/" + inFlight);
            assertThat(objects(s3, bucket)).containsExactly("blobs/" + published);
            now.incrementAndGet();
            assertThat(crashedPending.olderThan(Duration.ZERO)).as("entries left: the live upload's").containsExactly(inFlight);

            write(liveBlob, 1);
            liveBlob.finish();
            live.publish(liveBlob);
            liveBlob.close();
            assertThat(objects(s3, bucket)).containsExactlyInAnyOrder("blobs/" + published, "blobs/" + inFlight);
            assertThat(livePending.olderThan(Duration.ZERO)).isEmpty();
            assertThat(uploads(s3, bucket)).isEmpty();
        }
    }

    private static void write(StagedBlob blob, int mebibytes) throws IOException {
        byte[] chunk = new byte[1024 * 1024];
        for (int i = 0; i < mebibytes; i++) {
            blob.write(ByteBuffer.wrap(chunk));
        }
    }

    private static List<MultipartUpload> uploads(S3 s3, String bucket) {
        try (S3Client client = s3.client()) {
            return client.listMultipartUploads(r -> r.bucket(bucket)).uploads();
        }
    }

    private static List<String> objects(S3 s3, String bucket) {
        try (S3Client client = s3.client()) {
            return client.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
        }
    }
}

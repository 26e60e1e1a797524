package dev.upfront.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.ids.Ids;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.BlobStoreContract;
import dev.upfront.storage.PendingBlobs;
import dev.upfront.storage.StagedBlob;
import dev.upfront.testing.S3;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The blob store contract on a real S3 server (S3Proxy, in this JVM), in a fresh bucket. Staging leftovers are the
 * bucket's multipart uploads in progress plus objects not published: nothing may stay of a discarded blob.
 */
class S3BlobStoreTest extends BlobStoreContract {
    private final S3 s3 = S3.shared();
    private final String bucket = s3.freshBucket();

    @Override
    protected BlobStore newInstance() {
        return new S3BlobStore(s3.bucket(bucket), "blobs/", PendingBlobs.NONE);
    }

    @Override
    protected long stagingLeftovers() {
        try (S3Client client = s3.client()) {
            return client.listMultipartUploads(r -> r.bucket(bucket)).uploads().size();
        }
    }

    @Test
    void aLargeUploadIsInvisibleInTheBucketUntilFinishedAndUsesMultipart() throws IOException {
        BlobStore store = newInstance();
        String key = Ids.objectId();
        byte[] chunk = new byte[1024 * 1024];
        try (StagedBlob staged = store.stage(key); S3Client client = s3.client()) {
            for (int i = 0; i < 17; i++) {
                staged.write(ByteBuffer.wrap(chunk));
            }
            assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads())
                    .as("an upload in progress for the key").anyMatch(u -> u.key().equals("blobs/" + key));
            assertThat(client.listObjectsV2(r -> r.bucket(bucket).prefix("blobs/" + key)).contents()).isEmpty();
            staged.finish();
            store.publish(staged);
        }
        try (S3Client client = s3.client()) {
            assertThat(client.headObject(r -> r.bucket(bucket).key("blobs/" + key)).contentLength()).isEqualTo(17L * chunk.length);
        }
    }
}

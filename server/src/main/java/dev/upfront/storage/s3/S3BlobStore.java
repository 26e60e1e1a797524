package dev.upfront.storage.s3;

import dev.upfront.storage.BlobStore;
import dev.upfront.storage.PendingBlobs;
import dev.upfront.storage.StagedBlob;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Blobs as objects {@code <prefix><key>} in one bucket, which other instances share. Staging streams into the
 * object's final name: small blobs (under one part) are kept in memory and sent in one PutObject, larger ones go
 * up as a multipart upload while they arrive (see {@link S3StagedBlob}), so memory stays bounded and nothing is
 * visible before the upload completes. There is no start-up sweep: the bucket is shared, and another instance's
 * upload in flight must not be mistaken for a leftover. Instead each upload is recorded in {@link PendingBlobs}
 * while it lasts, and {@link S3Janitor} removes what a crashed instance left.
 */
public final class S3BlobStore implements BlobStore {
    /** S3's smallest part (except the last) is 5 MiB; 8 MiB keeps a 300 MB upload near 40 parts. */
    public static final int PART_SIZE = 8 * 1024 * 1024;
    private static final Pattern KEY = Pattern.compile("[0-9a-z]{4,64}");

    private final S3Bucket bucket;
    private final String prefix;
    private final int partSize;
    private final PendingBlobs pending;
    private final Duration refresh;
    /** Sends parts while the request thread goes on reading the upload. Virtual threads: they only wait on I/O. */
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param prefix the objects' name prefix, e.g. {@code blobs/}, so that several stores share one bucket
     * @param pending where uploads in flight are recorded ({@link PendingBlobs#NONE} for renderings, which are
     *                small, complete in one request and harmless to keep)
     */
    public S3BlobStore(S3Bucket bucket, String prefix, PendingBlobs pending) {
        this(bucket, prefix, pending, Duration.ofMinutes(1));
    }

    /**
     * @param refresh how often an upload in flight refreshes its {@link PendingBlobs} entry while bytes arrive, even
     *                between parts (a slow client): well under the janitor's lease
     */
    public S3BlobStore(S3Bucket bucket, String prefix, PendingBlobs pending, Duration refresh) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.partSize = PART_SIZE;
        this.pending = pending;
        this.refresh = refresh;
    }

    @Override
    public StagedBlob stage(String key) {
        String name = name(key);
        return new S3StagedBlob(bucket, key, name, partSize, senders, pending, refresh);
    }

    @Override
    public void publish(StagedBlob staged) {
        if (!(staged instanceof S3StagedBlob blob)) {
            throw new IllegalStateException("publish needs a blob staged by this store");
        }
        // The upload completed in finish(): publishing only keeps it, so no S3 call runs under a caller's lock.
        blob.keep();
    }

    @Override
    public Optional<Blob> find(String key) {
        String name = name(key);
        return bucket.size(name).map(size -> new ObjectBlob(bucket, name, size));
    }

    @Override
    public void copy(String fromKey, String toKey) {
        bucket.copy(name(fromKey), name(toKey));
    }

    @Override
    public void delete(String key) {
        bucket.delete(name(key));
    }

    @Override
    public int deleteWithPrefix(String keyPrefix) {
        if (keyPrefix.length() < 4 || !KEY.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("invalid blob key prefix");
        }
        return bucket.deleteWithPrefix(prefix + keyPrefix);
    }

    @Override
    public boolean ready() {
        return bucket.reachable();
    }

    /** The bucket and the object name prefix of this store (for clean-up of uploads in flight). */
    public S3Bucket bucket() {
        return bucket;
    }

    /** The object name of {@code key}. */
    public String name(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid blob key");
        }
        return prefix + key;
    }

    private record ObjectBlob(S3Bucket bucket, String name, long size) implements Blob {
        @Override
        public InputStream open(long offset, long length) {
            if (length <= 0) {
                return InputStream.nullInputStream();
            }
            return bucket.read(name, offset, length);
        }
    }
}

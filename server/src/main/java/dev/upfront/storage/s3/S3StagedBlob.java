package dev.upfront.storage.s3;

import dev.upfront.storage.PendingBlobs;
import dev.upfront.storage.StagedBlob;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A blob streamed to its object while it is written. Bytes collect in a buffer of at most one part; a blob that
 * fits in one part is sent by {@link #finish()} in one PutObject. Once a part is full, a multipart upload starts
 * and each full part is sent on another thread while the writer fills the next. At most {@link #BUFFERS} part
 * buffers exist per blob (one filling, the rest sending), so {@link #write} waits while they are all in use:
 * memory stays at two parts whatever the blob's size. {@link #finish()} sends the last part and completes the
 * upload: only then is the object visible. A failure aborts the upload; {@link #close()} without
 * {@link #keep()} aborts the upload or deletes the completed object. Its {@link PendingBlobs} entry is recorded
 * just before the first byte goes to the store, refreshed with each part and at least every {@code refresh} while
 * bytes arrive or the store is awaited, and removed by the transaction that records the published blob
 * ({@link #recordedInTransaction}), or else when the blob is closed (published, or discarded successfully); when the
 * discard fails, the entry stays for the janitor. So does an entry removed by a transaction that then failed as a
 * whole (an outage, when a removal of its own would fail too): the janitor finds its object unreferenced.
 */
final class S3StagedBlob implements StagedBlob {
    private static final Logger log = LoggerFactory.getLogger(S3StagedBlob.class);
    static final int BUFFERS = 2;
    private static final int FIRST_BUFFER = 64 * 1024;

    private final S3Bucket bucket;
    private final String key;
    private final String name;
    private final int partSize;
    private final ExecutorService senders;
    private final PendingBlobs pending;
    private final long refreshNanos;
    /** Whether the entry exists: it is recorded just before the first byte goes to the store, not at staging. */
    private boolean recorded;
    private long touchedAt;
    private final Semaphore buffers = new Semaphore(BUFFERS);
    private final List<Future<CompletedPart>> parts = new ArrayList<>();

    private byte[] buffer;
    private int length;
    private long size;
    private String uploadId;
    private boolean finished;
    private boolean completed;
    private boolean kept;
    /** The entry went with the transaction that records the blob: closing leaves it alone. */
    private boolean forgottenWithRecord;
    private boolean closed;

    S3StagedBlob(S3Bucket bucket, String key, String name, int partSize, ExecutorService senders, PendingBlobs pending,
                 Duration refresh) {
        this.pending = pending;
        this.refreshNanos = refresh.toNanos();
        this.bucket = bucket;
        this.key = key;
        this.name = name;
        this.partSize = partSize;
        this.senders = senders;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (finished || closed) {
            throw new IllegalStateException("staged blob already finished");
        }
        if (recorded && System.nanoTime() - touchedAt >= refreshNanos) {
            touch(); // a slow client: the entry must stay fresher than the lease between parts too
        }
        while (bytes.hasRemaining()) {
            if (length == partSize) {
                sendPart();
            }
            if (buffer == null) {
                acquireBuffer();
                buffer = new byte[Math.min(partSize, Math.max(FIRST_BUFFER, bytes.remaining()))];
            } else if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(partSize, buffer.length * 2));
            }
            int n = Math.min(bytes.remaining(), buffer.length - length);
            bytes.get(buffer, length, n);
            length += n;
            size += n;
        }
    }

    /** Hands the full buffer to a sender; the next write takes a new one. */
    private void sendPart() {
        checkSentParts();
        touch();
        if (uploadId == null) {
            uploadId = bucket.createUpload(name);
        }
        byte[] part = buffer;
        int partLength = length;
        int number = parts.size() + 1;
        String id = uploadId;
        parts.add(senders.submit(() -> {
            try {
                return bucket.uploadPart(name, id, number, part, partLength);
            } finally {
                buffers.release();
            }
        }));
        buffer = null;
        length = 0;
    }

    /** Records the entry (the first time) or refreshes it. */
    private void touch() {
        if (recorded) {
            pending.touch(key);
        } else {
            pending.record(key);
            recorded = true;
        }
        touchedAt = System.nanoTime();
    }

    /** As {@link #touch()}, skipped while the entry is fresh (fewer database writes for the many small uploads). */
    private void touchIfDue() {
        if (!recorded || System.nanoTime() - touchedAt >= refreshNanos) {
            touch();
        }
    }

    /** Waits for a free buffer; a wait on a slow store is still an upload alive, so the entry is refreshed meanwhile. */
    private void acquireBuffer() {
        try {
            while (!buffers.tryAcquire(refreshNanos, TimeUnit.NANOSECONDS)) {
                touch();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a part to be sent", e);
        }
    }

    /** Fails early when a part already failed, instead of reading the rest of a doomed upload. */
    private void checkSentParts() {
        for (Future<CompletedPart> part : parts) {
            if (part.isDone()) {
                result(part);
            }
        }
    }

    @Override
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        touchIfDue();
        if (uploadId == null) {
            bucket.put(name, buffer == null ? new byte[0] : buffer, length);
        } else {
            if (length > 0) {
                sendPart();
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> part : parts) {
                done.add(awaitPart(part));
            }
            done.sort(Comparator.comparing(CompletedPart::partNumber));
            bucket.completeUpload(name, uploadId, done);
            buffer = null;
        }
        // From here to the record's commit (inspection, the path's lock) nothing refreshes the entry: it leaves
        // at least three quarters of the lease for that.
        touchIfDue();
        completed = true;
    }

    /** A part's result, refreshing the entry while the store takes its time (as in {@link #acquireBuffer}). */
    private CompletedPart awaitPart(Future<CompletedPart> part) {
        try {
            while (true) {
                try {
                    part.get(refreshNanos, TimeUnit.NANOSECONDS);
                    return result(part);
                } catch (TimeoutException e) {
                    touch();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a part was sent", e);
        } catch (ExecutionException e) {
            return result(part); // throws the part's failure
        }
    }

    private static CompletedPart result(Future<CompletedPart> part) {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a part was sent", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("a part could not be sent", e.getCause());
        }
    }

    @Override
    public InputStream open() {
        if (!completed) {
            throw new IllegalStateException("staged blob not finished");
        }
        if (uploadId == null) {
            return new ByteArrayInputStream(buffer == null ? new byte[0] : buffer, 0, length);
        }
        return size == 0 ? InputStream.nullInputStream() : bucket.read(name, 0, size);
    }

    @Override
    public long size() {
        return size;
    }

    /** Publishing: the completed object stays when this blob is closed. */
    void keep() {
        if (!completed) {
            throw new IllegalStateException("publish needs a finished blob");
        }
        kept = true;
    }

    @Override
    public void recordedInTransaction() {
        if (recorded && !forgottenWithRecord) {
            pending.forgetInTransaction(key);
            forgottenWithRecord = true;
        }
    }

    private void forget() {
        if (recorded && !forgottenWithRecord) {
            pending.forget(key);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer = null;
        try {
            if (kept) {
                forget();
                return;
            }
            if (completed) {
                bucket.delete(name);
            } else if (uploadId != null) {
                // Parts still being sent could land after an abort and keep the upload alive: wait for them first.
                for (Future<CompletedPart> part : parts) {
                    try {
                        part.get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        part.cancel(true);
                    }
                }
                bucket.abortUpload(name, uploadId);
            }
            forget();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The pending-blob record keeps it for the janitor (the store may be down right now).
            log.warn("Could not discard staged blob {}: {}", key, e.toString());
        }
    }
}

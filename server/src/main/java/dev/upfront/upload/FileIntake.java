package dev.upfront.upload;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import dev.upfront.inspect.ContentSniffer;
import dev.upfront.inspect.ContentType;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.StagedBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Takes a file's bytes in one pass: each chunk is counted, kept for type sniffing while the head is short, and
 * gathered into a buffer of {@value #BUFFER} bytes; a full buffer is hashed on one (virtual) thread and written to
 * staging on another while the next one fills, so MD5, the file writes and reading the request all overlap, and the
 * store sees few large writes instead of many network-sized ones. MD5 is the largest cost of a large upload (about
 * 1.6 ms of CPU per MB); with the write beside it instead of after it, a buffer's turn is the longer of the two,
 * not their sum. The size limit is enforced
 * as bytes arrive: the first chunk past the limit fails the upload, and closing the intake discards what was
 * staged. Memory use is the sniffing head and two buffers. Bytes of a request not authenticated yet skip the
 * buffers: they are written as they come, so the budget of {@link PendingUploads} counts what staging holds.
 * An intake opened for a request not yet authenticated counts its bytes against {@link PendingUploads} before
 * staging them. Not thread-safe.
 */
public final class FileIntake implements AutoCloseable {
    static final int BUFFER = 256 * 1024;
    private static final int FIRST_BUFFER = 64 * 1024;
    private static final MessageDigest MD5 = md5Prototype();
    private final StagedBlob blob;
    private final ContentSniffer sniffer;
    private final SizeLimits limits;
    private final PendingUploads.Claim pending;
    private final MessageDigest md5;
    private final byte[] head = new byte[ContentSniffer.HEAD_BYTES];
    private int headLength;
    private ContentType type;
    private long size;
    private boolean handedOver;
    /** Bytes gathered for the next write; null until the first byte. */
    private ByteBuffer filling;
    /** The buffer last handed to {@link #hashing} and {@link #writing}, reused once both are done. */
    private ByteBuffer spare;
    /** Hashing the previous buffer, or null. */
    private Future<ByteBuffer> hashing;
    /** Writing the previous buffer, or null. */
    private Future<ByteBuffer> writing;

    /** @param pending the claim of an unauthenticated request, or null */
    FileIntake(BlobStore store, ContentSniffer sniffer, SizeLimits limits, PendingUploads.Claim pending) throws IOException {
        // The key is the version id the file will get: a store may stream the bytes to it as they arrive.
        this.blob = store.stage(Ids.objectId());
        this.sniffer = sniffer;
        this.limits = limits;
        this.pending = pending;
        try {
            this.md5 = (MessageDigest) MD5.clone(); // cheaper than a provider lookup per upload
        } catch (CloneNotSupportedException e) {
            blob.close();
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest md5Prototype() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Consumes all remaining bytes of {@code bytes}. @throws ApiException FILE_TOO_LARGE past the limit */
    public void write(ByteBuffer bytes) throws IOException {
        int n = bytes.remaining();
        size += n;
        long limit = type == null ? limits.beforeDetection() : limits.forType(type);
        if (size > limit) {
            throw new ApiException(ErrorCode.FILE_TOO_LARGE);
        }
        if (type == null) {
            int take = Math.min(n, head.length - headLength);
            bytes.duplicate().get(head, headLength, take);
            headLength += take;
            if (headLength == head.length) {
                detect();
            }
        }
        if (pending != null) {
            // Not authenticated yet: staged as they come, so what the budget counts is what staging holds.
            pending.reserve(n);
            drain(bytes);
            return;
        }
        while (bytes.hasRemaining()) {
            if (filling == null) {
                // A small first buffer: most uploads are small, and it is allocated per upload.
                filling = spare != null && spare.capacity() == BUFFER ? spare.clear()
                        : ByteBuffer.allocate(size == n && n <= FIRST_BUFFER ? FIRST_BUFFER : BUFFER);
                spare = null;
            }
            int take = Math.min(bytes.remaining(), filling.remaining());
            filling.put(filling.position(), bytes, bytes.position(), take);
            filling.position(filling.position() + take);
            bytes.position(bytes.position() + take);
            if (!filling.hasRemaining()) {
                ByteBuffer full = filling.flip();
                filling = null;
                spare = awaitDrained();
                // MD5 must see the buffers in order: the previous one is done with both before this one starts.
                ByteBuffer toHash = full.duplicate();
                hashing = start("upload-hash", () -> {
                    md5.update(toHash);
                    return full;
                });
                writing = start("upload-write", () -> {
                    blob.write(full);
                    return full;
                });
            }
        }
    }

    /** Hashes and stages bytes on the caller's thread: the last buffer, and the bytes of a pending request. */
    private ByteBuffer drain(ByteBuffer full) throws IOException {
        md5.update(full.duplicate());
        blob.write(full);
        return full;
    }

    private static Future<ByteBuffer> start(String name, Callable<ByteBuffer> work) {
        FutureTask<ByteBuffer> task = new FutureTask<>(work);
        Thread.ofVirtual().name(name).start(task);
        return task;
    }

    /**
     * Waits for the previous buffer's hashing and writing (both, even when one fails, so no thread still uses the
     * buffer or the blob); returns that buffer for reuse, or null when none was draining.
     */
    private ByteBuffer awaitDrained() throws IOException {
        Future<ByteBuffer> hashed = hashing;
        Future<ByteBuffer> written = writing;
        hashing = null;
        writing = null;
        if (written == null) {
            return null;
        }
        try {
            await(hashed);
        } finally {
            await(written);
        }
        return written.resultNow();
    }

    private static ByteBuffer await(Future<ByteBuffer> task) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // The task runs on regardless: it must end before its buffer or the blob is let go.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Ends the file: detects the type if the file was shorter than the sniffing head. The bytes are made durable only
     * when published, so an upload refused after its body costs no fsync.
     */
    public StagedUpload finish() throws IOException {
        if (type == null) {
            detect();
        }
        if (size > limits.forType(type)) {
            throw new ApiException(ErrorCode.FILE_TOO_LARGE);
        }
        spare = awaitDrained();
        if (filling != null) {
            drain(filling.flip());
            filling = null;
        }
        blob.finish();
        handedOver = true;
        return new StagedUpload(blob, size, HexFormat.of().formatHex(md5.digest()), type);
    }

    private void detect() {
        type = sniffer.detect(head, headLength);
        if (size > limits.forType(type)) {
            throw new ApiException(ErrorCode.FILE_TOO_LARGE);
        }
    }

    public long size() {
        return size;
    }

    /** Discards the staged bytes unless {@link #finish()} handed them over. */
    @Override
    public void close() {
        if (!handedOver) {
            // The hashing and writing threads must be done with the blob before it is discarded.
            try {
                awaitDrained();
            } catch (IOException | RuntimeException e) {
                // discarded anyway
            }
            blob.close();
        }
    }
}

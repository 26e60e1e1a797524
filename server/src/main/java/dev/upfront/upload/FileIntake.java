package dev.upfront.upload;

import dev.upfront.checksum.ContentChecksum;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import dev.upfront.inspect.ContentSniffer;
import dev.upfront.inspect.ContentType;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.StagedBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Takes a file's bytes in one pass: each chunk is counted against the size limit, kept for type sniffing while the
 * head is short, added to the file's {@link ContentChecksum} (CRC32C, a few microseconds per MB) and gathered into a
 * buffer of {@value #BUFFER} bytes; a full buffer is written to staging on a (virtual) thread while the next one
 * fills, so the store sees few large writes instead of many network-sized ones, and reading the request overlaps
 * writing it. The size limit is enforced as bytes arrive: the first chunk past the limit fails the upload, and
 * closing the intake discards what was staged. Memory use is two buffers; the first, which holds the file's first
 * bytes, is also what the type is sniffed from (no copy of the head per upload). Bytes of a request not
 * authenticated yet skip the buffers: they are written as they come, so the budget of {@link PendingUploads} counts
 * what staging holds, and only they keep a sniffing head of their own. The first buffer is no larger than the file
 * can be when the request declared its length: most uploads are small, and it is allocated per upload. Not
 * thread-safe.
 */
public final class FileIntake implements AutoCloseable {
    static final int BUFFER = 256 * 1024;
    private static final int FIRST_BUFFER = 64 * 1024;
    private final StagedBlob blob;
    private final ContentSniffer sniffer;
    private final SizeLimits limits;
    private final PendingUploads.Claim pending;
    /** The first buffer's capacity: {@value #FIRST_BUFFER} bytes, or less when the file is known to be smaller. */
    private final int firstBuffer;
    private final ContentChecksum checksum = ContentChecksum.crc32c();
    /**
     * The sniffing head of a request not authenticated yet, whose bytes skip the buffers; null otherwise: there the
     * first buffer, which holds the file's first bytes until the type is known, is sniffed instead.
     */
    private final byte[] head;
    private int headLength;
    private ContentType type;
    private long size;
    private boolean handedOver;
    /** Bytes gathered for the next write; null until the first byte. */
    private ByteBuffer filling;
    /** The buffer last handed to {@link #writing}, reused once written. */
    private ByteBuffer spare;
    /** Writing the previous buffer, or null. */
    private Future<ByteBuffer> writing;

    /**
     * @param pending the claim of an unauthenticated request, or null
     * @param atMost how many bytes the file can have at most (its request's declared length), or -1 when unknown;
     *     it only sizes the first buffer
     */
    FileIntake(BlobStore store, ContentSniffer sniffer, SizeLimits limits, PendingUploads.Claim pending, long atMost)
            throws IOException {
        // The key is the version id the file will get: a store may stream the bytes to it as they arrive.
        this.blob = store.stage(Ids.objectId());
        this.sniffer = sniffer;
        this.limits = limits;
        this.pending = pending;
        // One byte more than the file can have: a full buffer is written at once, and a file that fills its first
        // buffer is no longer held in memory for its inspection.
        this.firstBuffer = atMost < 0 ? FIRST_BUFFER : (int) Math.min(FIRST_BUFFER, atMost + 1);
        this.head = pending == null ? null : new byte[ContentSniffer.HEAD_BYTES];
    }

    /** Consumes all remaining bytes of {@code bytes}. @throws ApiException FILE_TOO_LARGE past the limit */
    public void write(ByteBuffer bytes) throws IOException {
        int n = bytes.remaining();
        size += n;
        long limit = type == null ? limits.beforeDetection() : limits.forType(type);
        if (size > limit) {
            throw new ApiException(ErrorCode.FILE_TOO_LARGE);
        }
        if (type == null && head != null) {
            int take = Math.min(n, head.length - headLength);
            bytes.duplicate().get(head, headLength, take);
            headLength += take;
            if (headLength == head.length) {
                detect(head, headLength);
            }
        }
        checksum.update(bytes);
        if (pending != null) {
            // Not authenticated yet: staged as they come, so what the budget counts is what staging holds.
            pending.reserve(n);
            blob.write(bytes);
            return;
        }
        while (bytes.hasRemaining()) {
            if (filling == null) {
                filling = spare != null && spare.capacity() == BUFFER ? spare.clear()
                        : ByteBuffer.allocate(size == n && n <= FIRST_BUFFER ? Math.max(firstBuffer, n) : BUFFER);
                spare = null;
            }
            int take = Math.min(bytes.remaining(), filling.remaining());
            filling.put(filling.position(), bytes, bytes.position(), take);
            filling.position(filling.position() + take);
            bytes.position(bytes.position() + take);
            if (type == null && !filling.hasRemaining() && filling.capacity() < FIRST_BUFFER) {
                // A first buffer sized by a bound that the file outgrew (the bound is a hint, never trusted): the
                // type is still sniffed from a whole head, so the buffer grows before anything is written.
                filling = ByteBuffer.allocate(FIRST_BUFFER).put(filling.flip());
                continue;
            }
            if (type == null && (filling.position() >= ContentSniffer.HEAD_BYTES || !filling.hasRemaining())) {
                // Still the first buffer (the type is known before it is written): it holds the head.
                detect(filling.array(), Math.min(filling.position(), ContentSniffer.HEAD_BYTES));
            }
            if (!filling.hasRemaining()) {
                ByteBuffer full = filling.flip();
                filling = null;
                spare = awaitWritten();
                writing = startWriting(full);
            }
        }
    }

    /** Writes {@code full} to staging on a thread of its own; the task returns the buffer once written. */
    private Future<ByteBuffer> startWriting(ByteBuffer full) {
        FutureTask<ByteBuffer> task = new FutureTask<>(() -> {
            blob.write(full);
            return full;
        });
        Thread.ofVirtual().name("upload-write").start(task);
        return task;
    }

    /** Waits for the previous buffer's write; returns that buffer for reuse, or null when none was being written. */
    private ByteBuffer awaitWritten() throws IOException {
        Future<ByteBuffer> task = writing;
        writing = null;
        if (task == null) {
            return null;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // The write runs on regardless: it must end before its buffer or the blob is let go.
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
            if (head != null) {
                detect(head, headLength);
            } else if (filling != null) {
                detect(filling.array(), filling.position());
            } else {
                detect(new byte[0], 0); // an empty file
            }
        }
        if (size > limits.forType(type)) {
            throw new ApiException(ErrorCode.FILE_TOO_LARGE);
        }
        spare = awaitWritten();
        byte[] held = null;
        if (filling != null) {
            if (filling.position() == size) {
                held = filling.array(); // the whole file: kept for its inspection, which then reads no file
            }
            blob.write(filling.flip()); // the last buffer, on this thread: nothing is left to overlap
            filling = null;
        }
        blob.finish();
        handedOver = true;
        return new StagedUpload(blob, size, checksum.value(), type, held);
    }

    private void detect(byte[] bytes, int length) {
        type = sniffer.detect(bytes, length);
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
            // The writing thread must be done with the blob before it is discarded.
            try {
                awaitWritten();
            } catch (IOException | RuntimeException e) {
                // discarded anyway
            }
            blob.close();
        }
    }
}

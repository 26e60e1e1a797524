package dev.upfront.upload;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the bytes that uploads not yet authenticated may stage together. Field order is the client's, and ImageKit's
 * SDKs send the file before the credentials, so those bytes must be staged before anyone knows whether the request
 * is allowed; this bounds what clients without credentials can make the server store. Authenticated uploads never
 * count. Thread-safe.
 */
public final class PendingUploads {

    private final long cap;
    private final AtomicLong staged = new AtomicLong();

    public PendingUploads(long cap) {
        this.cap = cap;
    }

    /**
     * Opens a claim for one upload's not-yet-authenticated bytes.
     *
     * @throws ApiException PENDING_UPLOADS_FULL when the budget is used up already
     */
    public Claim claim() {
        if (staged.get() >= cap) {
            throw full();
        }
        return new Claim();
    }

    /** Bytes staged by unauthenticated uploads right now. */
    public long staged() {
        return staged.get();
    }

    private static ApiException full() {
        return new ApiException(ErrorCode.PENDING_UPLOADS_FULL);
    }

    /**
     * One upload's share of the budget. Closing it, when the upload is authenticated or discarded, gives the share
     * back; after that it counts nothing. Used by one request at a time.
     */
    public final class Claim implements AutoCloseable {
        private long held;
        private boolean closed;

        private Claim() {}

        /** Counts {@code bytes} more before they are staged. @throws ApiException PENDING_UPLOADS_FULL past the cap */
        public void reserve(long bytes) {
            if (closed) {
                return;
            }
            if (staged.addAndGet(bytes) > cap) {
                staged.addAndGet(-bytes);
                throw full();
            }
            held += bytes;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                staged.addAndGet(-held);
                held = 0;
            }
        }
    }
}

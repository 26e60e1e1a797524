package dev.upfront.upload;

import dev.upfront.inspect.ContentSniffer;
import dev.upfront.storage.BlobStore;
import java.io.IOException;

/**
 * Opens {@link FileIntake}s with the server's storage, sniffer, size limits and budget for unauthenticated bytes.
 * Thread-safe.
 */
public final class FileIntakes {
    private final BlobStore store;
    private final ContentSniffer sniffer;
    private final SizeLimits limits;
    private final PendingUploads pending;

    public FileIntakes(BlobStore store, ContentSniffer sniffer, SizeLimits limits, PendingUploads pending) {
        this.store = store;
        this.sniffer = sniffer;
        this.limits = limits;
        this.pending = pending;
    }

    /** An intake for an authenticated request (or the server's own fetch of a URL it was asked for). */
    public FileIntake open() throws IOException {
        return open(-1);
    }

    /**
     * As {@link #open()}, for a file known to have at most {@code atMost} bytes (those of the request that carries
     * it); -1 when unknown.
     */
    public FileIntake open(long atMost) throws IOException {
        return new FileIntake(store, sniffer, limits, null, atMost);
    }

    /** An intake for a request not authenticated yet: its bytes count against {@code claim} before they are staged. */
    public FileIntake openPending(PendingUploads.Claim claim) throws IOException {
        return new FileIntake(store, sniffer, limits, claim, -1);
    }

    /** The budget of bytes that unauthenticated uploads may stage together. */
    public PendingUploads pending() {
        return pending;
    }

    public SizeLimits limits() {
        return limits;
    }
}

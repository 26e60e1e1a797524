package dev.upfront.upload;

import dev.upfront.inspect.ContentSniffer;
import dev.upfront.storage.BlobStore;
import java.io.IOException;

/** Opens {@link FileIntake}s with the server's storage, sniffer and size limits. Thread-safe. */
public final class FileIntakes {
    private final BlobStore store;
    private final ContentSniffer sniffer;
    private final SizeLimits limits;

    public FileIntakes(BlobStore store, ContentSniffer sniffer, SizeLimits limits) {
        this.store = store;
        this.sniffer = sniffer;
        this.limits = limits;
    }

    public FileIntake open() throws IOException {
        return new FileIntake(store, sniffer, limits);
    }

    public SizeLimits limits() {
        return limits;
    }
}

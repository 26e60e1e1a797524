package dev.upfront.storage.fs;

import dev.upfront.storage.BlobStore;
import dev.upfront.storage.BlobStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The blob store contract on a fresh data folder. */
class FilesystemBlobStoreTest extends BlobStoreContract {
    private final Path root;

    FilesystemBlobStoreTest() {
        try {
            root = Files.createTempDirectory("upfront-blobs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected BlobStore newInstance() {
        return new FilesystemBlobStore(root);
    }

    /** Large enough for several early flushes while writing, one possibly still running at publish or discard. */
    @Override
    protected int largeSize() {
        return (int) (3 * FilesystemBlobStore.WRITEBACK_BYTES + 12345);
    }

    @Override
    protected long stagingLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(".staging"))) {
            return files.count();
        }
    }
}

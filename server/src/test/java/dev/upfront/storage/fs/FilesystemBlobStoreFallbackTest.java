package dev.upfront.storage.fs;

/** The same, with batches synced one fsync per file and folder, as where syncfs is missing or untrusted. */
class FilesystemBlobStoreFallbackTest extends FilesystemBlobStoreTest {
    @Override
    boolean syncfs() {
        return false;
    }
}

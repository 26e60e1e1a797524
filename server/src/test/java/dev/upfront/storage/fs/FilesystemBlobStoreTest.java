package dev.upfront.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.ids.Ids;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.BlobStoreContract;
import dev.upfront.storage.StagedBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The blob store contract on a fresh data folder, with batches synced by syncfs where this Linux has it. */
class FilesystemBlobStoreTest extends BlobStoreContract {
    private final Path root;

    FilesystemBlobStoreTest() {
        try {
            root = Files.createTempDirectory("upfront-blobs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this class's stores sync a batch with syncfs. */
    boolean syncfs() {
        return true;
    }

    @Override
    protected BlobStore newInstance() {
        return new FilesystemBlobStore(root, syncfs());
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

    /** The cheap path is really taken here (Linux 5.8+), not silently replaced by the fallback. */
    @Test
    void aBatchIsSyncedWithOneSyncfsOnThisLinux() {
        FilesystemBlobStore store = new FilesystemBlobStore(root, syncfs());
        boolean linux58 = SyncFs.reportsErrors(System.getProperty("os.name"), System.getProperty("os.version"));
        assertThat(store.syncsWholeFilesystem()).isEqualTo(syncfs() && linux58);
    }

    /** A blob that vanished after its rename (its folder emptied by hand) fails its batch's sync: no record may follow. */
    @Test
    void aBlobGoneBeforeItsSyncFailsTheWholeSync() throws IOException {
        FilesystemBlobStore store = new FilesystemBlobStore(root, syncfs());
        List<BlobStore.Unsynced> batch = new ArrayList<>();
        List<StagedBlob> staged = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            StagedBlob blob = store.stage(Ids.objectId());
            blob.write(ByteBuffer.wrap(new byte[] {1, 2, (byte) i}));
            blob.finish();
            batch.add(store.publishUnsynced(blob));
            staged.add(blob);
        }
        String gone = batch.get(1).key();
        Files.delete(root.resolve(gone.substring(0, 2)).resolve(gone));
        try {
            assertThatThrownBy(() -> store.sync(batch)).isInstanceOf(NoSuchFileException.class).hasMessageContaining(gone);
            store.sync(List.of(batch.get(0), batch.get(2)));
        } finally {
            staged.forEach(StagedBlob::close);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Linux 5.8.0-63-generic true", "Linux 6.18.44-fc-v1272 true", "Linux 10.0 true",
            "Linux 5.7.19 false", "Linux 4.19.0-27-amd64 false", "Linux weird false", "Mac_OS_X 14.5 false"})
    void syncfsIsTrustedFromLinux58On(String row) {
        String[] cells = row.split(" ");
        assertThat(SyncFs.reportsErrors(cells[0].replace('_', ' '), cells[1])).isEqualTo(Boolean.parseBoolean(cells[2]));
    }
}

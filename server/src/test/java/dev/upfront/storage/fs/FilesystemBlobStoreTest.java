package dev.upfront.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.ids.Ids;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.BlobStoreContract;
import dev.upfront.storage.StagedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The blob store contract on a fresh data folder, with batches synced by syncfs where this Linux has it. */
class FilesystemBlobStoreTest extends BlobStoreContract {
    /** Static: JUnit fills instance fields only before each test, after the contract's {@code @BeforeAll} opened a store. */
    @TempDir
    static Path root;

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

    /**
     * The staging file is created under the key's name, owner-only, and read back through the descriptor that wrote
     * it: each read gets its own stream from the start, and reading leaves the blob publishable.
     */
    @Test
    void aStagedBlobIsNamedAfterItsKeyAndReadBackThroughItsOwnDescriptor() throws IOException {
        FilesystemBlobStore store = new FilesystemBlobStore(root, syncfs());
        String key = Ids.objectId();
        byte[] bytes = new byte[70_000];
        new Random(7).nextBytes(bytes);
        try (StagedBlob staged = store.stage(key)) {
            staged.write(ByteBuffer.wrap(bytes, 0, 30_000));
            staged.write(ByteBuffer.wrap(bytes, 30_000, 40_000));
            staged.finish();
            Path file = root.resolve(".staging").resolve(key + ".part");
            assertThat(file).exists();
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            try (InputStream first = staged.open(); InputStream second = staged.open()) {
                assertThat(first.skip(10_000)).isEqualTo(10_000);
                assertThat(second.readAllBytes()).isEqualTo(bytes);
                assertThat(first.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 10_000, bytes.length));
                assertThat(first.read()).isEqualTo(-1);
            }
            store.publish(staged);
            try (InputStream in = store.find(key).orElseThrow().open(0, bytes.length)) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
        }
    }

    /** A key staged twice at once (its name taken) gets a second staging file; each keeps its own bytes. */
    @Test
    void aKeyStagedTwiceAtOnceKeepsBothApart() throws IOException {
        FilesystemBlobStore store = new FilesystemBlobStore(root, syncfs());
        long before = stagingLeftovers();
        String key = Ids.objectId();
        try (StagedBlob one = store.stage(key); StagedBlob two = store.stage(key)) {
            one.write(ByteBuffer.wrap(new byte[] {1}));
            two.write(ByteBuffer.wrap(new byte[] {2, 2}));
            one.finish();
            two.finish();
            try (InputStream a = one.open(); InputStream b = two.open()) {
                assertThat(a.readAllBytes()).containsExactly(1);
                assertThat(b.readAllBytes()).containsExactly(2, 2);
            }
            assertThat(stagingLeftovers()).isEqualTo(before + 2);
        }
        assertThat(stagingLeftovers()).isEqualTo(before);
    }

    /**
     * Shard folders are remembered once seen; one removed by hand afterwards is made again (and the root flushed
     * again) when a blob is published into it, with the unsynced publish and the durable one alike.
     */
    @Test
    void aRememberedShardFolderRemovedByHandIsMadeAgain() throws IOException {
        FilesystemBlobStore store = new FilesystemBlobStore(root, syncfs());
        String first = Ids.objectId();
        publishOne(store, first, false);
        Path shard = root.resolve(first.substring(0, 2));
        for (boolean durable : new boolean[] {false, true}) {
            try (Stream<Path> blobs = Files.list(shard)) {
                for (Path blob : blobs.toList()) {
                    Files.delete(blob);
                }
            }
            Files.delete(shard);
            String next = Ids.objectId();
            assertThat(next.substring(0, 2)).isEqualTo(first.substring(0, 2)); // the same second's shard
            publishOne(store, next, durable);
            assertThat(store.find(next)).isPresent();
        }
    }

    private static void publishOne(FilesystemBlobStore store, String key, boolean durable) throws IOException {
        try (StagedBlob staged = store.stage(key)) {
            staged.write(ByteBuffer.wrap(new byte[] {9, 9, 9}));
            staged.finish();
            if (durable) {
                store.publish(staged);
            } else {
                store.sync(List.of(store.publishUnsynced(staged)));
            }
        }
    }
}

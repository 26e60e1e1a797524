package dev.upfront.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.ids.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link BlobStore} promises, run against each implementation on fresh storage per class. "Instances"
 * are separate {@link #newInstance()} stores on the same storage, as separate server processes would be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BlobStoreContract {

    /** A store on this class's storage, as another process would open it. */
    protected abstract BlobStore newInstance();

    /** Uploads staged but neither published nor discarded, as the storage itself shows them (its staging area). */
    protected abstract long stagingLeftovers() throws IOException;

    /** The size of a blob that the implementation must write in several pieces (e.g. multipart). */
    protected int largeSize() {
        return 20 * 1024 * 1024 + 12345;
    }

    private BlobStore store;

    @BeforeAll
    void openFirstInstance() {
        store = newInstance();
    }

    @Test
    void aPublishedBlobIsReadWholeAndByRange() throws IOException {
        byte[] bytes = random(100_000, 1);
        String key = publish(store, bytes);
        BlobStore.Blob blob = store.find(key).orElseThrow();
        assertThat(blob.size()).isEqualTo(bytes.length);
        assertThat(read(blob, 0, bytes.length)).isEqualTo(bytes);
        assertThat(read(blob, 1000, 5)).isEqualTo(Arrays.copyOfRange(bytes, 1000, 1005));
        assertThat(read(blob, bytes.length - 1, 1)).containsExactly(bytes[bytes.length - 1]);
    }

    @Test
    void nothingIsVisibleBeforePublishAndADiscardedBlobLeavesNothing() throws IOException {
        long before = stagingLeftovers();
        String key = Ids.objectId();
        try (StagedBlob staged = store.stage(key)) {
            assertThat(staged.key()).isEqualTo(key);
            staged.write(ByteBuffer.wrap(random(5000, 2)));
            assertThat(store.find(key)).isEmpty();
            staged.finish();
            assertThat(staged.size()).isEqualTo(5000);
            try (InputStream in = staged.open()) {
                assertThat(in.readAllBytes()).isEqualTo(random(5000, 2));
            }
        }
        assertThat(store.find(key)).as("discarded").isEmpty();
        assertThat(stagingLeftovers()).isEqualTo(before);
    }

    @Test
    void aLargeBlobIsWrittenInPiecesAndReadBackIntact() throws Exception {
        long before = stagingLeftovers();
        byte[] bytes = random(largeSize(), 3);
        String key = Ids.objectId();
        try (StagedBlob staged = store.stage(key)) {
            for (int off = 0; off < bytes.length; off += 65536) {
                staged.write(ByteBuffer.wrap(bytes, off, Math.min(65536, bytes.length - off)));
            }
            assertThat(store.find(key)).isEmpty();
            staged.finish();
            store.publish(staged);
        }
        BlobStore.Blob blob = store.find(key).orElseThrow();
        assertThat(blob.size()).isEqualTo(bytes.length);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (InputStream in = blob.open(0, bytes.length)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md5.update(buf, 0, n);
            }
        }
        assertThat(md5.digest()).isEqualTo(MessageDigest.getInstance("MD5").digest(bytes));
        int from = 9 * 1024 * 1024 - 10;
        assertThat(read(blob, from, 20)).isEqualTo(Arrays.copyOfRange(bytes, from, from + 20));
        assertThat(stagingLeftovers()).isEqualTo(before);
    }

    @Test
    void aLargeBlobDiscardedHalfWayLeavesNothing() throws IOException {
        long before = stagingLeftovers();
        String key = Ids.objectId();
        byte[] chunk = random(1024 * 1024, 4);
        try (StagedBlob staged = store.stage(key)) {
            for (int i = 0; i < largeSize() / chunk.length; i++) {
                staged.write(ByteBuffer.wrap(chunk));
            }
        }
        assertThat(store.find(key)).isEmpty();
        assertThat(stagingLeftovers()).isEqualTo(before);
    }

    @Test
    void anEmptyBlobIsABlob() throws IOException {
        String key = publish(store, new byte[0]);
        BlobStore.Blob blob = store.find(key).orElseThrow();
        assertThat(blob.size()).isZero();
        assertThat(read(blob, 0, 0)).isEmpty();
    }

    @Test
    void aCopyOutlivesItsSource() throws IOException {
        byte[] bytes = random(3000, 5);
        String from = publish(store, bytes);
        String to = Ids.objectId();
        store.copy(from, to);
        store.delete(from);
        assertThat(store.find(from)).isEmpty();
        assertThat(read(store.find(to).orElseThrow(), 0, bytes.length)).isEqualTo(bytes);
    }

    @Test
    void deletingIsIdempotentAndPrefixDeletesOnlyThatPrefix() throws IOException {
        store.delete(Ids.objectId());
        String version = Ids.objectId();
        String a = version + "aaaa";
        String b = version + "bbbb";
        String other = Ids.objectId() + "aaaa";
        for (String key : new String[] {a, b, other}) {
            try (StagedBlob staged = store.stage(key)) {
                staged.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                staged.finish();
                store.publish(staged);
            }
        }
        assertThat(store.deleteWithPrefix(version)).isEqualTo(2);
        assertThat(store.find(a)).isEmpty();
        assertThat(store.find(b)).isEmpty();
        assertThat(store.find(other)).isPresent();
        store.delete(other);
        store.delete(other);
        assertThat(store.find(other)).isEmpty();
    }

    @Test
    void anotherInstanceSeesPublishedBlobsAndDeletes() throws IOException {
        BlobStore second = newInstance();
        byte[] bytes = random(777, 6);
        String key = publish(store, bytes);
        assertThat(read(second.find(key).orElseThrow(), 0, bytes.length)).isEqualTo(bytes);
        second.delete(key);
        assertThat(store.find(key)).isEmpty();
        assertThat(second.ready()).isTrue();
    }

    @Test
    void keysAreCheckedAndPublishNeedsAFinishedBlob() throws IOException {
        assertThatThrownBy(() -> store.stage("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.find("A/b")).isInstanceOf(IllegalArgumentException.class);
        try (StagedBlob staged = store.stage(Ids.objectId())) {
            staged.write(ByteBuffer.wrap(new byte[] {1}));
            assertThatThrownBy(() -> store.publish(staged)).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * The batch shape of publishing: each blob is readable (here and from another instance) as soon as it is
     * published unsynced, stays when its staged blob is closed before or after the sync, and one sync takes them
     * all; syncing again, or nothing, is harmless. Whether the sync reaches the disk only a power cut would show;
     * the implementations' own tests check the way they flush.
     */
    @Test
    void unsyncedBlobsAreReadableAtOnceAndSyncedTogether() throws IOException {
        BlobStore second = newInstance();
        List<byte[]> contents = new ArrayList<>();
        List<BlobStore.Unsynced> published = new ArrayList<>();
        List<StagedBlob> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] bytes = random(10_000 + i, 20 + i);
            StagedBlob staged = store.stage(Ids.objectId());
            staged.write(ByteBuffer.wrap(bytes));
            staged.finish();
            BlobStore.Unsynced unsynced = store.publishUnsynced(staged);
            assertThat(unsynced.key()).isEqualTo(staged.key());
            assertThat(read(store.find(unsynced.key()).orElseThrow(), 0, bytes.length)).isEqualTo(bytes);
            assertThat(read(second.find(unsynced.key()).orElseThrow(), 0, bytes.length)).isEqualTo(bytes);
            contents.add(bytes);
            published.add(unsynced);
            open.add(staged);
        }
        open.getFirst().close(); // closed before the sync: kept all the same
        store.sync(published);
        store.sync(published.subList(1, 2));
        store.sync(List.of());
        open.forEach(StagedBlob::close);
        for (int i = 0; i < published.size(); i++) {
            byte[] bytes = contents.get(i);
            assertThat(read(store.find(published.get(i).key()).orElseThrow(), 0, bytes.length)).isEqualTo(bytes);
        }
        for (BlobStore.Unsynced u : published) {
            store.delete(u.key());
        }
    }

    @Test
    void publishingUnsyncedNeedsAFinishedBlob() throws IOException {
        try (StagedBlob staged = store.stage(Ids.objectId())) {
            staged.write(ByteBuffer.wrap(new byte[] {1}));
            assertThatThrownBy(() -> store.publishUnsynced(staged)).isInstanceOf(IllegalStateException.class);
        }
    }

    private static String publish(BlobStore store, byte[] bytes) throws IOException {
        String key = Ids.objectId();
        try (StagedBlob staged = store.stage(key)) {
            staged.write(ByteBuffer.wrap(bytes));
            staged.finish();
            store.publish(staged);
        }
        return key;
    }

    private static byte[] read(BlobStore.Blob blob, long offset, long length) throws IOException {
        try (InputStream in = blob.open(offset, length)) {
            return in.readAllBytes();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

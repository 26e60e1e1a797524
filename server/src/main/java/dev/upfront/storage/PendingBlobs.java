package dev.upfront.storage;

import java.time.Duration;
import java.util.List;

/**
 * The record of blobs being written to shared storage, so that the leftovers of an instance that died mid-upload can
 * be found without listing the bucket, and never mistaken for another instance's upload in flight: a live upload
 * refreshes its entry while it writes, so only entries older than a lease are leftovers.
 */
public interface PendingBlobs {

    /** Nothing is recorded (storage that only this process uses, or renderings, which any instance may redo). */
    PendingBlobs NONE = new PendingBlobs() {
        @Override
        public void record(String key) {}

        @Override
        public void touch(String key) {}

        @Override
        public void forget(String key) {}

        @Override
        public void forgetInTransaction(String key) {}

        @Override
        public boolean forgetIfOlderThan(String key, Duration lease) {
            return false;
        }

        @Override
        public List<String> olderThan(Duration lease) {
            return List.of();
        }

        @Override
        public boolean claim(String job, Duration lease) {
            return false;
        }
    };

    /** Records {@code key} before its first byte is written. */
    void record(String key);

    /** The upload of {@code key} is still alive. */
    void touch(String key);

    /** The upload of {@code key} ended: published and referenced, or discarded. */
    void forget(String key);

    /**
     * As {@link #forget}, inside the library write transaction that the calling thread runs (the one recording the
     * blob), so the entry goes with that commit and needs no connection or commit of its own.
     *
     * @throws IllegalStateException when the thread runs no such transaction
     */
    void forgetInTransaction(String key);

    /**
     * Removes the entry of {@code key} only if it is still untouched for longer than {@code lease}; false when its
     * upload refreshed it meanwhile (alive after all) or it is gone. The janitor takes an entry this way before it
     * deletes anything, so an upload that gave news since the janitor looked keeps its object.
     */
    boolean forgetIfOlderThan(String key, Duration lease);

    /** Keys untouched for longer than {@code lease}: their uploads ended without {@link #forget} (a crash). */
    List<String> olderThan(Duration lease);

    /**
     * Claims the periodic {@code job} for this instance for {@code lease}: true when no other instance holds it
     * (or its claim has lapsed), so one instance at a time runs it.
     */
    boolean claim(String job, Duration lease);
}

package dev.upfront.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Optional;

/**
 * Where file bytes live. A blob is written in one pass into a {@link StagedBlob}; nothing is readable under its key
 * before {@link StagedBlob#finish()} (all or nothing), and it is kept only by {@link #publish}: closing it
 * unpublished discards it. A store may make a finished blob readable before it is published (S3 completes the
 * upload in {@code finish}, so that publishing, under the caller's locks, makes no network call); no one knows the
 * key until the record that names it commits. Keys are opaque ASCII names chosen by
 * the caller ([0-9a-z]); they never come from a client. The key is fixed when staging starts, because a store may
 * stream the bytes to their final place while they arrive (an S3 multipart upload is created for one key).
 * A store that cannot be reached throws {@code ApiException(STORAGE_UNAVAILABLE)}.
 *
 * <p>Durability comes in two shapes. {@link #publish} is durable when it returns. {@link #publishUnsynced} and
 * {@link #sync} split that for a caller that records many blobs at once (the uploads of one group commit): each
 * blob is published as it comes, readable at once, and one {@code sync} then makes all of them durable, so the
 * batch pays for one flush instead of one or two per blob. Until {@code sync} returns for a blob, a crash may lose
 * it or leave it partial under its key, so nothing may name it durably (commit a record pointing to it) before
 * that; a blob left unreferenced is an orphan like any other, removed by the store's clean-up. A store whose
 * publishing is durable anyway (S3 completes the object in {@code finish}) needs neither: the defaults publish
 * durably and sync nothing.
 */
public interface BlobStore {

    /**
     * Opens a new, invisible staging area for the blob that will be published under {@code key} (a new key).
     * Closing it without publishing discards it.
     */
    StagedBlob stage(String key) throws IOException;

    /**
     * Makes a finished staged blob visible under its key, durably (the bytes and the name survive a crash once
     * this returns).
     */
    void publish(StagedBlob staged) throws IOException;

    /**
     * Makes a finished staged blob visible under its key like {@link #publish}, but durable only once {@link #sync}
     * returned for it (see the class comment). Closing the staged blob afterwards keeps it, as after publish.
     */
    default Unsynced publishUnsynced(StagedBlob staged) throws IOException {
        publish(staged);
        String key = staged.key();
        return () -> key;
    }

    /**
     * Makes the blobs of {@code published} (all from {@link #publishUnsynced} of this store) durable, bytes and
     * names, together; syncing one again costs little. When this throws, none of them is promised durable: records
     * naming them must not commit. Safe to call from any thread.
     */
    default void sync(Collection<? extends Unsynced> published) throws IOException {}

    /** The published blob under {@code key}, or empty when there is none. */
    Optional<Blob> find(String key) throws IOException;

    /** Makes the bytes of {@code fromKey} also available, durably, under the new key {@code toKey}. */
    void copy(String fromKey, String toKey) throws IOException;

    /** Deletes the blob under {@code key}; deleting a missing blob is not an error. */
    void delete(String key) throws IOException;

    /** Deletes every blob whose key starts with {@code prefix} (at least 4 characters); returns how many. */
    int deleteWithPrefix(String prefix) throws IOException;

    /** Whether the store can be written now. */
    boolean ready();

    /** A blob published by {@link #publishUnsynced}, to hand to {@link #sync}. */
    interface Unsynced {
        String key();
    }

    /** A published blob. */
    interface Blob {
        long size();

        /** The bytes from {@code offset}, {@code length} of them. */
        InputStream open(long offset, long length) throws IOException;
    }
}

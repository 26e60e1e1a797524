package dev.upfront.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where file bytes live. A blob is written in one pass into a {@link StagedBlob}, which nothing else can see, and
 * becomes visible under its key only by {@link #publish}, all or nothing. Keys are opaque ASCII names chosen by
 * the caller ([0-9a-z]); they never come from a client.
 */
public interface BlobStore {

    /** Opens a new, invisible staging area. Closing it without publishing discards it. */
    StagedBlob stage() throws IOException;

    /**
     * Makes a finished staged blob visible under {@code key}, durably (the bytes and the name survive a crash once
     * this returns). The key must be new.
     */
    void publish(StagedBlob staged, String key) throws IOException;

    /** The published blob under {@code key}, or empty when there is none. */
    Optional<Blob> find(String key) throws IOException;

    /** Makes the bytes of {@code fromKey} also available, durably, under the new key {@code toKey}. */
    void copy(String fromKey, String toKey) throws IOException;

    /** Deletes the blob under {@code key}; deleting a missing blob is not an error. */
    void delete(String key) throws IOException;

    /** Deletes every blob whose key starts with {@code prefix} (at least 4 characters); returns how many. */
    int deleteWithPrefix(String prefix) throws IOException;

    /**
     * Start-up cleaning: discards staging leftovers of an earlier process, then deletes every published blob whose
     * key {@code unknown} reports as referenced by no record (a crash between publish and the record's commit).
     *
     * @param unknown given a batch of keys, returns those that no record references
     * @return the number of blobs and staging leftovers deleted
     */
    int sweep(Function<Collection<String>, Set<String>> unknown) throws IOException;

    /** Whether the store can be written now. */
    boolean ready();

    /** A published blob. */
    interface Blob {
        long size();

        /** The bytes from {@code offset}, {@code length} of them. */
        InputStream open(long offset, long length) throws IOException;
    }
}

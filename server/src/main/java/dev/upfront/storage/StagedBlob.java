package dev.upfront.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A blob being written: bytes in order, then {@link #finish()}, then {@link BlobStore#publish}. Not thread-safe. */
public interface StagedBlob extends AutoCloseable {

    /** The key it will be published under. */
    String key();

    /** Appends all remaining bytes of {@code bytes}. */
    void write(ByteBuffer bytes) throws IOException;

    /**
     * Ends writing; no write may follow. The bytes become durable when published ({@link BlobStore#publish}), or
     * synced after {@link BlobStore#publishUnsynced}.
     */
    void finish() throws IOException;

    /** Reads the finished bytes back (for inspection before publishing). */
    InputStream open() throws IOException;

    /** Bytes written so far. */
    long size();

    /**
     * Called inside the library write transaction that records this published blob (on the thread that runs it): a
     * store that keeps track of blobs in flight in the same database ends that there, so it commits with the record
     * and closing the blob writes nothing more. Nothing for other stores.
     */
    default void recordedInTransaction() {}

    /** Discards the staged bytes unless they were published. Never throws. */
    @Override
    void close();
}

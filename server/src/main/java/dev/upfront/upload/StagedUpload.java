package dev.upfront.upload;

import dev.upfront.inspect.ContentType;
import dev.upfront.storage.StagedBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An uploaded file's bytes, complete and durable in staging, with what was learned while they streamed in.
 *
 * @param checksum the bytes' {@link dev.upfront.checksum.ContentChecksum}, as the library records it
 * @param held the file's bytes (the first {@code size} of the array) when the intake still held all of them in
 *     memory, as it does for a file that fits its first buffer; null otherwise. Never written to.
 */
public record StagedUpload(StagedBlob blob, long size, String checksum, ContentType type, byte[] held)
        implements AutoCloseable {

    /** Bytes that are in staging only. */
    public StagedUpload(StagedBlob blob, long size, String checksum, ContentType type) {
        this(blob, size, checksum, type, null);
    }

    /**
     * Reads the bytes from the start: from memory when they are held (a small upload's inspection then costs no
     * read of the file), else from staging.
     */
    public InputStream open() throws IOException {
        return held != null ? new ByteArrayInputStream(held, 0, (int) size) : blob.open();
    }

    @Override
    public void close() {
        blob.close();
    }
}

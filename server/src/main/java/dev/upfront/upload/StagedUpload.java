package dev.upfront.upload;

import dev.upfront.inspect.ContentType;
import dev.upfront.storage.StagedBlob;

/**
 * An uploaded file's bytes, complete and durable in staging, with what was learned while they streamed in.
 *
 * @param checksum the bytes' {@link dev.upfront.checksum.ContentChecksum}, as the library records it
 */
public record StagedUpload(StagedBlob blob, long size, String checksum, ContentType type) implements AutoCloseable {
    @Override
    public void close() {
        blob.close();
    }
}

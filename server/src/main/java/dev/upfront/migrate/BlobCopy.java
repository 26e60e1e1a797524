package dev.upfront.migrate;

import dev.upfront.checksum.ContentChecksum;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.StagedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Copies one original from the data folder to the target store and proves it arrived: the bytes read from the data
 * folder must match the checksum recorded at upload (a damaged file is not carried over), and the object read back from
 * the target must match it too. An original already on the target that reads back right (an interrupted run's) is
 * not copied again.
 */
final class BlobCopy {
    private static final int BUFFER = 1024 * 1024;

    /** One version's original, as the library records it. */
    record Original(String versionId, String filePath, String key, long size, String checksum) {
        String describe() {
            return "version " + versionId + " of " + filePath;
        }
    }

    /** An original that cannot be carried over as recorded. */
    static final class Problem extends Exception {
        Problem(Original original, String why) {
            super(original.describe() + ": " + why);
        }
    }

    private final BlobStore from;
    private final BlobStore to;

    BlobCopy(BlobStore from, BlobStore to) {
        this.from = from;
        this.to = to;
    }

    /** Whether the target already holds the original, complete and with the recorded checksum. */
    boolean alreadyThere(Original original) throws IOException {
        Optional<BlobStore.Blob> existing = to.find(original.key());
        return existing.isPresent() && existing.get().size() == original.size() && original.checksum().equals(checksum(existing.get(), original));
    }

    /** Copies the original, then reads it back from the target and checks it. */
    void copy(Original original) throws IOException, Problem {
        BlobStore.Blob source = from.find(original.key())
                .orElseThrow(() -> new Problem(original, "its file is missing from the data folder's blobs"));
        if (source.size() != original.size()) {
            throw new Problem(original, "its file in the data folder has " + source.size() + " bytes, the library records "
                    + original.size());
        }
        ContentChecksum checksum = ContentChecksum.like(original.checksum());
        try (StagedBlob staged = to.stage(original.key());
             InputStream in = open(source)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                checksum.update(buffer, 0, n);
                staged.write(ByteBuffer.wrap(buffer, 0, n));
            }
            staged.finish();
            String read = checksum.value();
            if (!read.equals(original.checksum())) {
                // Closing the staged blob unpublished removes what was sent.
                throw new Problem(original, "its bytes in the data folder have checksum " + read + ", the library records "
                        + original.checksum() + " (the file is damaged; it was not copied)");
            }
            to.publish(staged);
        }
        Optional<BlobStore.Blob> copied = to.find(original.key());
        if (copied.isEmpty()) {
            throw new Problem(original, "the target does not return it after the copy");
        }
        String readBack = checksum(copied.get(), original);
        if (copied.get().size() != original.size() || !readBack.equals(original.checksum())) {
            to.delete(original.key());
            throw new Problem(original, "read back from the target it has checksum " + readBack + " and " + copied.get().size()
                    + " bytes, expected " + original.checksum() + " and " + original.size() + " (removed from the target)");
        }
    }

    private static InputStream open(BlobStore.Blob blob) throws IOException {
        return blob.size() == 0 ? InputStream.nullInputStream() : blob.open(0, blob.size());
    }

    /** The checksum of {@code blob}'s bytes, by the algorithm {@code original}'s was recorded with. */
    private static String checksum(BlobStore.Blob blob, Original original) throws IOException {
        ContentChecksum checksum = ContentChecksum.like(original.checksum());
        try (InputStream in = open(blob)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                checksum.update(buffer, 0, n);
            }
        }
        return checksum.value();
    }
}

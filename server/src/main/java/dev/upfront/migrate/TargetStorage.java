package dev.upfront.migrate;

import java.util.Set;

/** What the migration asks of the target's shared storage beyond the {@code BlobStore} port. */
public interface TargetStorage {

    /** Whether any original is stored there yet (a non-empty target is refused). */
    boolean holdsBlobs();

    /**
     * Abandons the unfinished uploads (S3 multipart uploads) of these keys, which an interrupted run left behind.
     * Only keys of this migration are passed, and only while the target is marked as this migration's.
     */
    void abortUnfinished(Set<String> keys);
}

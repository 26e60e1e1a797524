package dev.upfront.storage.s3;

import dev.upfront.storage.PendingBlobs;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Removes what instances that died mid-upload left in the shared bucket, one instance at a time (a claim in the
 * database). It looks only at {@link PendingBlobs} entries untouched for longer than the lease, so an upload in
 * flight on any instance (which refreshes its entry with every part) is never touched, and it never lists the
 * bucket: for each such key that no version references, it deletes the object and aborts the key's multipart
 * uploads, having first taken the entry (dropped only if it is still stale, so an upload that gave news meanwhile
 * keeps everything). A key that a version does reference was published: only the entry goes.
 */
public final class S3Janitor {
    private static final Logger log = LoggerFactory.getLogger(S3Janitor.class);
    static final String JOB = "blob-janitor";

    private final S3BlobStore store;
    private final PendingBlobs pending;
    private final Function<Collection<String>, Set<String>> unreferenced;
    private final Duration lease;
    private final Duration claim;

    /**
     * @param unreferenced given keys, returns those that no version references
     * @param lease        how long an upload may go without news before it counts as dead
     * @param claim        how long one run's claim holds off other instances (more than the interval between runs)
     */
    public S3Janitor(S3BlobStore store, PendingBlobs pending, Function<Collection<String>, Set<String>> unreferenced,
                     Duration lease, Duration claim) {
        this.store = store;
        this.pending = pending;
        this.unreferenced = unreferenced;
        this.lease = lease;
        this.claim = claim;
    }

    /** One pass; returns the number of leftovers removed (0 when another instance holds the job). */
    public int run() {
        if (!pending.claim(JOB, claim)) {
            return 0;
        }
        List<String> stale = pending.olderThan(lease);
        if (stale.isEmpty()) {
            return 0;
        }
        // Each entry is taken only if it is still stale now: an upload that refreshed it since the query is alive.
        // Whether a version references the key is asked after the take, to leave the smallest window to a commit.
        List<String> taken = stale.stream().filter(key -> pending.forgetIfOlderThan(key, lease)).toList();
        Set<String> orphans = taken.isEmpty() ? Set.of() : unreferenced.apply(taken);
        int removed = 0;
        for (String key : taken) {
            if (!orphans.contains(key)) {
                continue; // published: its record names it, only the entry was left
            }
            try {
                remove(store.name(key));
            } catch (RuntimeException e) {
                pending.record(key); // the store is down: the entry comes back for a later run
                throw e;
            }
            removed++;
            log.info("Removed the leftover of an interrupted upload (blob {})", key);
        }
        return removed;
    }

    private void remove(String name) {
        for (MultipartUpload upload : store.bucket().uploads(name)) {
            if (upload.key().equals(name)) {
                store.bucket().abortUpload(name, upload.uploadId());
            }
        }
        store.bucket().delete(name);
    }
}

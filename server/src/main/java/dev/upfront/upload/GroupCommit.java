package dev.upfront.upload;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.Library;
import dev.upfront.storage.BlobStore;
import dev.upfront.tokens.OneTimeTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Lets concurrent uploads share one database transaction, so one commit (one fsync) makes many records durable.
 * An upload enqueues the work that records it and waits. One platform thread, the committer, takes everything queued
 * as one batch, commits it with {@link Library#writeEach} (each work in a savepoint, so a refused upload fails
 * alone), hands every waiter its outcome, and takes the next batch, until the queue is empty. While one batch
 * commits, the next one gathers, so the batch size follows the load: one at a time when idle, dozens under load.
 *
 * <p>The committer is a platform thread, not one of the uploads' virtual threads: SQLite's driver is native code, so
 * a batch's statements and its commit would pin a carrier for their whole length (on two cores, half the carriers
 * for most of the time), and an upload's thread woken to lead the next batch waited behind every runnable virtual
 * thread.
 *
 * <p>Each upload publishes its blob before it queues, but not durably ({@link BlobStore#publishUnsynced}): the
 * committer makes the blobs of the whole batch durable with one {@link BlobStore#sync}, so a batch costs one blob flush
 * and one commit, not two flushes per upload. The sync runs on its own thread while the batch's statements run, and
 * the commit waits for it: a record never becomes durable before its blob, and the flush costs the batch no time
 * beyond the statements'. When that sync fails, the transaction rolls back and no record of the batch is written:
 * every upload in it fails as storage unavailable (503), and its blob is deleted by its uploader or, after a crash,
 * by the start-up sweep.
 *
 * <p>Works in a batch run in path order: path locks (advisory locks on PostgreSQL) are then taken in one order by
 * every transaction, of any instance, so two batches never wait on each other. Each work runs with the logging
 * context of the upload that queued it (its request id), not the committer's: what it logs and the events it
 * records name that upload's request.
 *
 * <p>An upload authenticated by a one-time credential burns it in the same transaction, so a successful upload
 * costs no commit of its own. The burns of a batch come first, in token order, before any path lock: a burn of a
 * token that another instance's open transaction burned waits for that one, and since every batch takes tokens
 * before paths, each in one order, that wait never closes a cycle. A burn commits even when its upload then fails
 * (the credential is spent whatever the outcome); a burn that meets an earlier one fails its upload with the reuse
 * error before it writes anything. Thread-safe.
 */
final class GroupCommit {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Bounds one transaction's length (and the time its lock is held) under a burst. */
    private static final int MAX_BATCH = 128;

    private final Library library;
    private final BlobStore blobs;
    /**
     * Runs the blob syncs, beside the committer: a platform thread too, since a sync is a native call that would hold a
     * carrier of virtual threads for its whole length.
     */
    private final ExecutorService syncThread = idleEndingThread("upfront-blob-sync");
    private final ExecutorService committer = idleEndingThread("upfront-commit");
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Item<?>> queue = new ArrayDeque<>();
    /** Whether the committer has been given the queue (it clears this when it finds the queue empty). */
    private boolean draining;

    GroupCommit(Library library, BlobStore blobs) {
        this.library = library;
        this.blobs = blobs;
    }

    /** One platform thread that ends after a few idle seconds, so a stopped server leaves none behind. */
    private static ExecutorService idleEndingThread(String name) {
        return new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name(name).daemon().factory());
    }

    /**
     * Runs {@code work}, which writes {@code path}, in the next shared transaction, and returns once that has
     * committed: the result is then durable. Throws what {@code work} threw (its own changes rolled back), or the
     * failure of the whole transaction.
     */
    <T> T commit(String path, Function<Library.Writer, T> work) {
        return commit(path, Optional.empty(), Optional.empty(), work);
    }

    /**
     * As {@link #commit(String, Function)}, burning {@code burn} in the same transaction first; when that meets an
     * earlier burn, {@code work} does not run and the burn's reuse error is thrown. The burn is settled once the
     * transaction committed, whatever {@code work} did. {@code blob}, the blob that {@code work} records, is synced
     * with the batch's others before the transaction commits; when that fails, the transaction rolls back and storage
     * unavailable is thrown (the burn still owed).
     */
    <T> T commit(String path, Optional<OneTimeTokens.Burn> burn, Optional<BlobStore.Unsynced> blob,
                 Function<Library.Writer, T> work) {
        Item<T> item = new Item<>(path, burn.orElse(null), blob.orElse(null), work);
        boolean start;
        lock.lock();
        try {
            queue.add(item);
            start = !draining;
            draining = true;
        } finally {
            lock.unlock();
        }
        if (start) {
            committer.execute(this::drain);
        }
        item.done.join();
        return item.result();
    }

    /** On the committer: commits batches until the queue is empty. */
    private void drain() {
        while (true) {
            List<Item<?>> batch = new ArrayList<>();
            lock.lock();
            try {
                while (batch.size() < MAX_BATCH && !queue.isEmpty()) {
                    batch.add(queue.poll());
                }
                if (batch.isEmpty()) {
                    draining = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                commitBatch(batch);
            } catch (RuntimeException | Error e) {
                // Not expected (commitBatch hands out the transaction's failures itself), but no uploader may wait
                // for ever, and the committer must go on with the queue.
                log.error("A batch of {} uploads failed unexpectedly", batch.size(), e);
                failAll(batch, e);
            }
        }
    }

    /** Gives every item of the batch that has no outcome yet {@code failure} as its own. */
    private static void failAll(List<Item<?>> batch, Throwable failure) {
        for (Item<?> i : batch) {
            i.finish(null, failure);
        }
    }

    /** Every item of the batch gets its outcome, also when the sync or the transaction as a whole fails. */
    private void commitBatch(List<Item<?>> batch) {
        CompletableFuture<Void> synced = syncBlobs(batch);
        List<Item<?>> burning = batch.stream().filter(i -> i.burn != null)
                .sorted(Comparator.comparing(i -> i.burn.token())).toList();
        batch.sort(Comparator.comparing(i -> i.path));
        List<Function<Library.Writer, Object>> works = new ArrayList<>(burning.size() + batch.size());
        // An upload's work reads its path first: the library may lock and probe it with the work's savepoint.
        List<String> firstReads = new ArrayList<>(burning.size() + batch.size());
        for (Item<?> i : burning) {
            works.add(i::burn);
            firstReads.add(null);
        }
        for (Item<?> i : batch) {
            works.add(i::run);
            firstReads.add(i.path);
        }
        List<Library.Outcome<Object>> outcomes;
        try {
            outcomes = library.writeEach(works, firstReads, () -> awaitSync(synced, batch.size()));
        } catch (RuntimeException | Error e) {
            failAll(batch, e);
            return;
        }
        for (Item<?> i : burning) {
            if (i.burnt != null) {
                i.burn.settled();
            }
        }
        for (int n = 0; n < batch.size(); n++) {
            Library.Outcome<Object> outcome = outcomes.get(burning.size() + n);
            batch.get(n).finish(outcome.value(), outcome.failure());
        }
    }

    /**
     * Starts making the batch's blobs durable, all at once, on the sync thread: the disk flushes while the
     * transaction's statements run, and the commit waits for it ({@link #awaitSync}).
     */
    private CompletableFuture<Void> syncBlobs(List<Item<?>> batch) {
        List<BlobStore.Unsynced> unsynced = new ArrayList<>(batch.size());
        for (Item<?> i : batch) {
            if (i.blob != null) {
                unsynced.add(i.blob);
            }
        }
        if (unsynced.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {
            try {
                blobs.sync(unsynced);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, syncThread);
    }

    /** Before the commit: no record may become durable before its blob. A failed sync rolls the whole batch back. */
    private static void awaitSync(CompletableFuture<Void> synced, int uploads) {
        try {
            synced.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                log.error("Making the blobs of {} uploads durable failed; all of them fail", uploads, io.getCause());
                throw new ApiException(ErrorCode.STORAGE_UNAVAILABLE);
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** One queued upload's work, and how its thread learns the outcome. */
    private static final class Item<T> {
        final String path;
        /** The one-time credential to burn first, or null. */
        final OneTimeTokens.Burn burn;
        /** The blob to make durable before the work records it, or null. */
        final BlobStore.Unsynced blob;
        /** Whether the burn was the token's first ({@code true}) or met an earlier one; null until it ran, or if it failed. */
        Boolean burnt;
        private final Function<Library.Writer, T> work;
        /** The queuing thread's logging context (null when empty). */
        private final Map<String, String> context = MDC.getCopyOfContextMap();
        /** Completed once the outcome is set. */
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private Object value;
        private Throwable failure;

        Item(String path, OneTimeTokens.Burn burn, BlobStore.Unsynced blob, Function<Library.Writer, T> work) {
            this.path = path;
            this.burn = burn;
            this.blob = blob;
            this.work = work;
        }

        Object burn(Library.Writer writer) {
            burnt = burn.inTransaction();
            return burnt;
        }

        Object run(Library.Writer writer) {
            if (burn != null && !Boolean.TRUE.equals(burnt)) {
                // Met an earlier burn (or the burn itself failed, rolled back alone): write nothing.
                throw burnt == null ? new IllegalStateException("the one-time credential could not be burned") : burn.reused();
            }
            Map<String, String> committersContext = MDC.getCopyOfContextMap();
            setContext(context);
            try {
                return work.apply(writer);
            } finally {
                setContext(committersContext);
            }
        }

        private static void setContext(Map<String, String> context) {
            if (context == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(context);
            }
        }

        /**
         * Set before the future completes, so the waiting thread sees it (the future orders the two). Only the
         * committer calls it; the first outcome stands.
         */
        void finish(Object value, Throwable failure) {
            if (done.isDone()) {
                return;
            }
            this.value = value;
            this.failure = failure;
            done.complete(null);
        }

        @SuppressWarnings("unchecked")
        T result() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return (T) value;
        }
    }
}

package dev.upfront.upload;

import dev.upfront.library.Library;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Lets concurrent uploads share one database transaction, so one commit (one fsync) makes many records durable.
 * An upload enqueues the work that records it and waits. No thread of its own: the first upload to arrive while no
 * batch is being committed leads: it takes everything queued (its own work included) as one batch, commits it with
 * {@link Library#writeEach} (each work in a savepoint, so a refused upload fails alone), hands every waiter its
 * outcome, then passes the lead to the oldest upload that queued meanwhile. While one batch commits, the next one
 * gathers, so the batch size follows the load: one at a time when idle, dozens under load.
 *
 * <p>Works in a batch run in path order: path locks (advisory locks on PostgreSQL) are then taken in one order by
 * every transaction, of any instance, so two batches never wait on each other. Blob I/O never happens here: each
 * upload publishes its blob before it queues. Each work runs with the logging context of the upload that queued it
 * (its request id), whichever thread leads: what it logs and the events it records name that upload's request.
 * Thread-safe.
 */
final class GroupCommit {
    /** Bounds one transaction's length (and the time its lock is held) under a burst. */
    private static final int MAX_BATCH = 128;

    private final Library library;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Item<?>> queue = new ArrayDeque<>();
    private boolean leading;

    GroupCommit(Library library) {
        this.library = library;
    }

    /**
     * Runs {@code work}, which writes {@code path}, in the next shared transaction, and returns once that has
     * committed: the result is then durable. Throws what {@code work} threw (its own changes rolled back), or the
     * failure of the whole transaction.
     */
    <T> T commit(String path, Function<Library.Writer, T> work) {
        Item<T> item = new Item<>(path, work);
        boolean lead;
        lock.lock();
        try {
            queue.add(item);
            lead = !leading;
            leading = true;
        } finally {
            lock.unlock();
        }
        if (lead || item.signal.join()) {
            lead();
        }
        return item.result();
    }

    /** Commits one batch (the leader's own work is in it: the leader is always the queue's head), then hands on. */
    private void lead() {
        List<Item<?>> batch = new ArrayList<>();
        try {
            lock.lock();
            try {
                while (batch.size() < MAX_BATCH && !queue.isEmpty()) {
                    batch.add(queue.poll());
                }
            } finally {
                lock.unlock();
            }
            commitBatch(batch);
        } finally {
            lock.lock();
            try {
                Item<?> next = queue.peek();
                if (next == null) {
                    leading = false;
                } else {
                    next.signal.complete(true);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Every item of the batch gets its outcome, also when the transaction as a whole fails. */
    private void commitBatch(List<Item<?>> batch) {
        batch.sort(Comparator.comparing(i -> i.path));
        List<Function<Library.Writer, Object>> works = new ArrayList<>(batch.size());
        for (Item<?> i : batch) {
            works.add(i::run);
        }
        List<Library.Outcome<Object>> outcomes;
        try {
            outcomes = library.writeEach(works);
        } catch (RuntimeException | Error e) {
            for (Item<?> i : batch) {
                i.finish(null, e);
            }
            return;
        }
        for (int n = 0; n < batch.size(); n++) {
            batch.get(n).finish(outcomes.get(n).value(), outcomes.get(n).failure());
        }
    }

    /** One queued upload's work, and how its thread learns the outcome (or that it leads the next batch). */
    private static final class Item<T> {
        final String path;
        private final Function<Library.Writer, T> work;
        /** The queuing thread's logging context (null when empty). */
        private final Map<String, String> context = MDC.getCopyOfContextMap();
        /** Completed with true when this item's thread is to lead, with false when its outcome is set. */
        final CompletableFuture<Boolean> signal = new CompletableFuture<>();
        private Object value;
        private Throwable failure;

        Item(String path, Function<Library.Writer, T> work) {
            this.path = path;
            this.work = work;
        }

        Object run(Library.Writer writer) {
            Map<String, String> leader = MDC.getCopyOfContextMap();
            setContext(context);
            try {
                return work.apply(writer);
            } finally {
                setContext(leader);
            }
        }

        private static void setContext(Map<String, String> context) {
            if (context == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(context);
            }
        }

        /** Set before the signal completes, so the waiting thread sees it (the future orders the two). */
        void finish(Object value, Throwable failure) {
            this.value = value;
            this.failure = failure;
            signal.complete(false);
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

package dev.upfront.delivery;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small response bodies kept in memory, bounded by what they cost the heap (bodies, keys and each entry's bookkeeping:
 * a flood of tiny bodies under long keys must not outgrow the bound either), so a hot rendering or original is written
 * straight from memory without touching the blob store. Keys name content that never changes (a blob key, or a
 * version's rendering request; see {@link DeliveryService}), so an entry can never be stale: what decides whether it
 * is still the file's current content is the file lookup, made on every request. Eviction is a CLOCK (second
 * chance) over insertion order: cheap on the hot path (a flag set on a hit), and a body used since its last pass
 * survives one more.
 */
final class HotBodies {
    /**
     * A body and what was decided with it once (for a rendering: its type, its ETag, whether Accept chose the
     * format), so a hit needs neither the planner nor the blob store.
     */
    record Body(ByteBuffer bytes, String mime, String etag, boolean varyAccept) {
        Body {
            bytes = bytes.asReadOnlyBuffer();
        }

        /** A view of the bytes for one response (its own position and limit). */
        ByteBuffer view() {
            return bytes.duplicate();
        }
    }

    /** An entry's heap beyond its body and key: the map's and queue's nodes, the records, the type and ETag strings. */
    static final int ENTRY_OVERHEAD = 256;

    private static final class Entry {
        final Body body;
        final long cost;
        volatile boolean used;

        Entry(Body body, long cost) {
            this.body = body;
            this.cost = cost;
        }
    }

    /** What keeping {@code body} under {@code key} costs against the bound. */
    static long cost(String key, Body body) {
        return body.bytes().remaining() + 2L * key.length() + ENTRY_OVERHEAD;
    }

    private final long maxBytes;
    private final long maxEntryBytes;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();

    /**
     * @param maxBytes what the kept entries may cost in all, bodies and keys (0: keep nothing)
     * @param maxEntryBytes the largest body kept: bigger ones stream from the blob store every time
     */
    HotBodies(long maxBytes, long maxEntryBytes) {
        this.maxBytes = maxBytes;
        this.maxEntryBytes = Math.min(maxEntryBytes, maxBytes);
    }

    /** Whether a body of {@code size} bytes would be kept. */
    boolean fits(long size) {
        return size <= maxEntryBytes;
    }

    Optional<Body> get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!e.used) {
            e.used = true;
        }
        return Optional.of(e.body);
    }

    /** Keeps {@code body} under {@code key} if it fits, evicting others to stay within the bound. */
    void put(String key, Body body) {
        Entry entry = new Entry(body, cost(key, body));
        if (!fits(body.bytes().remaining()) || entry.cost > maxBytes || entries.putIfAbsent(key, entry) != null) {
            return;
        }
        order.add(key);
        bytes.addAndGet(entry.cost);
        evict();
    }

    /** Second chance: an entry used since the last pass goes to the back once; the first unused one is dropped. */
    private void evict() {
        int passes = 0;
        while (bytes.get() > maxBytes) {
            String key = order.poll();
            if (key == null) {
                return;
            }
            Entry e = entries.get(key);
            if (e == null) {
                continue;
            }
            if (e.used && passes++ < 4 * Math.max(16, entries.size())) {
                e.used = false;
                order.add(key);
                continue;
            }
            if (entries.remove(key, e)) {
                bytes.addAndGet(-e.cost);
            }
        }
    }

    /** What the entries kept now cost (at most the bound once a put returns). */
    long bytes() {
        return bytes.get();
    }

    int size() {
        return entries.size();
    }
}

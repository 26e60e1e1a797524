package dev.upfront.transform;

import dev.upfront.storage.BlobStore;
import dev.upfront.storage.StagedBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The renderings, kept in a {@link BlobStore} and capped at {@code maxBytes}: when a new rendering takes the total
 * over the cap, the least recently used ones are deleted. Works only through the store's port (find, publish,
 * delete), so it works the same on the data folder or a bucket. The LRU index lives in memory: renderings found
 * after a restart join it when first served, and {@link #adopt} adds the ones listed at start-up (as the oldest).
 */
public final class RenderCache {
    private static final Logger log = LoggerFactory.getLogger(RenderCache.class);

    private final BlobStore store;
    private final long maxBytes;
    /** key → size in bytes, least recently used first. Guarded by {@code this}. */
    private final LinkedHashMap<String, Long> lru = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    public RenderCache(BlobStore store, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the cache needs a positive size");
        }
        this.store = store;
        this.maxBytes = maxBytes;
    }

    /** The rendering under {@code key}, marked as just used; empty on a miss. */
    public Optional<BlobStore.Blob> find(String key) {
        Optional<BlobStore.Blob> blob = lookup(key);
        if (blob.isPresent()) {
            hits.incrementAndGet();
            record(key, blob.get().size());
        } else {
            misses.incrementAndGet();
        }
        return blob;
    }

    /** Counts a hit served from a copy kept elsewhere (delivery's memory), so the hit metric covers every hit. */
    public void countHit() {
        hits.incrementAndGet();
    }

    /** Like {@link #find} without counting a hit or a miss (a second look by the render that is about to run). */
    Optional<BlobStore.Blob> peek(String key) {
        Optional<BlobStore.Blob> blob = lookup(key);
        blob.ifPresent(b -> record(key, b.size()));
        return blob;
    }

    /** Stores a rendering (an identical one stored meanwhile is fine) and returns it; may evict older ones. */
    public BlobStore.Blob put(String key, byte[] rendering) {
        try (StagedBlob staged = store.stage(key)) {
            staged.write(ByteBuffer.wrap(rendering));
            staged.finish();
            try {
                store.publish(staged);
            } catch (IllegalStateException raced) {
                // another instance stored the same rendering first: same bytes, nothing to do
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BlobStore.Blob blob = lookup(key).orElseThrow(() -> new IllegalStateException("rendering vanished from the cache"));
        record(key, blob.size());
        evict(key);
        return blob;
    }

    /**
     * Adds renderings that were in the store before this process started (listed by the start-up sweep) as the
     * least recently used, then evicts down to the cap. Reads each one's size: call it off the request path.
     */
    public void adopt(Collection<String> keys) {
        Map<String, Long> found = new LinkedHashMap<>();
        for (String key : keys) {
            lookup(key).ifPresent(blob -> found.put(key, blob.size()));
        }
        synchronized (this) {
            List<Map.Entry<String, Long>> recent = new ArrayList<>(lru.entrySet());
            lru.clear();
            bytes = 0;
            found.forEach(this::add);
            recent.forEach(e -> add(e.getKey(), e.getValue()));
        }
        evict(null);
    }

    /** Deletes every rendering whose key starts with {@code prefix} (a version id). */
    public void deleteWithPrefix(String prefix) throws IOException {
        store.deleteWithPrefix(prefix);
        synchronized (this) {
            Iterator<Map.Entry<String, Long>> it = lru.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                if (e.getKey().startsWith(prefix)) {
                    bytes -= e.getValue();
                    it.remove();
                }
            }
        }
    }

    private synchronized void record(String key, long size) {
        Long old = lru.get(key); // an access: moves it to the most recent end
        if (old == null) {
            add(key, size);
        }
    }

    private void add(String key, long size) {
        Long old = lru.put(key, size);
        bytes += size - (old == null ? 0 : old);
    }

    /** Deletes least recently used renderings while over the cap, never {@code keep} (the one just stored). */
    private void evict(String keep) {
        while (true) {
            String victim;
            synchronized (this) {
                if (bytes <= maxBytes) {
                    return;
                }
                victim = lru.keySet().stream().filter(k -> !k.equals(keep)).findFirst().orElse(null);
                if (victim == null) {
                    return;
                }
                bytes -= lru.remove(victim);
            }
            try {
                store.delete(victim);
                evictions.incrementAndGet();
            } catch (IOException e) {
                log.warn("Could not evict rendering {}: {}", victim, e.toString());
            }
        }
    }

    private Optional<BlobStore.Blob> lookup(String key) {
        try {
            return store.find(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of renderings the index knows (metrics). */
    public synchronized long bytes() {
        return bytes;
    }

    /** Renderings the index knows (metrics). */
    public synchronized int entries() {
        return lru.size();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Lookups that found a rendering (metrics). */
    public long hits() {
        return hits.get();
    }

    /** Lookups that found none (metrics). */
    public long misses() {
        return misses.get();
    }

    /** Renderings deleted to stay under the cap (metrics). */
    public long evictions() {
        return evictions.get();
    }
}

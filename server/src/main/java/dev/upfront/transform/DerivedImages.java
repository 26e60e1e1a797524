package dev.upfront.transform;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.StagedBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derived images: rendered once, kept in a blob store under {@code <versionId><hash of the normalised
 * transformation and format>}, served from there afterwards. Concurrent identical first requests wait for one
 * render (single flight). Renders run on a bounded pool of platform threads (native calls pin virtual threads)
 * and a request waits at most {@code timeout}. A new version has a new id, so it never meets an old rendering;
 * deleting a version deletes its renderings.
 */
public final class DerivedImages implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DerivedImages.class);

    private final BlobStore cache;
    private final ImageBackend backend;
    private final ExecutorService workers;
    private final Duration timeout;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong renders = new AtomicLong();

    public DerivedImages(BlobStore cache, ImageBackend backend, int threads, Duration timeout) {
        this.cache = cache;
        this.backend = backend;
        this.timeout = timeout;
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "upfront-render");
            t.setDaemon(true);
            return t;
        });
    }

    public ImageBackend backend() {
        return backend;
    }

    /** How many renders ran (cache misses that did the work). */
    public long renders() {
        return renders.get();
    }

    /** The cache key of a rendering: the version id, then a digest of what was asked. */
    public static String key(String versionId, String canonical, Plan plan) {
        String asked = canonical + "|" + plan.format() + "|" + plan.quality() + "|" + plan.ops();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(asked.getBytes(StandardCharsets.UTF_8));
            return versionId + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The rendering under {@code key}, rendering it first from {@code source} if needed.
     *
     * @param source the original's bytes, read only on a miss
     */
    public BlobStore.Blob get(String key, Plan plan, Supplier<byte[]> source) {
        Optional<BlobStore.Blob> cached = find(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
            running = mine;
            workers.execute(() -> {
                try {
                    if (find(key).isEmpty()) {
                        store(key, render(source.get(), plan));
                    }
                    mine.complete(null);
                } catch (Throwable e) {
                    mine.completeExceptionally(e);
                } finally {
                    inFlight.remove(key, mine);
                }
            });
        }
        await(running);
        return find(key).orElseThrow(() -> new IllegalStateException("rendering vanished from the cache"));
    }

    /**
     * Renders once, not cached, on the same bounded pool and with the same time limit as cached renderings: an
     * upload's pre-transformation, whose result becomes the file itself.
     */
    public byte[] renderUncached(Supplier<byte[]> source, Plan plan) {
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        workers.execute(() -> {
            try {
                out.complete(render(source.get(), plan));
            } catch (Throwable e) {
                out.completeExceptionally(e);
            }
        });
        return await(out);
    }

    /** Waits for a render on the pool, at most {@code timeout}; its failures become the client's 4xx where they are. */
    private <T> T await(CompletableFuture<T> running) {
        try {
            return running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(ErrorCode.TRANSFORM_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.TRANSFORM_TIMEOUT);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            if (e.getCause() instanceof ImageBackend.ImageException image) {
                throw new ApiException(ErrorCode.IMAGE_UNREADABLE, image.getMessage() + ".");
            }
            throw new IllegalStateException("render failed", e.getCause());
        }
    }

    private byte[] render(byte[] source, Plan plan) throws ImageBackend.ImageException {
        renders.incrementAndGet();
        long start = System.nanoTime();
        byte[] out = backend.render(source, plan);
        log.debug("Rendered {}x{} {} in {} ms", plan.width(), plan.height(), plan.format(), (System.nanoTime() - start) / 1_000_000);
        return out;
    }

    private void store(String key, byte[] bytes) throws IOException {
        try (StagedBlob staged = cache.stage()) {
            staged.write(ByteBuffer.wrap(bytes));
            staged.finish();
            try {
                cache.publish(staged, key);
            } catch (IllegalStateException raced) {
                // another instance stored the same rendering first: same bytes, nothing to do
            }
        }
    }

    private Optional<BlobStore.Blob> find(String key) {
        try {
            return cache.find(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets every rendering of a version (called when the version or its file is deleted). */
    public void invalidate(String versionId) {
        try {
            cache.deleteWithPrefix(versionId);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Could not drop renderings of {}: {}", versionId, e.toString());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}

package dev.upfront.transform;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.storage.BlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derived images: rendered once, kept in a {@link RenderCache} under {@code <versionId><hash of the normalised
 * transformation and format>}, served from there afterwards. Concurrent identical first requests wait for one
 * render (single flight). A new version has a new id, so it never meets an old rendering; deleting a version
 * deletes its renderings.
 *
 * <p>Renders run on platform threads (native calls pin virtual threads) in two lanes chosen by
 * {@link RenderCost}: costly renders have their own few threads, so however many of them clients send, cheap ones
 * (thumbnails) keep their threads. Each lane has a bounded queue; a full queue answers 503 with Retry-After at once
 * instead of piling up work. Every render has a deadline ({@code timeout} from when it was queued): past it, the
 * backend stops (libvips's kill flag, or the Java backend's checks) and the request gets a 503.
 */
public final class DerivedImages implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DerivedImages.class);
    /** The waiting request gives the render this long after its deadline to stop and say so. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final RenderCache cache;
    private final ImageBackend backend;
    private final ThreadPoolExecutor cheap;
    private final ThreadPoolExecutor expensive;
    private final ScheduledExecutorService deadlines;
    private final Duration timeout;
    private final ConcurrentHashMap<String, CompletableFuture<BlobStore.Blob>> inFlight = new ConcurrentHashMap<>();
    /** Deadlines of renders queued or running: closing cancels them, so native work stops with the server. */
    private final Set<Deadline> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong renders = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    /**
     * @param threads the cheap lane's threads; the expensive lane gets half as many (at least one)
     * @param timeout how long a render may take from being queued
     */
    public DerivedImages(RenderCache cache, ImageBackend backend, int threads, Duration timeout) {
        this.cache = cache;
        this.backend = backend;
        this.timeout = timeout;
        this.cheap = lane("upfront-render", threads, threads * 16);
        int costly = Math.max(1, threads / 2);
        this.expensive = lane("upfront-render-costly", costly, costly * 2);
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "upfront-render-deadline"));
    }

    private static ThreadPoolExecutor lane(String name, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                r -> daemon(r, name), new ThreadPoolExecutor.AbortPolicy());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public ImageBackend backend() {
        return backend;
    }

    public RenderCache cache() {
        return cache;
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
     * @param cost the plan's {@link RenderCost}, which picks the lane
     * @param source the original's bytes, read only on a miss
     */
    public BlobStore.Blob get(String key, Plan plan, long cost, Supplier<byte[]> source) {
        Optional<BlobStore.Blob> cached = cache.find(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        CompletableFuture<BlobStore.Blob> mine = new CompletableFuture<>();
        CompletableFuture<BlobStore.Blob> running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
            running = mine;
            CompletableFuture<BlobStore.Blob> result = mine;
            run(cost, result, deadline -> {
                Optional<BlobStore.Blob> stored = cache.peek(key);
                return stored.isPresent() ? stored.get() : cache.put(key, render(source.get(), plan, deadline));
            }, () -> inFlight.remove(key, result));
        }
        return await(running);
    }

    /**
     * Renders once, not cached, on the same bounded pool and with the same time limit as cached renderings: an
     * upload's pre-transformation, whose result becomes the file itself.
     */
    public byte[] renderUncached(Supplier<byte[]> source, Plan plan, long cost) {
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        run(cost, out, deadline -> render(source.get(), plan, deadline), () -> { });
        return await(out);
    }

    /** A render's work, given the deadline it must stop at. */
    private interface RenderWork<T> {
        T run(Deadline deadline) throws Exception;
    }

    /** Waits for a render on the pool, at most {@code timeout}; its failures become the client's 4xx where they are. */
    private <T> T await(CompletableFuture<T> running) {
        try {
            return running.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
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

    /**
     * Runs {@code work} in the lane its cost picks, under a deadline that stops it when it passes; completes
     * {@code result}, or fails it with RENDER_BUSY at once when the lane's queue is full.
     */
    private <T> void run(long cost, CompletableFuture<T> result, RenderWork<T> work, Runnable done) {
        Deadline deadline = Deadline.after(timeout);
        pending.add(deadline);
        ScheduledFuture<?> alarm = deadlines.schedule(deadline::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        Runnable task = () -> {
            try {
                result.complete(work.run(deadline));
            } catch (ImageBackend.ImageException e) {
                if (deadline.passed()) {
                    timedOut.incrementAndGet();
                    result.completeExceptionally(new ApiException(ErrorCode.TRANSFORM_TIMEOUT));
                } else {
                    result.completeExceptionally(e);
                }
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                alarm.cancel(false);
                pending.remove(deadline);
                done.run();
            }
        };
        try {
            (cost >= RenderCost.EXPENSIVE ? expensive : cheap).execute(task);
        } catch (RejectedExecutionException full) {
            alarm.cancel(false);
            pending.remove(deadline);
            rejected.incrementAndGet();
            done.run();
            result.completeExceptionally(new ApiException(ErrorCode.RENDER_BUSY));
        }
    }

    private byte[] render(byte[] source, Plan plan, Deadline deadline) throws ImageBackend.ImageException {
        renders.incrementAndGet();
        long start = System.nanoTime();
        byte[] out = backend.render(source, plan, deadline);
        log.debug("Rendered {}x{} {} in {} ms", plan.width(), plan.height(), plan.format(), (System.nanoTime() - start) / 1_000_000);
        return out;
    }

    /** Forgets every rendering of a version (called when the version or its file is deleted). */
    public void invalidate(String versionId) {
        try {
            cache.deleteWithPrefix(versionId);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Could not drop renderings of {}: {}", versionId, e.toString());
        }
    }

    /** How many renders ran (cache misses that did the work). */
    public long renders() {
        return renders.get();
    }

    /** Renders refused because their lane's queue was full (metrics). */
    public long rejected() {
        return rejected.get();
    }

    /** Renders stopped at their deadline (metrics). */
    public long timedOut() {
        return timedOut.get();
    }

    /** Renders waiting for a thread, both lanes (metrics). */
    public int queued() {
        return cheap.getQueue().size() + expensive.getQueue().size();
    }

    /** How many costly renders can run or wait at once; more are refused with 503 (metrics, tests). */
    public int expensiveCapacity() {
        return expensive.getMaximumPoolSize() + expensive.getQueue().remainingCapacity() + expensive.getQueue().size();
    }

    /** Renders running now in the cheap lane (metrics). */
    public int runningCheap() {
        return cheap.getActiveCount();
    }

    /** Renders running now in the expensive lane (metrics). */
    public int runningExpensive() {
        return expensive.getActiveCount();
    }

    @Override
    public void close() {
        cheap.shutdownNow();
        expensive.shutdownNow();
        deadlines.shutdownNow();
        pending.forEach(Deadline::cancel);
    }
}

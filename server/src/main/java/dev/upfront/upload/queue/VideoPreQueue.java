package dev.upfront.upload.queue;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.events.UploadEvents;
import dev.upfront.ids.Ids;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryFile;
import dev.upfront.storage.BlobStore;
import dev.upfront.upload.StagedUpload;
import dev.upfront.upload.UploadOptions;
import dev.upfront.upload.transform.UploadTransforms;
import dev.upfront.video.Ffmpeg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Video uploads with a {@code pre} transformation, queued durably: when the upload answers 202, its bytes are a
 * published blob and the job a row in {@link PreJobs}, so a restart or a crash loses nothing. A worker on each
 * instance claims due jobs under a lease (renewed while ffmpeg runs), at most {@code concurrency} at once, and runs
 * each: transcode, store the result as the upload's file, then remove the job and announce the outcome. On start
 * it resumes what is unfinished: at once where no other live process can hold a claim (SQLite; a locked data
 * folder), else when the dead holder's lease runs out.
 *
 * <p>The stored file's version id is fixed when the job is queued, so an attempt that finds it stored (its
 * predecessor died after the commit) only announces it. The job's removal is the point of no return: only the
 * worker whose claim removes the row announces, so an outcome is announced once, even when a lost lease let two
 * workers run the job; a crash in the instant between the removal and the announcement loses the announcement
 * (never the file). A failure of ffmpeg (or its timeout), or a refusal by the library (the file exists and
 * {@code overwriteFile} is false), is final; an outage (database, storage) is retried, at most
 * {@link #MAX_ATTEMPTS} claims in all, counting claims of workers that died.
 */
public final class VideoPreQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VideoPreQueue.class);
    /** Claims a job gets in all (each crash while it ran counts one; a graceful stop gives its claim back uncounted). */
    public static final int MAX_ATTEMPTS = 3;
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(30);
    /** The logging context key of the request id, which events carry as {@code x_request_id}. */
    private static final String REQUEST_ID = "requestId";

    /** Where a transcoded upload is stored and announced (the upload service). */
    public interface Store {
        /** Stores {@code transformed} as the upload's file, as a direct upload would be; the commit is final. */
        LibraryFile storeTransformed(UploadOptions options, StagedUpload transformed);

        /** Announces {@code upload.pre-transform.success} for the stored file (its {@code file.*} event committed with it) and starts {@code post}. */
        void announceTransformed(LibraryFile stored, UploadOptions options);
    }

    private final PreJobs jobs;
    private final BlobStore blobs;
    private final Library library;
    private final UploadTransforms transforms;
    private final UploadEvents events;
    private final InstantSource clock;
    private final String home;
    private final boolean homeExclusive;
    private final Duration lease;
    private final int concurrency;
    /** Running jobs: id → the claim they run under. */
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean closed;
    private volatile Store store;
    private Thread worker;

    /**
     * @param home          where this instance's sources can be read from ('' when every instance can)
     * @param homeExclusive no other live process works on {@code home} (so claims found at start are a dead
     *                      process's, released at once)
     * @param lease         how long a claim holds without renewal (renewed every third of it)
     */
    public VideoPreQueue(PreJobs jobs, BlobStore blobs, Library library, UploadTransforms transforms, UploadEvents events,
                         InstantSource clock, String home, boolean homeExclusive, Duration lease, int concurrency) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.library = library;
        this.transforms = transforms;
        this.events = events;
        this.clock = clock;
        this.home = home;
        this.homeExclusive = homeExclusive;
        this.lease = lease;
        this.concurrency = Math.max(1, concurrency);
    }

    /**
     * Queues {@code staged} (a video) for {@code options.transformation().pre()}: its bytes are published as the
     * job's source and the job recorded before this returns (the caller answers 202).
     */
    public void enqueue(UploadOptions options, StagedUpload staged) {
        transforms.checkVideoPre(options.transformation().pre(), staged.size());
        String sourceKey = staged.blob().key();
        try {
            blobs.publish(staged.blob());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the video for its pre-transformation", e);
        }
        Instant now = clock.instant();
        PreJob job = new PreJob(Ids.objectId(), sourceKey, staged.size(), staged.checksum(), staged.type().mime(), Ids.objectId(),
                options, MDC.get(REQUEST_ID), 0, now);
        try {
            jobs.add(job, home, now);
        } catch (RuntimeException e) {
            // No job names the source: it goes now (or, if this fails too, with the start-up sweep or the janitor).
            deleteQuietly(sourceKey, e);
            throw e;
        }
        log.info("Video pre-transformation {} queued for {}", job.jobId(), options.folder() + options.fileName());
        wake();
    }

    /** Starts the worker, which first resumes unfinished jobs. */
    public void start(Store store) {
        this.store = store;
        if (homeExclusive) {
            int released = jobs.releaseAll(home);
            if (released > 0) {
                log.info("Resuming {} video pre-transformation(s) that an earlier run had started", released);
            }
        }
        worker = Thread.ofPlatform().daemon().name("upfront-video-queue").start(this::loop);
    }

    private void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        Instant renewAt = clock.instant().plus(lease.dividedBy(3));
        while (!closed) {
            try {
                if (!clock.instant().isBefore(renewAt)) {
                    renewAll();
                    renewAt = clock.instant().plus(lease.dividedBy(3));
                }
                claimAndStart();
            } catch (RuntimeException | OutOfMemoryError e) {
                // Out of memory is this thread's moment too, not its end: the queue's jobs must still run.
                log.warn("Video queue: {} (trying again shortly)", e.toString());
            }
            try {
                synchronized (signal) {
                    if (!woken) {
                        signal.wait(POLL.toMillis());
                    }
                    woken = false;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void renewAll() {
        Instant until = clock.instant().plus(lease);
        running.forEach((jobId, claim) -> {
            if (!jobs.renew(jobId, claim, until)) {
                log.warn("Video pre-transformation {} lost its claim (another instance may run it now)", jobId);
            }
        });
    }

    private void claimAndStart() {
        int free = concurrency - running.size();
        if (free <= 0) {
            return;
        }
        String claim = Ids.objectId();
        List<PreJob> claimed = jobs.claim(home, claim, clock.instant(), lease, free);
        for (PreJob job : claimed) {
            running.put(job.jobId(), claim);
            threads.put(job.jobId(), Thread.ofVirtual().name("upfront-video-pre").start(() -> {
                try {
                    run(job, claim);
                } finally {
                    running.remove(job.jobId());
                    threads.remove(job.jobId());
                    wake();
                }
            }));
        }
    }

    private void run(PreJob job, String claim) {
        if (job.requestId() != null) {
            MDC.put(REQUEST_ID, job.requestId());
        }
        UploadOptions options = job.options();
        String pre = options.transformation().pre();
        try {
            Optional<LibraryFile> stored = storedEarlier(job);
            if (stored.isEmpty()) {
                if (job.attempts() > MAX_ATTEMPTS) {
                    log.warn("Video pre-transformation {} gave up after {} attempts", job.jobId(), MAX_ATTEMPTS);
                    fail(job, claim, "encoding_failed");
                    return;
                }
                try (StagedUpload result = transforms.preVideo(pre, job.sourceKey(), job.resultKey())) {
                    stored = Optional.of(store.storeTransformed(options, result));
                }
            }
            if (jobs.finish(job.jobId(), claim)) {
                log.info("Video pre-transformation {} stored as {}", job.jobId(), stored.get().file().filePath());
                store.announceTransformed(stored.get(), options);
                deleteQuietly(job.sourceKey(), null);
            }
        } catch (RuntimeException e) {
            failedAttempt(job, claim, e);
        } finally {
            MDC.remove(REQUEST_ID);
        }
    }

    private void failedAttempt(PreJob job, String claim, RuntimeException e) {
        if (closed) {
            // Shutting down interrupted it: the next start (or another instance) runs it again, this try not counted.
            jobs.giveBack(job.jobId(), claim);
            return;
        }
        if (e instanceof Ffmpeg.Failure f) {
            fail(job, claim, f.reason());
        } else if (e instanceof ApiException a && a.code() != ErrorCode.DATABASE_UNAVAILABLE
                && a.code() != ErrorCode.STORAGE_UNAVAILABLE) {
            fail(job, claim, a.getMessage());
        } else if (job.attempts() >= MAX_ATTEMPTS) {
            log.error("Video pre-transformation {} failed", job.jobId(), e);
            fail(job, claim, "internal_server_error");
        } else {
            log.warn("Video pre-transformation {} failed (attempt {} of {}, tried again in {} s): {}", job.jobId(),
                    job.attempts(), MAX_ATTEMPTS, RETRY_DELAY.toSeconds(), e.toString());
            try {
                jobs.retryAt(job.jobId(), claim, clock.instant().plus(RETRY_DELAY));
            } catch (RuntimeException again) {
                log.warn("Video pre-transformation {}: {} (its lease runs out instead)", job.jobId(), again.toString());
            }
        }
    }

    /** The result an earlier attempt committed before it died, if any. */
    private Optional<LibraryFile> storedEarlier(PreJob job) {
        return library.findVersion(job.resultKey());
    }

    private void fail(PreJob job, String claim, String reason) {
        try {
            if (jobs.finish(job.jobId(), claim)) {
                UploadOptions o = job.options();
                log.info("Video pre-transformation {} failed: {}", job.jobId(), reason);
                events.preTransformFailed(o.fileName(), o.folder() + o.fileName(), o.transformation().pre(), reason, o.webhookUrl());
                deleteQuietly(job.sourceKey(), null);
            }
        } catch (RuntimeException e) {
            log.warn("Video pre-transformation {}: {} (tried again when its lease runs out)", job.jobId(), e.toString());
        }
    }

    /** Deletes a source no job names any more; one left behind is an orphan for the start-up sweep or the janitor. */
    private void deleteQuietly(String key, RuntimeException cause) {
        try {
            blobs.delete(key);
        } catch (IOException | RuntimeException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            } else {
                log.warn("Could not delete the source {} of a finished video pre-transformation: {}", key, e.toString());
            }
        }
    }

    /** Stops the worker; running jobs are interrupted (their ffmpeg stopped) and let go for the next start. */
    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            worker.interrupt();
        }
        threads.values().forEach(Thread::interrupt);
        for (Thread t : List.copyOf(threads.values())) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

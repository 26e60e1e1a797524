package dev.upfront.upload.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The durable queue of video pre-transformations, shared by the instances of one database. A job is run under a
 * claim that holds for a lease: one worker at a time runs it, and a worker that died lets its jobs go when the lease
 * runs out. Jobs are kept per {@code home}: where their source blob can be read ('' when every instance can).
 */
public interface PreJobs {

    /** Records a new job, due now. */
    void add(PreJob job, String home, Instant now);

    /** Claims up to {@code limit} due jobs of {@code home} for {@code lease}; counts the attempt. */
    List<PreJob> claim(String home, String claim, Instant now, Duration lease, int limit);

    /** Extends the claim on a running job; false when the claim was lost (the lease ran out and another took it). */
    boolean renew(String jobId, String claim, Instant until);

    /** Lets the job go, to be claimed again from {@code next}. */
    void retryAt(String jobId, String claim, Instant next);

    /**
     * Lets the job go at once without counting the attempt its claim made: a graceful stop interrupted it, which
     * says nothing about the job (a crash's claim still counts, as its worker cannot give it back).
     */
    void giveBack(String jobId, String claim);

    /**
     * Removes the job, only while {@code claim} still holds it: true for exactly one caller, which then announces
     * the outcome (so an outcome is announced once, even if a lost lease let another worker run the job too).
     */
    boolean finish(String jobId, String claim);

    /** Drops every claim on the jobs of {@code home}: at start, when no other live process can hold one. */
    int releaseAll(String home);

    /** Of {@code blobKeys}, those that a job holds as its source (the start-up sweep and the janitor keep them). */
    Set<String> sources(Collection<String> blobKeys);
}

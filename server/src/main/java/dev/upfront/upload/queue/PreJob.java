package dev.upfront.upload.queue;

import dev.upfront.upload.UploadOptions;
import java.time.Instant;

/**
 * A video upload whose {@code pre} transformation was queued (the upload answered 202).
 *
 * @param sourceKey   the blob holding the uploaded bytes until the job ends
 * @param resultKey   the version id the transcoded file is stored under: fixed when the job is queued, so an attempt
 *                    that finds it stored already (its predecessor died after the commit) does not store it again
 * @param requestId   the upload's {@code x-request-id}, which the job's events carry; null when it had none
 * @param attempts    claims so far, this one included
 */
public record PreJob(String jobId, String sourceKey, long sourceSize, String sourceChecksum, String sourceMime, String resultKey,
                     UploadOptions options, String requestId, int attempts, Instant createdAt) {}

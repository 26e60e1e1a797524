package dev.upfront.events;

import dev.upfront.library.LibraryFile;

/**
 * What happens to an upload's transformations: ImageKit announces each with its own
 * {@code upload.pre-transform.*} / {@code upload.post-transform.*} webhook. Every method takes the upload's own
 * {@code webhookUrl} (null when it had none), which receives the event as well as the account's endpoints.
 * Implementations must not throw.
 */
public interface UploadEvents {

    /** {@code pre} was applied and {@code file} is the stored result. */
    void preTransformSucceeded(LibraryFile file, String pre, String webhookUrl);

    /**
     * {@code pre} could not be applied, so nothing was stored.
     *
     * @param filePath where the file would have been stored
     */
    void preTransformFailed(String name, String filePath, String pre, String reason, String webhookUrl);

    /**
     * @param type {@code transformation}, {@code thumbnail}, {@code gif-to-video} or {@code abs}
     * @param value the post entry's transformation, null when it had none
     */
    void postTransformSucceeded(LibraryFile file, String type, String value, String webhookUrl);

    /** @param reason why the rendition could not be produced, for the client */
    void postTransformFailed(LibraryFile file, String type, String value, String reason, String webhookUrl);
}

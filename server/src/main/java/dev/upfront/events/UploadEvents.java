package dev.upfront.events;

import dev.upfront.library.LibraryFile;

/**
 * What happens to an upload after its response: one call per post-transformation (ImageKit announces each with its
 * own {@code upload.post-transform.success} / {@code .error} webhook). Implementations must not throw.
 */
public interface UploadEvents {

    /**
     * @param type {@code transformation}, {@code thumbnail}, {@code gif-to-video} or {@code abs}
     * @param value the post entry's transformation, null when it had none
     */
    void postTransformSucceeded(LibraryFile file, String type, String value);

    /** @param reason why the rendition could not be produced, for the client */
    void postTransformFailed(LibraryFile file, String type, String value, String reason);
}

package dev.upfront.events;

import dev.upfront.library.LibraryFile;

/**
 * Changes to the library that ImageKit announces as {@code file.*} and {@code file-version.*} webhooks. Services
 * call it right after their transaction commits. Implementations must not throw.
 */
public interface FileEvents {

    /** Announces nothing (tests and tools that have no webhooks). */
    FileEvents NONE = new FileEvents() {
        @Override
        public void created(LibraryFile file, String webhookUrl) { }

        @Override
        public void versionCreated(LibraryFile file, String webhookUrl) { }

        @Override
        public void updated(LibraryFile file, String webhookUrl) { }

        @Override
        public void deleted(String fileId) { }

        @Override
        public void versionDeleted(String fileId, String versionId) { }
    };

    /**
     * An upload created a new file.
     *
     * @param webhookUrl the upload's own {@code webhookUrl}, which receives the event too; null when it had none
     */
    void created(LibraryFile file, String webhookUrl);

    /** An upload (or a restore) made {@code file}'s version current; {@code webhookUrl} as in {@link #created}. */
    void versionCreated(LibraryFile file, String webhookUrl);

    /**
     * Details, tags, metadata or the path of the file changed.
     *
     * @param webhookUrl the {@code webhookUrl} of the details update that changed it, which receives the event too;
     *                   null when none
     */
    void updated(LibraryFile file, String webhookUrl);

    void deleted(String fileId);

    void versionDeleted(String fileId, String versionId);
}

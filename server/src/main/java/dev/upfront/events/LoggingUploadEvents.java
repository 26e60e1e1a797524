package dev.upfront.events;

import dev.upfront.library.LibraryFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Upload events written to the log only, until webhooks deliver them. */
public final class LoggingUploadEvents implements UploadEvents {
    private static final Logger log = LoggerFactory.getLogger(LoggingUploadEvents.class);

    @Override
    public void postTransformSucceeded(LibraryFile file, String type, String value) {
        log.info("Post-transformation {} {} of {} is ready", type, value, file.file().fileId());
    }

    @Override
    public void postTransformFailed(LibraryFile file, String type, String value, String reason) {
        log.warn("Post-transformation {} {} of {} failed: {}", type, value, file.file().fileId(), reason);
    }
}

package dev.upfront.library;

/**
 * A change to the library that is announced to the outside (ImageKit's {@code file.*} and {@code file-version.*}
 * webhooks). A write records it with {@link Library.Writer#record} in the transaction that makes the change, so the
 * announcement commits with the change or not at all.
 *
 * <p>{@code callbackUrl} is where the request that made the change asked to be told as well (an upload's or a
 * details update's own {@code webhookUrl}); null when it named none.
 */
public sealed interface LibraryEvent {

    /** An upload or a copy created {@code file}. */
    record FileCreated(LibraryFile file, String callbackUrl) implements LibraryEvent {}

    /** An upload, a restore, or a copy onto an existing file made {@code file}'s version current. */
    record VersionCreated(LibraryFile file, String callbackUrl) implements LibraryEvent {}

    /** Details, tags, metadata, publication or the path of {@code file} changed; {@code file} as it is now. */
    record FileUpdated(LibraryFile file, String callbackUrl) implements LibraryEvent {}

    record FileDeleted(String fileId) implements LibraryEvent {}

    record VersionDeleted(String fileId, String versionId) implements LibraryEvent {}
}

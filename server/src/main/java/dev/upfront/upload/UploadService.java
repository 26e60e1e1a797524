package dev.upfront.upload;

import dev.upfront.error.ApiException;
import dev.upfront.fields.CustomFields;
import dev.upfront.error.ErrorCode;
import dev.upfront.events.UploadEvents;
import dev.upfront.ids.Ids;
import dev.upfront.inspect.MediaInfo;
import dev.upfront.inspect.MediaInspector;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryEvent;
import dev.upfront.library.LibraryFile;
import dev.upfront.library.StoredFile;
import dev.upfront.storage.BlobStore;
import dev.upfront.tokens.OneTimeTokens;
import dev.upfront.upload.queue.VideoPreQueue;
import dev.upfront.upload.transform.UploadTransformation;
import dev.upfront.upload.transform.UploadTransforms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a staged upload into a library file: names it, publishes the blob, then commits the records, which decide
 * between a new file and a new version. The blob becomes visible under its key (atomic rename) on the request's own
 * thread, outside any lock, but not yet durable; the records of concurrent uploads commit together
 * ({@link GroupCommit}: one transaction and one fsync for many), whose committing thread makes all their blobs durable
 * at once (one {@code syncfs} on the local filesystem), each record then checked under its path's lock inside that
 * transaction, so the version rules see a consistent library. The 200 comes only after the commit. A blob whose
 * record does not commit is deleted again (unless a record references it after all); a crash in between leaves an
 * orphaned (perhaps partial) blob that the start-up sweep removes: never a record without its bytes. An upload
 * refused by the records (an existing file, the version limit) has paid for a publish it did not need; those are
 * rare.
 */
public final class UploadService implements VideoPreQueue.Store {
    private final Library library;
    private final BlobStore blobs;
    private final MediaInspector inspector;
    private final InstantSource clock;
    private final int maxVersions;
    private final CustomFields customFields;
    private final UploadTransforms transformations;
    private final UploadEvents uploadEvents;
    private final GroupCommit commits;
    private final VideoPreQueue videoQueue;

    public UploadService(Library library, BlobStore blobs, MediaInspector inspector, CustomFields customFields, InstantSource clock,
                         int maxVersions, UploadTransforms transformations, UploadEvents uploadEvents,
                         VideoPreQueue videoQueue) {
        this.library = library;
        this.videoQueue = videoQueue;
        this.commits = new GroupCommit(library, blobs);
        this.uploadEvents = uploadEvents;
        this.transformations = transformations;
        this.customFields = customFields;
        this.blobs = blobs;
        this.inspector = inspector;
        this.clock = clock;
        this.maxVersions = maxVersions;
    }

    /**
     * Stores the upload, or queues it: a video with a {@code pre} transformation is stored once ffmpeg has
     * transformed it, in the background, and announced by {@code upload.pre-transform.*} (ImageKit's 202).
     *
     * @param burn the one-time credential the request owes a burn for: burned in the transaction that records the
     *     upload (or on its own before a queued upload is answered); a burn that meets an earlier one fails the
     *     upload with the reuse error, nothing recorded and the blob deleted. When this throws before that, the
     *     burn is still owed: the caller burns it on its own.
     * @return the stored file; empty when it was queued
     */
    public Optional<LibraryFile> store(UploadOptions options, StagedUpload staged, Optional<OneTimeTokens.Burn> burn) {
        CustomFields.Rules rules = customFields.rules();
        if (options.customMetadata() != null) {
            rules.check(options.customMetadata());
        }
        UploadTransformation transformation = options.transformation();
        if (transformation != null) {
            transformations.validate(transformation);
        }
        MediaInfo info = inspector.inspect(staged.type(), staged::open);
        // Checks see the bytes as uploaded, before any pre-transformation: a refused file costs no rendering.
        if (options.checks() != null && !options.checks().test(UploadFacts.of(options, rules, staged, info), rules::typeOf)) {
            throw new ApiException(ErrorCode.CHECKS_FAILED);
        }
        if (transformation == null) {
            return Optional.of(storeNamed(options, staged, info, rules, burn));
        }
        transformations.checkMedia(transformation, staged.type());
        if (transformation.pre() != null && staged.type().isVideo()) {
            // Answered before anything commits: the credential is spent first, on its own.
            if (burn.isPresent() && !burn.get().alone()) {
                throw burn.get().reused();
            }
            queueVideoPre(options, staged);
            return Optional.empty();
        }
        LibraryFile stored;
        if (transformation.pre() == null) {
            stored = storeNamed(options, staged, info, rules, burn);
        } else {
            stored = storePreTransformed(options, staged, info, rules, transformation.pre(), burn);
            uploadEvents.preTransformSucceeded(stored, transformation.pre(), options.webhookUrl());
        }
        transformations.post(transformation, stored, options.webhookUrl());
        return Optional.of(stored);
    }

    /** The queue keeps the bytes and the job durably before the 202; the file is stored when ffmpeg is done. */
    private void queueVideoPre(UploadOptions options, StagedUpload staged) {
        videoQueue.enqueue(options, staged);
    }

    @Override
    public LibraryFile storeTransformed(UploadOptions options, StagedUpload transformed) {
        return storeNamed(options, transformed, inspector.inspect(transformed.type(), transformed::open),
                customFields.rules(), Optional.empty());
    }

    @Override
    public void announceTransformed(LibraryFile stored, UploadOptions options) {
        uploadEvents.preTransformSucceeded(stored, options.transformation().pre(), options.webhookUrl());
        transformations.post(options.transformation(), stored, options.webhookUrl());
    }

    private LibraryFile storePreTransformed(UploadOptions options, StagedUpload staged, MediaInfo info, CustomFields.Rules rules,
                                            String pre, Optional<OneTimeTokens.Burn> burn) {
        StagedUpload transformed;
        try {
            transformed = transformations.pre(pre, staged, info);
        } catch (ApiException e) {
            uploadEvents.preTransformFailed(options.fileName(), options.folder() + options.fileName(), pre, e.getMessage(),
                    options.webhookUrl());
            throw e;
        }
        try (transformed) {
            return storeNamed(options, transformed, inspector.inspect(transformed.type(), transformed::open), rules, burn);
        }
    }

    /**
     * Publishes the blob (a rename, on this request's thread, outside any lock), then records it in the next group
     * commit, which makes it durable first. Whatever keeps the record from committing deletes the blob again, unless
     * a record references it after all; a crash in between leaves an orphan for the start-up sweep (or the
     * pending-blob janitor).
     */
    private LibraryFile storeNamed(UploadOptions options, StagedUpload staged, MediaInfo info, CustomFields.Rules rules,
                                   Optional<OneTimeTokens.Burn> burn) {
        // The blob was staged under the version id it will get (a retry with another name keeps it: nothing of
        // the earlier attempt was stored).
        String versionId = staged.blob().key();
        Optional<BlobStore.Unsynced> published = Optional.of(publish(staged));
        try {
            // A unique name can collide only by chance (9 random characters); try again with a fresh suffix.
            for (int attempt = 0; ; attempt++) {
                String name = options.useUniqueFileName() ? FileNames.withUniqueSuffix(options.fileName()) : options.fileName();
                String filePath = options.folder() + name;
                // The first attempt burns the credential; a retry's burn is settled already.
                Optional<LibraryFile> stored = commits.commit(filePath, burn.filter(b -> !b.isSettled()), published,
                        w -> record(w, options, staged, info, name, rules));
                if (stored.isPresent()) {
                    return stored.get();
                }
                if (attempt == 5) {
                    throw new IllegalStateException("no free unique name for " + options.fileName());
                }
            }
        } catch (RuntimeException e) {
            deleteUnlessRecorded(versionId, e);
            throw e;
        }
    }

    /**
     * The records of one upload, inside a shared transaction; empty when a unique name is taken already. A new file
     * is announced as {@code file.created}, a new version of an existing one as {@code file-version.created}, in the
     * same transaction (and savepoint).
     */
    private Optional<LibraryFile> record(Library.Writer w, UploadOptions options, StagedUpload staged, MediaInfo info,
                                         String name, CustomFields.Rules rules) {
        String versionId = staged.blob().key();
        Instant now = clock.instant();
        String filePath = options.folder() + name;
        Optional<LibraryFile> existing = w.currentByPath(filePath);
        if (existing.isPresent() && options.useUniqueFileName()) {
            return Optional.empty();
        }
        if (existing.isPresent() && !options.overwriteFile()) {
            throw new ApiException(ErrorCode.FILE_EXISTS);
        }
        if (existing.isPresent() && w.countVersions(existing.get().file().fileId()) >= maxVersions) {
            throw new ApiException(ErrorCode.VERSION_LIMIT, maxVersions);
        }
        FileVersion previous = existing.map(LibraryFile::version).orElse(null);
        StoredFile file = existing.map(LibraryFile::file).orElseGet(() ->
                new StoredFile(versionId, filePath, options.folder(), name, versionId, 1, now, now));
        int number = existing.isPresent() ? file.lastVersionNumber() + 1 : 1;
        FileVersion version = new FileVersion(versionId, file.fileId(), number, versionId, staged.size(), staged.checksum(),
                staged.type().mime(), staged.type().fileType(), info.width(), info.height(), info.hasAlpha(),
                carriedOver(options.tags(), options.overwriteTags(), previous == null ? null : previous.tags()),
                options.customCoordinates(),
                rules.withDefaults(customMetadata(options, previous)),
                info.embeddedMetadata().isEmpty() ? null : info.embeddedMetadata(),
                options.description(), options.isPrivateFile(), options.isPublished(), now, now,
                info.media().isEmpty() ? null : info.media());
        if (existing.isEmpty()) {
            w.ensureFolder(options.folder(), now);
            w.insertFile(file); // its current version is this one already
            w.insertVersion(version);
        } else {
            w.insertVersion(version);
            w.setCurrentVersion(file.fileId(), versionId, number, now);
        }
        staged.blob().recordedInTransaction();
        StoredFile current = new StoredFile(file.fileId(), file.filePath(), file.folderPath(), file.name(),
                versionId, number, file.createdAt(), now);
        LibraryFile stored = new LibraryFile(current, version);
        w.record(existing.isEmpty()
                ? new LibraryEvent.FileCreated(stored, options.webhookUrl())
                : new LibraryEvent.VersionCreated(stored, options.webhookUrl()));
        return Optional.of(stored);
    }

    /** On a new version, a field absent from the request is carried over only when its overwrite flag is false. */
    private static <T> T carriedOver(T requested, boolean overwrite, T previous) {
        if (requested != null) {
            return requested;
        }
        return overwrite ? null : previous;
    }

    private static Map<String, Object> customMetadata(UploadOptions options, FileVersion previous) {
        Map<String, Object> value = carriedOver(options.customMetadata(), options.overwriteCustomMetadata(),
                previous == null ? null : previous.customMetadata());
        return value == null ? Map.of() : value;
    }

    private BlobStore.Unsynced publish(StagedUpload staged) {
        try {
            return blobs.publishUnsynced(staged.blob());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish blob", e);
        }
    }

    /**
     * Deletes a published blob after its transaction failed, unless a record references it after all: a commit can
     * be reported as failed when it did happen, and then deleting would leave a committed record without its bytes.
     * When that cannot be checked, the blob stays; if it is an orphan, the start-up sweep removes it.
     */
    private void deleteUnlessRecorded(String key, RuntimeException cause) {
        try {
            if (library.unreferencedBlobKeys(List.of(key)).contains(key)) {
                blobs.delete(key);
            }
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}

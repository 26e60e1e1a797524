package dev.upfront.media;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryEvent;
import dev.upfront.library.LibraryFile;
import dev.upfront.library.StoredFile;
import dev.upfront.storage.BlobStore;
import dev.upfront.upload.FileNames;
import dev.upfront.upload.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media API's operations on files and versions (reference §5). Every change is one library transaction;
 * blobs are deleted only after the records that referenced them are gone (a crash in between leaves an orphan
 * that the start-up sweep removes, never a record without bytes), and copies link their blobs before the
 * records commit. Every change records its {@link LibraryEvent}s in its own transaction.
 */
public final class MediaService {
    private static final Logger log = LoggerFactory.getLogger(MediaService.class);

    private final Library library;
    private final BlobStore blobs;
    private final InstantSource clock;
    private final int maxVersions;
    private final Consumer<String> versionGone;

    /** @param versionGone told the blob key of every deleted version (its renderings go too) */
    public MediaService(Library library, BlobStore blobs, Consumer<String> versionGone, InstantSource clock,
                        int maxVersions) {
        this.versionGone = versionGone;
        this.library = library;
        this.blobs = blobs;
        this.clock = clock;
        this.maxVersions = maxVersions;
    }

    /** Of {@code fileIds}, those that name no file. */
    public List<String> missing(List<String> fileIds) {
        return fileIds.stream().filter(id -> library.findById(id).isEmpty()).toList();
    }

    public LibraryFile details(String fileId) {
        return library.findById(fileId).orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
    }

    /**
     * A details update: only the parts marked given change.
     *
     * @param tags with {@code tagsGiven}, the new tags; null removes them
     * @param customMetadata merged into the existing value, a key set to null is removed; null changes nothing
     * @param description with {@code descriptionGiven}, the new description; null removes it
     * @param webhookUrl receives this update's {@code file.updated} too (as an upload's receives its events); null when none
     */
    public record DetailsUpdate(boolean tagsGiven, List<String> tags, boolean coordinatesGiven, String customCoordinates,
                                Map<String, Object> customMetadata, boolean descriptionGiven, String description,
                                String webhookUrl) {}

    public LibraryFile update(String fileId, DetailsUpdate u) {
        return library.write(w -> {
            LibraryFile f = w.currentById(fileId).orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
            FileVersion v = f.version();
            Map<String, Object> metadata = new LinkedHashMap<>(v.customMetadata());
            if (u.customMetadata() != null) {
                u.customMetadata().forEach((k, value) -> {
                    if (value == null) {
                        metadata.remove(k);
                    } else {
                        metadata.put(k, value);
                    }
                });
            }
            FileVersion updated = with(v, u.tagsGiven() ? u.tags() : v.tags(),
                    u.coordinatesGiven() ? u.customCoordinates() : v.customCoordinates(), metadata,
                    u.descriptionGiven() ? u.description() : v.description(), v.isPublished(), clock.instant());
            w.updateVersion(updated);
            return updated(w, new LibraryFile(updatedAt(f.file(), updated.updatedAt()), updated), u.webhookUrl());
        });
    }

    private static LibraryFile updated(Library.Writer w, LibraryFile updated, String webhookUrl) {
        w.record(new LibraryEvent.FileUpdated(updated, webhookUrl));
        return updated;
    }

    public LibraryFile publish(String fileId, boolean isPublished, boolean includeFileVersions) {
        return library.write(w -> {
            LibraryFile f = w.currentById(fileId).orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
            Instant now = clock.instant();
            List<FileVersion> targets = includeFileVersions ? w.versionsOf(fileId) : List.of(f.version());
            FileVersion current = f.version();
            for (FileVersion v : targets) {
                FileVersion updated = with(v, v.tags(), v.customCoordinates(), v.customMetadata(), v.description(), isPublished, now);
                w.updateVersion(updated);
                if (v.versionId().equals(current.versionId())) {
                    current = updated;
                }
            }
            return updated(w, new LibraryFile(updatedAt(f.file(), current.updatedAt()), current), null);
        });
    }

    /** Deletes a file with every version; blobs go after the records. */
    public void delete(String fileId) {
        List<String> keys = library.write(w -> {
            w.currentById(fileId).orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
            List<String> released = w.deleteFile(fileId);
            w.record(new LibraryEvent.FileDeleted(fileId));
            return released;
        });
        deleteBlobs(keys);
    }

    /** The outcome of a bulk operation. */
    public record Bulk(List<String> done, List<String> missing) {}

    /**
     * Deletes the files, all in one transaction. All-or-nothing, as ImageKit's 404 with {@code missingFileIds}: when
     * any id is missing nothing is deleted and the missing ids are reported.
     */
    public Bulk deleteMany(List<String> fileIds) {
        List<String> keys = new ArrayList<>();
        Bulk result = library.write(w -> {
            List<String> ids = List.copyOf(new LinkedHashSet<>(fileIds));
            List<String> missing = ids.stream().filter(id -> w.currentById(id).isEmpty()).toList();
            if (!missing.isEmpty()) {
                return new Bulk(List.of(), missing);
            }
            for (String id : ids) {
                keys.addAll(w.deleteFile(id));
                w.record(new LibraryEvent.FileDeleted(id));
            }
            return new Bulk(ids, List.of());
        });
        deleteBlobs(keys);
        return result;
    }

    /**
     * Adds or removes tags on the current version of each file. All-or-nothing: when any id is missing nothing
     * changes and the missing ids are reported.
     */
    public Bulk changeTags(List<String> fileIds, List<String> tags, boolean add) {
        return library.write(w -> {
            List<LibraryFile> files = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String id : new LinkedHashSet<>(fileIds)) {
                w.currentById(id).ifPresentOrElse(files::add, () -> missing.add(id));
            }
            if (!missing.isEmpty()) {
                return new Bulk(List.of(), missing);
            }
            Instant now = clock.instant();
            for (LibraryFile f : files) {
                LinkedHashSet<String> set = new LinkedHashSet<>(f.version().tags() == null ? List.of() : f.version().tags());
                if (add) {
                    set.addAll(tags);
                } else {
                    tags.forEach(set::remove);
                }
                FileVersion v = f.version();
                FileVersion updated = with(v, set.isEmpty() ? null : List.copyOf(set), v.customCoordinates(), v.customMetadata(), v.description(),
                        v.isPublished(), now);
                w.updateVersion(updated);
                updated(w, new LibraryFile(updatedAt(f.file(), now), updated), null);
            }
            return new Bulk(files.stream().map(f -> f.file().fileId()).toList(), List.of());
        });
    }

    public List<LibraryFile> versions(String fileId) {
        List<LibraryFile> all = library.versions(fileId);
        if (all.isEmpty()) {
            throw new ApiException(ErrorCode.FILE_NOT_FOUND);
        }
        return all;
    }

    public LibraryFile version(String fileId, String versionId) {
        if (library.findById(fileId).isEmpty()) {
            throw new ApiException(ErrorCode.FILE_NOT_FOUND);
        }
        return library.findVersion(fileId, versionId).orElseThrow(() -> new ApiException(ErrorCode.VERSION_NOT_FOUND));
    }

    public void deleteVersion(String fileId, String versionId) {
        String key = library.write(w -> {
            LibraryFile f = w.currentById(fileId).orElseThrow(() -> new ApiException(ErrorCode.ASSET_NOT_FOUND));
            w.version(fileId, versionId).orElseThrow(() -> new ApiException(ErrorCode.ASSET_NOT_FOUND));
            if (f.file().currentVersionId().equals(versionId)) {
                throw new ApiException(ErrorCode.CURRENT_VERSION);
            }
            String released = w.deleteVersion(versionId);
            w.record(new LibraryEvent.VersionDeleted(fileId, versionId));
            return released;
        });
        deleteBlobs(List.of(key));
    }

    /** Makes an older version current again. */
    public LibraryFile restore(String fileId, String versionId) {
        return library.write(w -> {
            LibraryFile f = w.currentById(fileId).orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
            LibraryFile target = w.version(fileId, versionId).orElseThrow(() -> new ApiException(ErrorCode.VERSION_NOT_FOUND));
            Instant now = clock.instant();
            w.setCurrentVersion(fileId, versionId, f.file().lastVersionNumber(), now);
            StoredFile file = f.file();
            LibraryFile restored = new LibraryFile(new StoredFile(file.fileId(), file.filePath(), file.folderPath(), file.name(),
                    versionId, file.lastVersionNumber(), file.createdAt(), now), target.version());
            w.record(new LibraryEvent.VersionCreated(restored, null));
            return restored;
        });
    }

    /** Renames a file within its folder. @return the new file path */
    public String rename(String filePath, String newFileName) {
        String name = FileNames.sanitize(newFileName);
        return library.write(w -> {
            w.lockPaths(List.of(filePath, filePath.substring(0, filePath.lastIndexOf('/') + 1) + name));
            LibraryFile f = w.currentByPath(filePath).orElseThrow(() -> new ApiException(ErrorCode.SOURCE_FILE_MISSING, filePath)
                    .with("reason", "SOURCE_FILE_MISSING"));
            String target = f.file().folderPath() + name;
            if (!target.equals(filePath) && w.currentByPath(target).isPresent()) {
                throw new ApiException(ErrorCode.FILE_ALREADY_EXISTS, name).with("reason", "FILE_ALREADY_EXISTS");
            }
            w.relocate(f.file().fileId(), f.file().folderPath(), name, clock.instant());
            // Same file, new path: an update of the file (ImageKit's file.updated carries the new filePath and name).
            announceChanged(w, f.file().fileId());
            return target;
        });
    }

    /**
     * Copies a file into {@code destinationFolder} under its name: a new file, or new versions appended to the file
     * already there (ImageKit's versioning rule). Blobs are linked under new keys before the records commit.
     */
    public void copy(String sourceFilePath, String destinationFolder, boolean includeVersions) {
        String folder = Folders.normalize(destinationFolder);
        List<String> linked = new ArrayList<>();
        try {
            library.write(w -> {
                w.lockPaths(List.of(sourceFilePath, folder + fileName(sourceFilePath)));
                LibraryFile source = w.currentByPath(sourceFilePath).orElseThrow(() -> new ApiException(ErrorCode.SOURCE_FILE_MISSING, sourceFilePath)
                        .with("reason", "SOURCE_FILE_MISSING"));
                List<FileVersion> versions = includeVersions ? w.versionsOf(source.file().fileId()) : List.of(source.version());
                announce(w, copyInto(w, source, versions, folder, linked));
                return null;
            });
        } catch (RuntimeException e) {
            deleteBlobs(linked);
            throw e;
        }
    }

    /** Moves a file into {@code destinationFolder}; onto an existing file, its versions are appended there. */
    public void move(String sourceFilePath, String destinationFolder) {
        String folder = Folders.normalize(destinationFolder);
        List<String> linked = new ArrayList<>();
        List<String> released = new ArrayList<>();
        try {
            library.write(w -> {
                w.lockPaths(List.of(sourceFilePath, folder + fileName(sourceFilePath)));
                LibraryFile source = w.currentByPath(sourceFilePath).orElseThrow(() -> new ApiException(ErrorCode.SOURCE_FILE_MISSING, sourceFilePath)
                        .with("reason", "SOURCE_FILE_MISSING"));
                String target = folder + source.file().name();
                if (target.equals(source.file().filePath())) {
                    return null;
                }
                Instant now = clock.instant();
                // Moved in place: the same file at a new path (file.updated). Onto an existing file: its new versions
                // (file-version.created), and the source is gone (file.deleted).
                if (w.currentByPath(target).isEmpty()) {
                    w.ensureFolder(folder, now);
                    w.relocate(source.file().fileId(), folder, source.file().name(), now);
                    announceChanged(w, source.file().fileId());
                    return null;
                }
                Copied appended = copyInto(w, source, w.versionsOf(source.file().fileId()), folder, linked);
                released.addAll(w.deleteFile(source.file().fileId()));
                announce(w, appended);
                w.record(new LibraryEvent.FileDeleted(source.file().fileId()));
                return null;
            });
        } catch (RuntimeException e) {
            deleteBlobs(linked);
            throw e;
        }
        deleteBlobs(released);
    }

    /** What {@link #copyInto} made: a new file ({@code file.created}) or new versions of one ({@code file-version.created}). */
    record Copied(String fileId, boolean created) {}

    /** Records a copy's event, with the file as the copy left it. */
    static void announce(Library.Writer w, Copied copy) {
        w.currentById(copy.fileId()).ifPresent(f -> w.record(copy.created()
                ? new LibraryEvent.FileCreated(f, null)
                : new LibraryEvent.VersionCreated(f, null)));
    }

    /** Records {@code file.updated} for a file whose path changed, as it is now. */
    static void announceChanged(Library.Writer w, String fileId) {
        w.currentById(fileId).ifPresent(f -> w.record(new LibraryEvent.FileUpdated(f, null)));
    }

    /**
     * Copies {@code versions} of {@code source} (oldest first) to {@code folder} under the source's name; the copy of
     * the source's current version becomes current there (a restored older version stays the one served). Records
     * what it linked.
     */
    Copied copyInto(Library.Writer w, LibraryFile source, List<FileVersion> versions, String folder, List<String> linked) {
        Instant now = clock.instant();
        String name = source.file().name();
        String target = folder + name;
        Optional<LibraryFile> existing = w.currentByPath(target);
        if (existing.isPresent() && w.countVersions(existing.get().file().fileId()) + versions.size() > maxVersions) {
            throw new ApiException(ErrorCode.VERSION_LIMIT, maxVersions);
        }
        String fileId = existing.map(e -> e.file().fileId()).orElse(null);
        int number = existing.map(e -> e.file().lastVersionNumber()).orElse(0);
        String currentId = null;
        for (FileVersion v : versions) {
            String id = Ids.objectId();
            if (fileId == null) {
                fileId = id;
                w.ensureFolder(folder, now);
                w.insertFile(new StoredFile(fileId, target, folder, name, id, 1, now, now));
            }
            linkBlob(v.blobKey(), id);
            linked.add(id);
            number++;
            w.insertVersion(new FileVersion(id, fileId, number, id, v.size(), v.checksum(), v.mime(), v.fileType(), v.width(), v.height(),
                    v.hasAlpha(), v.tags(), v.customCoordinates(), v.customMetadata(), v.embeddedMetadata(), v.description(),
                    v.isPrivate(), v.isPublished(), now, now, v.mediaMetadata()));
            if (currentId == null || v.versionId().equals(source.version().versionId())) {
                currentId = id;
            }
        }
        w.setCurrentVersion(fileId, currentId, number, now);
        return new Copied(fileId, existing.isEmpty());
    }

    private void linkBlob(String from, String to) {
        try {
            blobs.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy blob", e);
        }
    }

    void deleteBlobs(List<String> keys) {
        for (String key : keys) {
            versionGone.accept(key);
            try {
                blobs.delete(key);
            } catch (IOException e) {
                log.warn("Could not delete blob {} (the start-up sweep will): {}", key, e.toString());
            }
        }
    }

    /** The file as {@link Library.Writer#updateVersion} left it after a change to its current version. */
    private static StoredFile updatedAt(StoredFile f, Instant now) {
        return new StoredFile(f.fileId(), f.filePath(), f.folderPath(), f.name(), f.currentVersionId(), f.lastVersionNumber(),
                f.createdAt(), now);
    }

    private static FileVersion with(FileVersion v, List<String> tags, String customCoordinates, Map<String, Object> customMetadata,
                                    String description, boolean isPublished, Instant now) {
        return new FileVersion(v.versionId(), v.fileId(), v.number(), v.blobKey(), v.size(), v.checksum(), v.mime(), v.fileType(),
                v.width(), v.height(), v.hasAlpha(), tags, customCoordinates, customMetadata, v.embeddedMetadata(), description,
                v.isPrivate(), isPublished, v.createdAt(), now, v.mediaMetadata());
    }

    /** The name part of a file path ('/a/b.jpg' gives 'b.jpg'). */
    private static String fileName(String filePath) {
        return filePath.substring(filePath.lastIndexOf('/') + 1);
    }
}

package dev.upfront.media;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryEvent;
import dev.upfront.library.LibraryFile;
import dev.upfront.upload.Folders;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Folders: create, delete (with everything inside), and copy/move as bulk jobs. Jobs run to completion inside the
 * request, in one transaction, so a failure leaves the library as it was; their status is kept for
 * {@code GET /v1/bulkJobs/{jobId}}.
 */
public final class FolderService {
    private final Library library;
    private final MediaService media;
    private final InstantSource clock;

    public FolderService(Library library, MediaService media, InstantSource clock) {
        this.library = library;
        this.media = media;
        this.clock = clock;
    }

    /** Creates {@code parentFolderPath/folderName/} and any missing parent. @return the new folder's path */
    public String create(String folderName, String parentFolderPath) {
        String path = Folders.normalize((parentFolderPath == null ? "/" : parentFolderPath) + "/" + folderName);
        if (path.equals("/")) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "folderName", "It must not be empty.");
        }
        library.write(w -> {
            w.ensureFolder(path, clock.instant());
            return null;
        });
        return path;
    }

    /** Deletes a folder, its subfolders, and every file (all versions) inside them. */
    public void delete(String folderPath) {
        String path = Folders.normalize(folderPath);
        List<String> keys = library.write(w -> {
            w.lockAll();
            if (path.equals("/") || w.folder(path).isEmpty()) {
                throw new ApiException(ErrorCode.FOLDER_NOT_FOUND, display(folderPath)).with("reason", "FOLDER_NOT_FOUND");
            }
            List<String> released = new ArrayList<>();
            for (LibraryFile f : w.filesUnder(path)) {
                released.addAll(w.deleteFile(f.file().fileId()));
                w.record(new LibraryEvent.FileDeleted(f.file().fileId()));
            }
            w.deleteFolders(path);
            return released;
        });
        media.deleteBlobs(keys);
    }

    /** Copies {@code source} into {@code destination} (as {@code destination/<source name>/}). @return the job id */
    public String copy(String source, String destination, boolean includeVersions) {
        return transfer(source, destination, includeVersions, false);
    }

    public String move(String source, String destination) {
        return transfer(source, destination, true, true);
    }

    private String transfer(String sourcePath, String destinationPath, boolean includeVersions, boolean move) {
        String source = Folders.normalize(sourcePath);
        String destination = Folders.normalize(destinationPath);
        if (source.equals("/")) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "sourceFolderPath", "The root folder cannot be copied or moved.");
        }
        if (destination.startsWith(source)) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "destinationPath", "A folder cannot be copied or moved into itself.");
        }
        String sourceName = source.substring(source.lastIndexOf('/', source.length() - 2) + 1);
        String target = destination + sourceName;
        if (target.equals(source)) {
            // Its own parent: every file would be copied onto itself (and, for a move, then deleted).
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "destinationPath", "The folder is already in that folder.");
        }
        String jobId = Ids.objectId();
        List<String> linked = new ArrayList<>();
        List<String> released = new ArrayList<>();
        try {
            library.write(w -> {
                w.lockAll();
                if (w.folder(source).isEmpty()) {
                    throw new ApiException(ErrorCode.FOLDER_NOT_FOUND, display(sourcePath)).with("reason", "FOLDER_NOT_FOUND");
                }
                Instant now = clock.instant();
                // Every folder is carried over, empty ones too, and none may end up deeper than a path may be.
                for (String folder : w.foldersUnder(source)) {
                    String copy = target + folder.substring(source.length());
                    if (Folders.depth(copy) > Folders.MAX_DEPTH) {
                        throw new ApiException(ErrorCode.INVALID_PARAMETER, "destinationPath",
                                "The folder would be nested more than " + Folders.MAX_DEPTH + " levels deep.");
                    }
                    w.ensureFolder(copy, now);
                }
                List<MediaService.Copied> copies = new ArrayList<>();
                List<String> movedAway = new ArrayList<>();
                for (LibraryFile f : w.filesUnder(source)) {
                    String folder = target + f.file().folderPath().substring(source.length());
                    List<FileVersion> versions = includeVersions ? w.versionsOf(f.file().fileId()) : List.of(f.version());
                    copies.add(media.copyInto(w, f, versions, folder, linked));
                    if (move) {
                        released.addAll(w.deleteFile(f.file().fileId()));
                        movedAway.add(f.file().fileId());
                    }
                }
                if (move) {
                    w.deleteFolders(source);
                }
                // A moved folder's files are new files at the target (new ids), the old ones are gone.
                copies.forEach(c -> MediaService.announce(w, c));
                movedAway.forEach(id -> w.record(new LibraryEvent.FileDeleted(id)));
                w.insertJob(jobId, move ? "MOVE_FOLDER" : "COPY_FOLDER", "Completed", now);
                return null;
            });
        } catch (RuntimeException e) {
            media.deleteBlobs(linked);
            throw e;
        }
        media.deleteBlobs(released);
        return jobId;
    }

    /**
     * Renames a folder in place (ImageKit's rename folder job): the folder, its subfolders and files keep their ids
     * and versions and get the new paths. {@code newFolderName} is sanitised as upload folder names are.
     *
     * @return the job id
     */
    public String rename(String folderPath, String newFolderName) {
        String source = Folders.normalize(folderPath);
        if (source.equals("/")) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "folderPath", "The root folder cannot be renamed.");
        }
        // One name, not a path: a '/' in it becomes '_' like every other character a folder name cannot hold.
        String name = Folders.normalize(newFolderName.replace('/', '_'));
        if (name.equals("/")) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "newFolderName", "It must not be empty.");
        }
        String parent = source.substring(0, source.lastIndexOf('/', source.length() - 2) + 1);
        String target = parent + name.substring(1);
        String jobId = Ids.objectId();
        library.write(w -> {
            w.lockAll();
            if (w.folder(source).isEmpty()) {
                throw new ApiException(ErrorCode.FOLDER_NOT_FOUND, display(folderPath)).with("reason", "FOLDER_NOT_FOUND");
            }
            Instant now = clock.instant();
            if (!target.equals(source)) {
                if (w.folder(target).isPresent()) {
                    throw new ApiException(ErrorCode.FOLDER_ALREADY_EXISTS, name.substring(1, name.length() - 1))
                            .with("reason", "FOLDER_ALREADY_EXISTS");
                }
                w.renameFolder(source, target, now);
                // Its files keep their ids and get new paths: each is updated.
                w.filesUnder(target).forEach(f -> w.record(new LibraryEvent.FileUpdated(f, null)));
            }
            w.insertJob(jobId, "RENAME_FOLDER", "Completed", now);
            return null;
        });
        return jobId;
    }

    /** A bulk job's type and status. */
    public Optional<String[]> job(String jobId) {
        return library.job(jobId);
    }

    /** ImageKit names folders in messages without the trailing slash. */
    private static String display(String path) {
        return path == null ? "" : path;
    }
}

package dev.upfront.library;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The file records: files, their versions, folders, shared by every server instance on the same database. Reads
 * see committed state only. Every change goes through {@link #write}, one database transaction (committed or
 * rolled back as a whole). Inside it, reading a path for writing ({@link Writer#currentByPath}) or locking paths
 * ({@link Writer#lockPaths}) serialises the transaction with every other transaction, of any instance, on the
 * same path until it commits or rolls back: concurrent uploads to one path are applied one after the other, each
 * seeing the previous one's version, and none is lost; version numbers and limits are checked under that lock.
 * {@link Writer#lockAll} excludes every other write for jobs spanning many paths. A change's announcements
 * ({@link Writer#record}) are part of its transaction: they commit with it and are rolled back with it.
 */
public interface Library {

    /** Runs {@code work} in one transaction; committed when it returns, rolled back when it throws. */
    <T> T write(Function<Writer, T> work);

    /**
     * Runs every work in one shared transaction (one commit, so one fsync, for all of them), in the given order, each
     * in a savepoint of its own: a work that throws rolls back its own changes only, its exception becomes its
     * {@link Outcome}, and the others still commit. Callers order the works by the path each one writes, so that
     * path locks are taken in one order by every transaction and two batches never wait on each other.
     *
     * @throws RuntimeException when the transaction as a whole fails: then nothing of it committed (or, as with
     *     {@link #write}, a failed commit may in rare cases have happened after all)
     */
    default <T> List<Outcome<T>> writeEach(List<Function<Writer, T>> works) {
        return writeEach(works, () -> {});
    }

    /**
     * As {@link #writeEach(List)}, running {@code beforeCommit} after the last work and before the commit, with the
     * transaction still open: when it throws, the whole transaction rolls back and that exception is thrown. For
     * what must be done before the records may become durable, done meanwhile (the uploads' blob sync).
     */
    <T> List<Outcome<T>> writeEach(List<Function<Writer, T>> works, Runnable beforeCommit);

    /**
     * As {@link #writeEach(List, Runnable)}, where {@code firstReads.get(i)}, unless null, is the path that work i
     * reads first ({@link Writer#currentByPath}) and then writes: its lock may be taken before the work's savepoint
     * (held to the commit even when the work fails) and the path probed with it, so that the work's first read costs
     * no round trip of its own. A hint: the works behave the same without it.
     */
    default <T> List<Outcome<T>> writeEach(List<Function<Writer, T>> works, List<String> firstReads, Runnable beforeCommit) {
        return writeEach(works, beforeCommit);
    }

    /** One work's outcome in {@link #writeEach}: its result, or the exception that rolled back its changes. */
    record Outcome<T>(T value, RuntimeException failure) {}

    /** The file with its current version, or empty. */
    Optional<LibraryFile> findById(String fileId);

    /** The file at {@code filePath} ('/a/b.jpg') with its current version, or empty. */
    Optional<LibraryFile> findByPath(String filePath);

    /** The file with the given version, or empty when either does not exist. */
    Optional<LibraryFile> findVersion(String fileId, String versionId);

    /** The file with the given version, found by the version id alone (version ids are unique), or empty. */
    Optional<LibraryFile> findVersion(String versionId);

    /** Every version of the file, oldest first; empty when the file does not exist. */
    List<LibraryFile> versions(String fileId);

    /** One page of files (each at the version the query selects). */
    List<LibraryFile> listFiles(FileQuery query);

    /** Folders directly in {@code parent} ('/a/'), or all folders when it is null, ordered by path; one page. */
    List<Folder> listFolders(String parent, String name, int limit, int skip);

    /** How many folders {@link #listFolders} would list without paging. */
    int countFolders(String parent, String name);

    Optional<Folder> findFolder(String folderPath);

    /** Custom metadata fields, oldest first; deleted ones only when asked. */
    List<CustomField> customFields(boolean includeDeleted);

    /**
     * Totals of the whole library: files and bytes by format and by top-level folder (current versions), and new
     * versions per UTC day created at or after {@code uploadsSince}. One scan each, without loading any file.
     */
    LibraryOverview overview(Instant uploadsSince);

    /** A bulk job's type and status, or empty. */
    Optional<String[]> job(String jobId);

    /** Whether the database answers now (for readiness checks); never waits more than about two seconds. */
    boolean ready();

    /** Of {@code blobKeys}, those that no version references (used by the start-up sweep). */
    Set<String> unreferencedBlobKeys(Collection<String> blobKeys);

    /** The operations available inside {@link #write}. */
    interface Writer {
        /**
         * Excludes every other write transaction until this one ends. Must come before any other call of this
         * writer (a lock is never upgraded, so two jobs cannot wait on each other).
         */
        void lockAll();

        /**
         * Locks {@code filePaths} (existing or not) until this transaction ends, all at once; for changes that span
         * two paths (rename, copy, move), so two of them never wait on each other.
         */
        void lockPaths(Collection<String> filePaths);

        /** Locks {@code filePath}, then reads the file there with its current version. */
        Optional<LibraryFile> currentByPath(String filePath);

        int countVersions(String fileId);

        /** Creates {@code folderPath} ('/a/b/') and every missing ancestor. */
        void ensureFolder(String folderPath, Instant now);

        void insertFile(StoredFile file);

        void insertVersion(FileVersion version);

        /** The file with its current version, locked until this transaction ends. */
        Optional<LibraryFile> currentById(String fileId);

        Optional<LibraryFile> version(String fileId, String versionId);

        List<FileVersion> versionsOf(String fileId);

        /**
         * Rewrites a version's mutable attributes (tags, custom coordinates and metadata, description, published,
         * updatedAt); for the current version, the file's updatedAt becomes the version's.
         */
        void updateVersion(FileVersion version);

        /** Moves or renames a file. */
        void relocate(String fileId, String folderPath, String name, Instant now);

        /** Deletes the file and all its versions; returns their blob keys. */
        List<String> deleteFile(String fileId);

        /** Deletes one version; returns its blob key. */
        String deleteVersion(String versionId);

        Optional<Folder> folder(String folderPath);

        /** Files at or below {@code prefix} ('/a/'), current versions. */
        List<LibraryFile> filesUnder(String prefix);

        /** The paths of the folders at or below {@code prefix} ('/a/'), the folder itself included, each before those inside it. */
        List<String> foldersUnder(String prefix);

        /**
         * Renames folder {@code from} ('/a/b/') to {@code to} ('/a/c/', which must not exist): the folder, its
         * subfolders and every file below them (all versions) keep their ids and get the new paths.
         */
        void renameFolder(String from, String to, Instant now);

        /** Deletes folders at or below {@code prefix} (files must be deleted first). */
        void deleteFolders(String prefix);

        void insertJob(String jobId, String type, String status, Instant now);

        /** All custom fields, deleted ones included (names stay reserved). */
        List<CustomField> allCustomFields();

        void insertCustomField(CustomField field, Instant now);

        void updateCustomField(CustomField field);

        /** Makes {@code versionId} the file's current version and records {@code lastVersionNumber}. */
        void setCurrentVersion(String fileId, String versionId, int lastVersionNumber, Instant now);

        /**
         * Records that this transaction makes the change {@code event} reports. It is stored with the change (in a
         * {@link Library#writeEach} work, rolled back with that work's savepoint) and acted on once the transaction has
         * committed. Throws when it cannot be stored; the work then fails like any other failed write.
         */
        void record(LibraryEvent event);
    }
}

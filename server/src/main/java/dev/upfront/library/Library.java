package dev.upfront.library;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The file records: files, their versions, folders. Reads see committed state only. Every change goes through
 * {@link #write}, one transaction that holds the library's write lock for its duration, so concurrent uploads to
 * one path are serialised and none is lost.
 */
public interface Library {

    /** Runs {@code work} in one transaction; committed when it returns, rolled back when it throws. */
    <T> T write(Function<Writer, T> work);

    /** The file with its current version, or empty. */
    Optional<LibraryFile> findById(String fileId);

    /** The file at {@code filePath} ('/a/b.jpg') with its current version, or empty. */
    Optional<LibraryFile> findByPath(String filePath);

    /** The file with the given version, or empty when either does not exist. */
    Optional<LibraryFile> findVersion(String fileId, String versionId);

    /** Of {@code blobKeys}, those that no version references (used by the start-up sweep). */
    Set<String> unreferencedBlobKeys(Collection<String> blobKeys);

    /** The operations available inside {@link #write}. */
    interface Writer {
        /** The file at {@code filePath} with its current version, read inside this transaction. */
        Optional<LibraryFile> currentByPath(String filePath);

        int countVersions(String fileId);

        /** Creates {@code folderPath} ('/a/b/') and every missing ancestor. */
        void ensureFolder(String folderPath, Instant now);

        void insertFile(StoredFile file);

        void insertVersion(FileVersion version);

        /** Makes {@code versionId} the file's current version and records {@code lastVersionNumber}. */
        void setCurrentVersion(String fileId, String versionId, int lastVersionNumber, Instant now);
    }
}

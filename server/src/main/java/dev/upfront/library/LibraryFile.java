package dev.upfront.library;

/** A file seen at one of its versions (the current one unless asked otherwise). */
public record LibraryFile(StoredFile file, FileVersion version) {
    public boolean isCurrentVersion() {
        return file.currentVersionId().equals(version.versionId());
    }
}

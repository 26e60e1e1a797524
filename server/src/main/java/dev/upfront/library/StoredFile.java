package dev.upfront.library;

import java.time.Instant;

/**
 * A file in the library: a path with one or more versions, one of them current.
 *
 * @param filePath '/folder/name.ext', always with a leading slash
 * @param folderPath '/folder/', '/' for the root
 * @param lastVersionNumber the highest version number ever given ("Version N"); numbers are not reused
 */
public record StoredFile(
        String fileId,
        String filePath,
        String folderPath,
        String name,
        String currentVersionId,
        int lastVersionNumber,
        Instant createdAt,
        Instant updatedAt) {}

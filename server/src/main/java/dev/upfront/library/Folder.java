package dev.upfront.library;

import java.time.Instant;

/** A folder of the library. @param folderPath '/a/b/' with both slashes */
public record Folder(String folderId, String name, String folderPath, Instant createdAt, Instant updatedAt) {}

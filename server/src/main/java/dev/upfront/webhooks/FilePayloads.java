package dev.upfront.webhooks;

import dev.upfront.library.LibraryFile;
import java.util.Map;

/** The JSON shapes events carry, the same the HTTP API answers with. */
public interface FilePayloads {

    /** The media API's file object ({@code GET /v1/files/{id}/details}). */
    Map<String, Object> fileObject(LibraryFile file);

    /** The upload API's response, with its default fields. */
    Map<String, Object> uploadResponse(LibraryFile file);

    /** The URL that serves {@code file} transformed by {@code transformation}. */
    String transformedUrl(LibraryFile file, String transformation);
}

package dev.upfront.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Folders ({@code /v1/folder}) and the bulk jobs that copy or move them ({@code /v1/bulkJobs}). Thread-safe. */
public final class FoldersApi {
    private final Transport transport;

    FoldersApi(Transport transport) {
        this.transport = transport;
    }

    /** Creates {@code folderName} inside {@code parentFolderPath}, with any missing parents. */
    public void create(String folderName, String parentFolderPath) {
        transport.json("POST", "/v1/folder", Map.of(), Map.of("folderName", folderName, "parentFolderPath", parentFolderPath));
    }

    /** Deletes the folder with everything in it. */
    public void delete(String folderPath) {
        transport.json("DELETE", "/v1/folder", Map.of(), Map.of("folderPath", folderPath));
    }

    /** Starts a copy job; answers {@code {jobId}}. */
    public JsonNode copy(String sourceFolderPath, String destinationPath, boolean includeVersions) {
        return transport.json("POST", "/v1/bulkJobs/copyFolder", Map.of(), Map.of("sourceFolderPath", sourceFolderPath,
                "destinationPath", destinationPath, "includeVersions", includeVersions));
    }

    /** Starts a move job; answers {@code {jobId}}. */
    public JsonNode move(String sourceFolderPath, String destinationPath) {
        return transport.json("POST", "/v1/bulkJobs/moveFolder", Map.of(),
                Map.of("sourceFolderPath", sourceFolderPath, "destinationPath", destinationPath));
    }

    /** {@code {jobId, type, status}}. */
    public JsonNode job(String jobId) {
        return transport.json("GET", "/v1/bulkJobs/" + Transport.segment(jobId), Map.of(), null);
    }
}

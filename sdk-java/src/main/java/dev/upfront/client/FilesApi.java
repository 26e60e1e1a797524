package dev.upfront.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The media library's files and their versions ({@code /v1/files...}), with ImageKit's paths, bodies and answers
 * (file objects as JSON). Thread-safe.
 */
public final class FilesApi {
    private final Transport transport;

    FilesApi(Transport transport) {
        this.transport = transport;
    }

    /**
     * Lists or searches: {@code query} holds ImageKit's parameters ({@code path}, {@code searchQuery}, {@code type},
     * {@code sort}, {@code fileType}, {@code tags}, {@code limit}, {@code skip}).
     */
    public JsonNode list(Map<String, ?> query) {
        return transport.json("GET", "/v1/files", query, null);
    }

    /** Lists with ImageKit's Lucene-like {@code searchQuery}, e.g. {@code name = "photo.jpg"}. */
    public JsonNode search(String searchQuery) {
        return list(Map.of("searchQuery", searchQuery));
    }

    public JsonNode details(String fileId) {
        return transport.json("GET", "/v1/files/" + Transport.segment(fileId) + "/details", Map.of(), null);
    }

    /** PATCH details: {@code tags}, {@code customCoordinates}, {@code customMetadata}, {@code publish}... */
    public JsonNode update(String fileId, Map<String, ?> changes) {
        return transport.json("PATCH", "/v1/files/" + Transport.segment(fileId) + "/details", Map.of(), changes);
    }

    /** Deletes the file and all its versions. */
    public void delete(String fileId) {
        transport.json("DELETE", "/v1/files/" + Transport.segment(fileId), Map.of(), null);
    }

    /** {@code {successfullyDeletedFileIds: [...]}}. */
    public JsonNode deleteAll(List<String> fileIds) {
        return transport.json("POST", "/v1/files/batch/deleteByFileIds", Map.of(), Map.of("fileIds", fileIds));
    }

    public JsonNode addTags(List<String> fileIds, List<String> tags) {
        return transport.json("POST", "/v1/files/addTags", Map.of(), Map.of("fileIds", fileIds, "tags", tags));
    }

    public JsonNode removeTags(List<String> fileIds, List<String> tags) {
        return transport.json("POST", "/v1/files/removeTags", Map.of(), Map.of("fileIds", fileIds, "tags", tags));
    }

    public void copy(String sourceFilePath, String destinationPath, boolean includeFileVersions) {
        transport.json("POST", "/v1/files/copy", Map.of(), Map.of("sourceFilePath", sourceFilePath,
                "destinationPath", destinationPath, "includeFileVersions", includeFileVersions));
    }

    public void move(String sourceFilePath, String destinationPath) {
        transport.json("POST", "/v1/files/move", Map.of(), Map.of("sourceFilePath", sourceFilePath, "destinationPath", destinationPath));
    }

    public JsonNode rename(String filePath, String newFileName, boolean purgeCache) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("filePath", filePath);
        body.put("newFileName", newFileName);
        body.put("purgeCache", purgeCache);
        return transport.json("PUT", "/v1/files/rename", Map.of(), body);
    }

    public JsonNode metadata(String fileId) {
        return transport.json("GET", "/v1/files/" + Transport.segment(fileId) + "/metadata", Map.of(), null);
    }

    public JsonNode versions(String fileId) {
        return transport.json("GET", "/v1/files/" + Transport.segment(fileId) + "/versions", Map.of(), null);
    }

    public JsonNode version(String fileId, String versionId) {
        return transport.json("GET", versionPath(fileId, versionId), Map.of(), null);
    }

    /** Deletes a non-current version. */
    public void deleteVersion(String fileId, String versionId) {
        transport.json("DELETE", versionPath(fileId, versionId), Map.of(), null);
    }

    /** Makes a version current again; answers the file object. */
    public JsonNode restoreVersion(String fileId, String versionId) {
        return transport.json("PUT", versionPath(fileId, versionId) + "/restore", Map.of(), null);
    }

    private static String versionPath(String fileId, String versionId) {
        return "/v1/files/" + Transport.segment(fileId) + "/versions/" + Transport.segment(versionId);
    }
}

package dev.upfront.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.auth.UploadAuthenticator;
import dev.upfront.dashboard.DashboardAuth;
import dev.upfront.delivery.Urls;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.fields.CustomFields;
import dev.upfront.ids.Ids;
import dev.upfront.inspect.ImageMetadata;
import dev.upfront.inspect.MediaInspector;
import dev.upfront.library.CustomField;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Folder;
import dev.upfront.library.LibraryFile;
import dev.upfront.media.FolderService;
import dev.upfront.media.Listing;
import dev.upfront.media.MediaService;
import dev.upfront.media.UrlMetadata;
import dev.upfront.storage.BlobStore;
import dev.upfront.upload.UploadOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The media API (reference §5) with server-side Basic auth: files, versions, listing and search, folders and bulk
 * jobs, custom metadata fields. Handlers parse and check the request, call one service method, and shape the
 * answer; the rules live in the services.
 */
final class MediaRoutes {
    private final UploadAuthenticator authenticator;
    private final MediaService media;
    private final FolderService folders;
    private final Listing listing;
    private final CustomFields customFields;
    private final BlobStore blobs;
    private final Urls urls;
    private final DashboardAuth dashboard;
    private final UrlMetadata urlMetadata;

    MediaRoutes(UploadAuthenticator authenticator, MediaService media, FolderService folders, Listing listing,
                CustomFields customFields, BlobStore blobs, Urls urls, DashboardAuth dashboard, UrlMetadata urlMetadata) {
        this.urlMetadata = urlMetadata;
        this.dashboard = dashboard;
        this.authenticator = authenticator;
        this.media = media;
        this.folders = folders;
        this.listing = listing;
        this.customFields = customFields;
        this.blobs = blobs;
        this.urls = urls;
    }

    void register(Router r) {
        r.add("GET", "/v1/files", authed(this::list));
        r.add("GET", "/v1/files/", authed(this::list)); // the imagekit 6.x SDK adds a trailing slash
        r.add("GET", "/v1/files/{fileId}/details", authed(ex -> ex.json(200, FileJson.fileObject(media.details(ex.pathParam("fileId")), urls))));
        r.add("PATCH", "/v1/files/{fileId}/details", authed(this::updateDetails));
        r.add("DELETE", "/v1/files/{fileId}", authed(ex -> {
            media.delete(ex.pathParam("fileId"));
            ex.empty(204);
        }));
        r.add("POST", "/v1/files/batch/deleteByFileIds", authed(this::deleteMany));
        r.add("POST", "/v1/files/addTags", authed(ex -> changeTags(ex, true)));
        r.add("POST", "/v1/files/removeTags", authed(ex -> changeTags(ex, false)));
        r.add("POST", "/v1/files/removeAITags", authed(this::removeAITags));
        r.add("POST", "/v1/files/copy", authed(this::copy));
        r.add("POST", "/v1/files/move", authed(this::move));
        r.add("PUT", "/v1/files/rename", authed(this::rename));
        r.add("POST", "/v1/files/purge", authed(this::purge));
        r.add("GET", "/v1/files/purge/{requestId}", authed(ex -> ex.json(200, Map.of("status", "Completed"))));
        r.add("GET", "/v1/files/{fileId}/metadata", authed(this::metadata));
        // The docs name the remote-URL variant /v1/metadata, the OpenAPI spec /v1/files/metadata: both answer.
        r.add("GET", "/v1/metadata", authed(this::urlMetadata));
        r.add("GET", "/v1/files/metadata", authed(this::urlMetadata));
        r.add("GET", "/v1/files/{fileId}/versions", authed(this::versions));
        r.add("GET", "/v1/files/{fileId}/versions/{versionId}", authed(ex ->
                ex.json(200, FileJson.fileObject(media.version(ex.pathParam("fileId"), ex.pathParam("versionId")), urls))));
        r.add("DELETE", "/v1/files/{fileId}/versions/{versionId}", authed(ex -> {
            media.deleteVersion(ex.pathParam("fileId"), ex.pathParam("versionId"));
            ex.empty(204);
        }));
        r.add("PUT", "/v1/files/{fileId}/versions/{versionId}/restore", authed(ex ->
                ex.json(200, FileJson.fileObject(media.restore(ex.pathParam("fileId"), ex.pathParam("versionId")), urls))));
        r.add("POST", "/v1/folder", authed(this::createFolder));
        r.add("POST", "/v1/folder/", authed(this::createFolder));
        r.add("DELETE", "/v1/folder", authed(this::deleteFolder));
        r.add("DELETE", "/v1/folder/", authed(this::deleteFolder));
        r.add("POST", "/v1/bulkJobs/copyFolder", authed(this::copyFolder));
        r.add("POST", "/v1/bulkJobs/moveFolder", authed(this::moveFolder));
        r.add("POST", "/v1/bulkJobs/renameFolder", authed(this::renameFolder));
        r.add("GET", "/v1/bulkJobs/{jobId}", authed(this::job));
        r.add("GET", "/v1/customMetadataFields", authed(ex ->
                ex.json(200, customFields.list("true".equals(ex.queryParam("includeDeleted"))).stream().map(MediaRoutes::field).toList())));
        r.add("POST", "/v1/customMetadataFields", authed(this::createField));
        r.add("PATCH", "/v1/customMetadataFields/{id}", authed(this::updateField));
        r.add("DELETE", "/v1/customMetadataFields/{id}", authed(ex -> {
            customFields.delete(ex.pathParam("id"));
            ex.empty(204);
        }));
    }

    /**
     * Every media route needs the private key (Basic auth; the password is ignored), or, for the dashboard's page,
     * its session cookie with the CSRF header: the page never holds the key.
     */
    private Route authed(Route route) {
        return ex -> {
            String authorization = ex.header("Authorization");
            if (authorization == null && DashboardGate.hasCookie(ex)) {
                DashboardGate.require(ex, dashboard, ex.header(DashboardGate.CSRF_HEADER));
            } else if (authenticator.basic(authorization).isEmpty()) {
                throw new ApiException(ErrorCode.MISSING_AUTH);
            }
            route.handle(ex);
        };
    }

    private void list(Exchange ex) throws Exception {
        Listing.Page page = listing.list(new Listing.Request(ex.queryParam("type"), ex.queryParam("sort"), ex.queryParam("path"),
                ex.queryParam("searchQuery"), ex.queryParam("fileType"), ex.queryParam("tags"), ex.queryParam("name"),
                ex.queryParam("limit"), ex.queryParam("skip"), ex.queryParam("includeFolder")));
        List<Object> out = new ArrayList<>();
        page.folders().forEach(f -> out.add(folder(f)));
        page.files().forEach(f -> out.add(FileJson.fileObject(f, urls)));
        ex.json(200, out);
    }

    private void updateDetails(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        String fileId = ex.pathParam("fileId");
        if (body.has("publish")) {
            JsonNode publish = body.node("publish");
            if (publish == null || !publish.isObject() || !publish.path("isPublished").isBoolean()) {
                throw new ApiException(ErrorCode.INVALID_BODY, "publish.isPublished should be true or false");
            }
            boolean versionsToo = publish.path("includeFileVersions").asBoolean(false);
            ex.json(200, FileJson.fileObject(media.publish(fileId, publish.get("isPublished").booleanValue(), versionsToo), urls));
            return;
        }
        if (body.has("extensions")) {
            throw new ApiException(ErrorCode.FIELD_NOT_SUPPORTED, "extensions");
        }
        String webhookUrl = UploadOptions.webhookUrl(body.optionalString("webhookUrl"));
        List<String> tags = null;
        if (body.has("tags") && !body.node("tags").isNull()) {
            tags = JsonBody.strings("tags", body.node("tags"));
            requireTagLength(tags);
            tags = tags.isEmpty() ? null : List.copyOf(new LinkedHashSet<>(tags));
        }
        String coordinates = null;
        if (body.has("customCoordinates") && !body.node("customCoordinates").isNull()) {
            coordinates = UploadOptions.coordinates(body.optionalString("customCoordinates"));
        }
        Map<String, Object> metadata = body.object("customMetadata");
        if (metadata != null) {
            customFields.rules().check(metadata);
        }
        requireAITagNames(body);
        String description = UploadOptions.description(body.optionalString("description"));
        ex.json(200, FileJson.fileObject(media.update(fileId, new MediaService.DetailsUpdate(body.has("tags"), tags,
                body.has("customCoordinates"), coordinates, metadata, body.has("description"), description, webhookUrl)), urls));
    }

    /**
     * {@code removeAITags}: "all" or an array of AI tag names, as ImageKit takes it. This server computes no AI
     * tags, so a file has none to remove: the field is validated and changes nothing.
     */
    private static void requireAITagNames(JsonBody body) {
        JsonNode names = body.node("removeAITags");
        if (names == null || names.isNull() || (names.isTextual() && names.textValue().equals("all"))) {
            return;
        }
        if (!names.isArray()) {
            throw new ApiException(ErrorCode.INVALID_BODY, "removeAITags should be an array of AITags names or the string \"all\"");
        }
        JsonBody.strings("removeAITags", names);
    }

    private void deleteMany(Exchange ex) throws Exception {
        List<String> ids = JsonBody.read(ex).stringArray("fileIds", 100);
        MediaService.Bulk result = media.deleteMany(ids);
        if (!result.missing().isEmpty()) {
            throw new ApiException(ErrorCode.FILES_NOT_FOUND).with("missingFileIds", result.missing());
        }
        ex.json(200, Map.of("successfullyDeletedFileIds", result.done()));
    }

    private void changeTags(Exchange ex, boolean add) throws Exception {
        JsonBody body = JsonBody.read(ex);
        List<String> ids = body.stringArray("fileIds", 50);
        List<String> tags = body.stringArray("tags", 500);
        requireTagLength(tags);
        MediaService.Bulk result = media.changeTags(ids, tags, add);
        if (!result.missing().isEmpty()) {
            throw new ApiException(ErrorCode.FILES_NOT_FOUND).with("missingFileIds", result.missing());
        }
        ex.json(200, Map.of("successfullyUpdatedFileIds", result.done()));
    }

    /** ImageKit's limit on tags, the same as on upload. */
    private static void requireTagLength(List<String> tags) {
        if (String.join(",", tags).length() > 500) {
            throw new ApiException(ErrorCode.INVALID_BODY,
                    "invalid value for tags parameter. Combined length of all tags should be less than or equal to 500");
        }
    }

    /** This server has no AI tags, so removing some only checks that the files exist. */
    private void removeAITags(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        List<String> ids = body.stringArray("fileIds", 50);
        body.stringArray("AITags", 500);
        List<String> missing = media.missing(ids);
        if (!missing.isEmpty()) {
            throw new ApiException(ErrorCode.FILES_NOT_FOUND).with("missingFileIds", missing);
        }
        ex.json(200, Map.of("successfullyUpdatedFileIds", ids));
    }

    private void copy(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        media.copy(body.requiredString("sourceFilePath"), body.requiredString("destinationPath"), body.bool("includeFileVersions", false));
        ex.empty(204);
    }

    private void move(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        media.move(body.requiredString("sourceFilePath"), body.requiredString("destinationPath"));
        ex.empty(204);
    }

    private void rename(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        String filePath = body.requiredString("filePath");
        try {
            media.rename(filePath, body.requiredString("newFileName"));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.SOURCE_FILE_MISSING) {
                throw new ApiException(ErrorCode.FILE_MISSING, filePath).with("reason", "FILE_MISSING");
            }
            throw e;
        }
        // There is no CDN in front of this server: nothing to purge, so a purge "request" completes at once.
        ex.json(200, body.bool("purgeCache", false) ? Map.of("purgeRequestId", Ids.objectId()) : Map.of());
    }

    private void purge(Exchange ex) throws Exception {
        JsonBody.read(ex).requiredString("url");
        ex.json(201, Map.of("requestId", Ids.objectId()));
    }

    private void metadata(Exchange ex) throws Exception {
        LibraryFile f = media.details(ex.pathParam("fileId"));
        var v = f.version();
        ex.json(200, metadataJson(v.size(), v.mime(), v.width(), v.height(), v.hasAlpha(), v.mediaMetadata(),
                () -> blobs.find(v.blobKey()).orElseThrow().open(0, v.size())));
    }

    private void urlMetadata(Exchange ex) throws Exception {
        ex.json(200, urlMetadata.report(ex.queryParam("url"), fetched -> metadataJson(fetched.staged().size(),
                fetched.staged().type().mime(), fetched.info().width(), fetched.info().height(), fetched.info().hasAlpha(),
                fetched.info().media(), fetched.staged()::open)));
    }

    /** ImageKit's metadata object: dimensions, size, format, then an image's EXIF and pHash or a video's probed facts. */
    private static Map<String, Object> metadataJson(long size, String mime, Integer width, Integer height, Boolean hasAlpha,
                                                    Map<String, Object> video, MediaInspector.Source bytes) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (height != null && width != null) {
            out.put("height", height);
            out.put("width", width);
        }
        out.put("size", size);
        out.put("format", FileVersion.format(mime));
        if (mime.startsWith("image/")) {
            ImageMetadata.Report report = ImageMetadata.read(bytes, width, height);
            out.put("hasColorProfile", report.hasColorProfile());
            out.put("quality", 0);
            out.put("density", report.density() == null ? 72 : report.density());
            out.put("hasTransparency", hasAlpha != null && hasAlpha);
            if (report.pHash() != null) {
                out.put("pHash", report.pHash());
            }
            out.put("exif", report.exif());
        }
        if (video != null) {
            out.putAll(video);
        }
        return out;
    }

    private void versions(Exchange ex) throws Exception {
        List<LibraryFile> all = media.versions(ex.pathParam("fileId"));
        List<Object> out = new ArrayList<>();
        // The current version first, then the older ones, oldest first.
        all.stream().filter(LibraryFile::isCurrentVersion).forEach(f -> out.add(FileJson.fileObject(f, urls)));
        all.stream().filter(f -> !f.isCurrentVersion()).forEach(f -> out.add(FileJson.fileObject(f, urls)));
        ex.json(200, out);
    }

    private void createFolder(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        folders.create(body.requiredString("folderName"), body.requiredString("parentFolderPath"));
        ex.empty(201);
    }

    private void deleteFolder(Exchange ex) throws Exception {
        folders.delete(JsonBody.read(ex).requiredString("folderPath"));
        ex.empty(204);
    }

    private void copyFolder(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        // The docs and imagekit 6.x send includeFileVersions; the OpenAPI spec and @imagekit/nodejs 7.x includeVersions.
        boolean versions = body.bool("includeVersions", false) || body.bool("includeFileVersions", false);
        String source = body.requiredString("sourceFolderPath");
        ex.json(200, Map.of("jobId", noFilesFolder(source, () -> folders.copy(source, body.requiredString("destinationPath"), versions))));
    }

    private void moveFolder(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        String source = body.requiredString("sourceFolderPath");
        ex.json(200, Map.of("jobId", noFilesFolder(source, () -> folders.move(source, body.requiredString("destinationPath")))));
    }

    private void renameFolder(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        String folderPath = body.requiredString("folderPath");
        String newFolderName = body.requiredString("newFolderName");
        body.bool("purgeCache", false); // no CDN in front of this server: nothing to purge
        ex.json(200, Map.of("jobId", folders.rename(folderPath, newFolderName)));
    }

    /** Folder jobs answer ImageKit's NO_FILES_FOLDER for a missing source. */
    private static String noFilesFolder(String source, Supplier<String> job) {
        try {
            return job.get();
        } catch (ApiException e) {
            if (e.code() == ErrorCode.FOLDER_NOT_FOUND) {
                throw new ApiException(ErrorCode.NO_FILES_FOLDER, source).with("reason", "NO_FILES_FOLDER");
            }
            throw e;
        }
    }

    private void job(Exchange ex) throws Exception {
        String jobId = ex.pathParam("jobId");
        String[] job = folders.job(jobId).orElseThrow(() -> new ApiException(ErrorCode.JOB_NOT_FOUND));
        Map<String, Object> out = new LinkedHashMap<>(); // ImageKit's order: jobId, type, status
        out.put("jobId", jobId);
        out.put("type", job[0]);
        out.put("status", job[1]);
        ex.json(200, out);
    }

    private void createField(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        CustomField f = customFields.create(body.optionalString("name"), body.optionalString("label"), body.object("schema"));
        ex.json(201, field(f));
    }

    private void updateField(Exchange ex) throws Exception {
        JsonBody body = JsonBody.read(ex);
        if (!body.has("label") && !body.has("schema")) {
            throw new ApiException(ErrorCode.INVALID_BODY, "either label or schema should be provided");
        }
        if (body.has("name")) {
            throw new ApiException(ErrorCode.INVALID_BODY, "name cannot be updated");
        }
        ex.json(200, field(customFields.update(ex.pathParam("id"), body.optionalString("label"), body.object("schema"))));
    }

    private static Map<String, Object> field(CustomField f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", f.id());
        out.put("name", f.name());
        out.put("label", f.label());
        out.put("schema", f.schema());
        return out;
    }

    private static Map<String, Object> folder(Folder f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "folder");
        out.put("folderId", f.folderId());
        out.put("name", f.name());
        out.put("folderPath", f.folderPath().substring(0, f.folderPath().length() - 1));
        out.put("createdAt", FileJson.iso(f.createdAt()));
        out.put("updatedAt", FileJson.iso(f.updatedAt()));
        out.put("customMetadata", Map.of());
        return out;
    }
}

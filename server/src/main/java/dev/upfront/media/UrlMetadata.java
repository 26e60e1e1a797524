package dev.upfront.media;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.inspect.MediaInfo;
import dev.upfront.inspect.MediaInspector;
import dev.upfront.upload.FileIntakes;
import dev.upfront.upload.RemoteFiles;
import dev.upfront.upload.StagedUpload;
import java.util.function.Function;

/**
 * {@code GET /v1/metadata?url=}: the metadata of a file on the web, as {@code GET /v1/files/{id}/metadata} gives it
 * for a stored one. The file is fetched under the same rules as an upload's {@code file} URL (address policy, header
 * and total timeouts, size limits), staged, inspected, and discarded: nothing is stored.
 */
public final class UrlMetadata {
    /** A fetched file while it is being reported on; its bytes are gone once the report returns. */
    public record Fetched(StagedUpload staged, MediaInfo info) {}

    private static final String FILE_PARAMETER = "Your request contains invalid file parameter. ";

    private final RemoteFiles remote;
    private final FileIntakes intakes;
    private final MediaInspector inspector;

    public UrlMetadata(RemoteFiles remote, FileIntakes intakes, MediaInspector inspector) {
        this.remote = remote;
        this.intakes = intakes;
        this.inspector = inspector;
    }

    public <T> T report(String url, Function<Fetched, T> report) {
        if (url == null || url.isBlank()) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "url", "It must be the http or https URL of a file.");
        }
        StagedUpload staged;
        try {
            staged = remote.fetch(url, intakes);
        } catch (ApiException e) {
            // The fetch speaks of an upload's file parameter; here the URL came as the url parameter.
            String message = e.getMessage().startsWith(FILE_PARAMETER) ? e.getMessage().substring(FILE_PARAMETER.length()) : e.getMessage();
            throw new ApiException(ErrorCode.URL_FETCH_FAILED, message);
        }
        try (staged) {
            return report.apply(new Fetched(staged, inspector.inspect(staged.type(), staged::open)));
        }
    }
}

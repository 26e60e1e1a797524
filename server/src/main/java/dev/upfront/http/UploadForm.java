package dev.upfront.http;

import dev.upfront.upload.PendingUploads;
import dev.upfront.upload.StagedUpload;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed upload request: its text fields in arrival order (without {@code file}) and the file, either staged
 * bytes (a binary part, base64 text or a data: URI) or a URL still to fetch. Closing discards staged bytes that
 * were not published, and gives back their share of the budget for unauthenticated uploads.
 */
final class UploadForm implements AutoCloseable {
    private final Map<String, String> fields = new LinkedHashMap<>();
    private StagedUpload staged;
    private PendingUploads.Claim pending;
    private String fileUrl;
    private boolean hasFile;

    Map<String, String> fields() {
        return Collections.unmodifiableMap(fields);
    }

    void putField(String name, String value) {
        fields.put(name, value);
    }

    void stagedFile(StagedUpload staged) {
        this.staged = staged;
        this.hasFile = true;
    }

    void fileUrl(String url) {
        this.fileUrl = url;
        this.hasFile = true;
    }

    /** The file's bytes are staged before the request is authenticated, counted by {@code claim}. */
    void pending(PendingUploads.Claim claim) {
        this.pending = claim;
    }

    /** The request is authenticated: its staged bytes no longer count as pending. */
    void authenticated() {
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.close();
        }
    }

    boolean hasFile() {
        return hasFile;
    }

    Optional<StagedUpload> staged() {
        return Optional.ofNullable(staged);
    }

    Optional<String> fileUrl() {
        return Optional.ofNullable(fileUrl);
    }

    @Override
    public void close() {
        if (staged != null) {
            staged.close();
        }
        releasePending();
    }
}

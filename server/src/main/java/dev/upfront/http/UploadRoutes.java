package dev.upfront.http;

import dev.upfront.auth.KeyPair;
import dev.upfront.auth.UploadAuthenticator;
import dev.upfront.delivery.Urls;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.LibraryFile;
import dev.upfront.upload.FileIntakes;
import dev.upfront.upload.RemoteFiles;
import dev.upfront.upload.StagedUpload;
import dev.upfront.upload.UploadOptions;
import dev.upfront.upload.UploadService;
import java.util.Optional;

/**
 * {@code POST /api/v1/files/upload} and {@code /api/v2/files/upload}: read the form in one pass, authenticate,
 * validate the options, fetch a URL file if one was given, store, answer exactly 200 with the upload response.
 */
final class UploadRoutes {
    private final UploadAuthenticator authenticator;
    private final UploadFormReader reader;
    private final RemoteFiles remote;
    private final FileIntakes intakes;
    private final UploadService uploads;
    private final Urls urls;

    UploadRoutes(UploadAuthenticator authenticator, FileIntakes intakes, RemoteFiles remote, UploadService uploads, Urls urls) {
        this.authenticator = authenticator;
        this.reader = new UploadFormReader(intakes);
        this.remote = remote;
        this.intakes = intakes;
        this.uploads = uploads;
        this.urls = urls;
    }

    void register(Router router) {
        router.add("POST", "/api/v1/files/upload", ex -> upload(ex, 1));
        router.add("POST", "/api/v2/files/upload", ex -> upload(ex, 2));
    }

    /** Both versions share one pipeline; they differ only in how a client-side request authenticates. */
    private void upload(Exchange ex, int apiVersion) throws Exception {
        try {
            handle(ex, apiVersion);
        } catch (Exception e) {
            // The answer may come before the client has sent its whole body (a bad key, a part past a limit):
            // read the rest, bounded, and discard it, so the connection stays usable; past the bound, say it closes.
            if (!ex.discardBody(reader.maxBody()) && !ex.committed()) {
                ex.setHeader("Connection", "close");
            }
            throw e;
        }
    }

    private void handle(Exchange ex, int apiVersion) throws Exception {
        // A Basic credential is checked before the body is read: a wrong private key stores nothing.
        Optional<KeyPair> basic = authenticator.basic(ex.header("Authorization"));
        UploadAuthenticator.Attempt auth = authenticator.attempt(apiVersion, basic);
        try (UploadForm form = readForm(ex, auth)) {
            auth.complete(form.fields());
            UploadOptions options = UploadOptions.parse(form.fields());
            if (!form.hasFile()) {
                throw new ApiException(ErrorCode.MISSING_FILE);
            }
            try (StagedUpload staged = form.staged().orElseGet(() -> remote.fetch(form.fileUrl().orElseThrow(), intakes))) {
                LibraryFile stored = uploads.store(options, staged);
                ex.json(200, FileJson.uploadResponse(stored, options.responseFields(), urls));
            }
        }
    }

    private UploadForm readForm(Exchange ex, UploadAuthenticator.Attempt auth) {
        try {
            return reader.read(ex);
        } catch (UploadFormReader.FormException e) {
            // A correctly signed credential seen in a body that turned out bad is burned all the same.
            auth.burnIfSigned(e.fieldsSoFar());
            throw e.error();
        }
    }
}

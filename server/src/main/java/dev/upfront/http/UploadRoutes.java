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
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/files/upload} and {@code /api/v2/files/upload}: read the form in one pass, authenticate,
 * validate the options, fetch a URL file if one was given, store, answer 200 with the upload response (or 202
 * with ImageKit's queued message when a video's pre-transformation stores it later).
 */
final class UploadRoutes {
    private final UploadAuthenticator authenticator;
    private final UploadFormReader reader;
    private final BodyPace pace;
    private final RemoteFiles remote;
    private final FileIntakes intakes;
    private final UploadService uploads;
    private final Urls urls;

    UploadRoutes(UploadAuthenticator authenticator, FileIntakes intakes, BodyPace pace, RemoteFiles remote,
                 UploadService uploads, Urls urls) {
        this.authenticator = authenticator;
        this.reader = new UploadFormReader(intakes);
        this.pace = pace;
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
        BodyPace.PacedBody body = ex.paceBody(pace);
        try {
            handle(ex, apiVersion);
        } catch (Exception e) {
            answerEarly(ex, body, e);
        }
    }

    /**
     * The answer may be decided before the client has sent its whole body (a bad credential sent before the file, a
     * part past a limit, a full pending budget). It goes out at once, and only then is the rest of the body read,
     * bounded, and discarded: the client sees the refusal while still sending, the connection stays usable, and no
     * TCP reset over unread bytes can destroy the answer. What the request staged is already deleted.
     */
    private void answerEarly(Exchange ex, BodyPace.PacedBody body, Exception failure) throws Exception {
        boolean bodyNotAskedFor = !body.started() && "100-continue".equalsIgnoreCase(ex.header("Expect"));
        long length = ex.request().getLength();
        boolean tooMuchLeft = length >= 0 && length - body.bytesRead() > reader.maxBody();
        if ((bodyNotAskedFor || tooMuchLeft) && !ex.committed()) {
            // A client waiting for 100 Continue is not invited to send a body nobody reads; a huge rest is not read.
            ex.setHeader("Connection", "close");
        }
        if (!ErrorRenderer.render(ex, failure)) {
            throw failure;
        }
        if (!bodyNotAskedFor) {
            ex.discardBody(reader.maxBody());
        }
    }

    private void handle(Exchange ex, int apiVersion) throws Exception {
        // A Basic credential is checked before the body is read: a wrong private key stores nothing.
        Optional<KeyPair> basic = authenticator.basic(ex.header("Authorization"));
        UploadAuthenticator.Attempt auth = authenticator.attempt(apiVersion, basic);
        if (ex.request().getLength() > reader.maxBody()) {
            // Its declared length says it could only end as too large: refused before a byte is staged.
            throw new ApiException(ErrorCode.FILE_TOO_LARGE);
        }
        Optional<LibraryFile> stored;
        UploadOptions options;
        try (UploadForm form = readForm(ex, auth)) {
            auth.complete(form.fields());
            form.authenticated();
            options = UploadOptions.parse(form.fields());
            if (!form.hasFile()) {
                throw new ApiException(ErrorCode.MISSING_FILE);
            }
            try (StagedUpload staged = form.staged().orElseGet(() -> remote.fetch(form.fileUrl().orElseThrow(), intakes))) {
                // The upload's transaction burns a one-time credential; whatever ends the request before that
                // burns it below, before the answer goes out.
                stored = uploads.store(options, staged, auth.burn());
            }
        } finally {
            auth.burnPending();
        }
        if (stored.isPresent()) {
            ex.json(200, FileJson.uploadResponse(stored.get(), options.responseFields(), urls));
        } else {
            ex.json(202, Map.of("message", "The pre-transformation has been queued successfully."));
        }
    }

    private UploadForm readForm(Exchange ex, UploadAuthenticator.Attempt auth) {
        try {
            return reader.read(ex, auth::beforeFile);
        } catch (UploadFormReader.FormException e) {
            // A correctly signed credential seen in a body that turned out bad is burned all the same.
            auth.burnIfSigned(e.fieldsSoFar());
            throw e.error();
        }
    }
}

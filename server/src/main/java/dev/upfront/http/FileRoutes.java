package dev.upfront.http;

import dev.upfront.auth.UploadAuthenticator;
import dev.upfront.delivery.Urls;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.Library;

/** The media API's file routes (reference §5), server-side Basic auth only. */
final class FileRoutes {
    private final UploadAuthenticator authenticator;
    private final Library library;
    private final Urls urls;

    FileRoutes(UploadAuthenticator authenticator, Library library, Urls urls) {
        this.authenticator = authenticator;
        this.library = library;
        this.urls = urls;
    }

    void register(Router router) {
        router.add("GET", "/v1/files/{fileId}/details", this::details);
    }

    private void details(Exchange ex) throws Exception {
        requirePrivateKey(ex);
        var file = library.findById(ex.pathParam("fileId")).orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
        ex.json(200, FileJson.fileObject(file, urls));
    }

    private void requirePrivateKey(Exchange ex) {
        if (authenticator.basic(ex.header("Authorization")).isEmpty()) {
            throw new ApiException(ErrorCode.MISSING_AUTH);
        }
    }
}

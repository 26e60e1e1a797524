package dev.upfront.http;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.Library;
import dev.upfront.storage.BlobStore;
import dev.upfront.tokens.TokenStore;
import java.util.Map;

/**
 * {@code /healthz}: the process is up. {@code /readyz}: the library, the token store and the blob store answer
 * (a load balancer stops sending requests while one does not, and resumes when it answers again).
 */
final class HealthRoutes {
    private final Library library;
    private final TokenStore tokens;
    private final BlobStore blobs;

    HealthRoutes(Library library, TokenStore tokens, BlobStore blobs) {
        this.library = library;
        this.tokens = tokens;
        this.blobs = blobs;
    }

    void register(Router router) {
        router.add("GET", "/healthz", ex -> ex.json(200, Map.of("status", "ok")));
        router.add("GET", "/readyz", this::ready);
    }

    private void ready(Exchange ex) throws Exception {
        if (!library.ready() || !tokens.ready()) {
            throw new ApiException(ErrorCode.NOT_READY, "the database does not answer");
        }
        if (!blobs.ready()) {
            throw new ApiException(ErrorCode.NOT_READY, "the blob store cannot be written");
        }
        ex.json(200, Map.of("status", "ready"));
    }
}

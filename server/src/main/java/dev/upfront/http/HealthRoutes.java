package dev.upfront.http;

import dev.upfront.db.Database;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.storage.BlobStore;
import java.util.Map;

/** {@code /healthz}: the process is up. {@code /readyz}: the database and the blob store answer. */
final class HealthRoutes {
    private final Database db;
    private final BlobStore blobs;

    HealthRoutes(Database db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
    }

    void register(Router router) {
        router.add("GET", "/healthz", ex -> ex.json(200, Map.of("status", "ok")));
        router.add("GET", "/readyz", this::ready);
    }

    private void ready(Exchange ex) throws Exception {
        if (!db.ping()) {
            throw new ApiException(ErrorCode.NOT_READY, "the database does not answer");
        }
        if (!blobs.ready()) {
            throw new ApiException(ErrorCode.NOT_READY, "the blob store cannot be written");
        }
        ex.json(200, Map.of("status", "ready"));
    }
}

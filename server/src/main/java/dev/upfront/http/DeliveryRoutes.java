package dev.upfront.http;

import dev.upfront.auth.UrlSignature;
import dev.upfront.delivery.Urls;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryFile;
import dev.upfront.storage.BlobStore;
import dev.upfront.transform.TransformParser;
import dev.upfront.transform.Transformation;
import dev.upfront.transform.Transforms;
import dev.upfront.transform.Transforms.Rendering;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery at {@code <urlEndpoint path>/[tr:<transformation>/]<filePath>} ({@code ?tr=} works too,
 * {@code ?ik-obj-version=} for older versions): originals, or renderings from {@link Transforms}. Private files
 * need a signed URL except for named transformations. Types a browser could execute (SVG, HTML, XML) are
 * sandboxed so they cannot run script in this origin.
 */
final class DeliveryRoutes {
    private static final Logger log = LoggerFactory.getLogger(DeliveryRoutes.class);
    private static final Set<String> ACTIVE_TYPES = Set.of("image/svg+xml", "text/html", "application/xhtml+xml",
            "application/xml", "text/xml", "application/javascript", "text/javascript");

    private final Library library;
    private final BlobStore blobs;
    private final UrlSignature signatures;
    private final Urls urls;
    private final InstantSource clock;
    private final TransformParser parser;
    private final Transforms transforms;

    DeliveryRoutes(Library library, BlobStore blobs, UrlSignature signatures, Urls urls, InstantSource clock,
                   TransformParser parser, Transforms transforms) {
        this.parser = parser;
        this.transforms = transforms;
        this.library = library;
        this.blobs = blobs;
        this.signatures = signatures;
        this.urls = urls;
        this.clock = clock;
    }

    void register(Router router) {
        router.add("GET", urls.deliveryPath() + "/**", this::serve);
    }

    private void serve(Exchange ex) throws Exception {
        String rest = ex.path().substring(urls.deliveryPath().length());
        String pathTransformation = null;
        if (rest.startsWith("/tr:")) {
            int slash = rest.indexOf('/', 1);
            if (slash < 0) {
                throw new ApiException(ErrorCode.FILE_NOT_FOUND);
            }
            pathTransformation = rest.substring(4, slash);
            rest = rest.substring(slash);
        }
        String queryTransformation = ex.queryParam("tr");
        Transformation t = parser.parse(join(pathTransformation, queryTransformation));

        String versionId = ex.queryParam("ik-obj-version");
        Optional<LibraryFile> found = library.findByPath(rest);
        if (found.isPresent() && versionId != null) {
            found = library.findVersion(found.get().file().fileId(), versionId);
        }
        LibraryFile file = found.filter(f -> f.version().isPublished())
                .orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));

        String rawAfterEndpoint = ex.rawPath().substring(urls.deliveryPath().length() + 1);
        switch (signatures.check(rawAfterEndpoint, ex.rawQuery(), clock.instant())) {
            case INVALID, EXPIRED -> throw new ApiException(ErrorCode.SIGNED_URL_INVALID);
            case UNSIGNED -> {
                // Private files: the original and unnamed transformations need a signed URL; named ones do not.
                if (file.version().isPrivate() && !(t.namedOnly() && !t.original())) {
                    throw new ApiException(ErrorCode.SIGNED_URL_REQUIRED);
                }
            }
            case VALID -> { }
        }

        ex.setHeader("X-Content-Type-Options", "nosniff");
        ex.setHeader("Cache-Control", versionId != null ? "public, max-age=31536000, immutable"
                : file.version().isPrivate() ? "private, max-age=0, must-revalidate" : "public, max-age=0, must-revalidate");
        if ("true".equals(ex.queryParam("ik-attachment"))) {
            ex.setHeader("Content-Disposition", "attachment; filename*=UTF-8''"
                    + java.net.URLEncoder.encode(file.file().name(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        if (t.isEmpty() || t.original()) {
            BlobStore.Blob blob = blobs.find(file.version().blobKey()).orElseThrow(() -> {
                log.error("Blob {} of file {} is missing", file.version().blobKey(), file.file().fileId());
                return new ApiException(ErrorCode.FILE_NOT_FOUND);
            });
            String mime = file.version().mime();
            if (ACTIVE_TYPES.contains(mime)) {
                ex.setHeader("Content-Security-Policy", "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'");
            }
            send(ex, blob, mime.startsWith("text/") ? mime + "; charset=utf-8" : mime, "\"" + file.version().md5() + "\"",
                    file.version().createdAt());
            return;
        }
        Rendering r = transforms.render(file, t, ex.header("Accept"));
        if (r.formatFromAccept()) {
            ex.addHeader("Vary", "Accept"); // added: CORS may already have set Vary: Origin
        }
        send(ex, r.blob(), r.mime(), "\"" + r.key() + "\"", file.version().createdAt());
    }

    private static String join(String a, String b) {
        if (a == null || a.isEmpty()) {
            return b;
        }
        return b == null || b.isEmpty() ? a : a + ":" + b;
    }

    /** Conditional GET, ranges and the body, the same for originals and renderings. */
    private static void send(Exchange ex, BlobStore.Blob blob, String contentType, String etag, java.time.Instant created)
            throws java.io.IOException {
        ex.setHeader("Content-Type", contentType);
        ex.setHeader("ETag", etag);
        java.time.Instant modified = created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ex.setHeader("Last-Modified", org.eclipse.jetty.http.DateGenerator.formatDate(modified));
        ex.setHeader("Accept-Ranges", "bytes");
        if (Conditional.notModified(ex, etag, modified)) {
            ex.empty(304);
            return;
        }
        long size = blob.size();
        long[] range = ByteRange.parse(ex.header("Range"), size, ex.header("If-Range"), etag);
        if (range == ByteRange.UNSATISFIABLE) {
            ex.setHeader("Content-Range", "bytes */" + size);
            throw new ApiException(ErrorCode.RANGE_NOT_SATISFIABLE);
        }
        if (range != null) {
            ex.setHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
            ex.stream(206, range[1] - range[0] + 1, blob.open(range[0], range[1] - range[0] + 1));
            return;
        }
        ex.stream(200, size, blob.open(0, size));
    }
}

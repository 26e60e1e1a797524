package dev.upfront.delivery;

import dev.upfront.auth.Hmac;
import dev.upfront.auth.UrlSignature;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.FileVersion;
import dev.upfront.library.LibraryFile;
import dev.upfront.library.PathLookupCache;
import dev.upfront.storage.BlobStore;
import dev.upfront.transform.Step;
import dev.upfront.transform.TransformParser;
import dev.upfront.transform.Transformation;
import dev.upfront.transform.Transforms;
import dev.upfront.transform.Transforms.Rendering;
import dev.upfront.video.VideoRenditions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what delivery sends for {@code <urlEndpoint>/[tr:<transformation>/]<filePath>}: which file and version,
 * whether the URL must be signed, the original or a rendering, and the response headers (caching, sandboxing,
 * conditional GET). The HTTP route only parses the request and writes the {@link Delivery} it gets back.
 *
 * <p>Private files: the original and unnamed transformations need a valid signed URL; named transformations work
 * unsigned (ImageKit's thumbnails). An unsigned request for a private file learns nothing more than "it is
 * private": a rendering that fails answers the same 401 as the original would, ETags are opaque, responses are never
 * cacheable by shared caches.
 */
public final class DeliveryService {
    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);
    /** The largest body kept in memory: bigger ones are few per cache and stream well from the blob store. */
    private static final int MAX_PARSED = 1_000;
    static final long MAX_MEMORY_BODY = 2L * 1024 * 1024;
    static final String SANDBOX = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'";

    /**
     * One delivery request, already taken apart by the route.
     *
     * @param path the decoded file path after the endpoint and any {@code tr:} segment, e.g. {@code /a/b.jpg}
     * @param rawPathAfterEndpoint the path after the endpoint exactly as received (what a signed URL signs)
     * @param rawQuery the query exactly as received, or null
     * @param transformation the {@code tr:} path segment and {@code ?tr=} joined with {@code :}, or null
     * @param ifModifiedSince the parsed header, or null
     */
    public record Request(String path, String rawPathAfterEndpoint, String rawQuery, String transformation, String versionId,
                          boolean attachment, String accept, String ifNoneMatch, Instant ifModifiedSince) {}

    /**
     * What to send. {@code notModified}: answer 304 with the headers only.
     *
     * @param blob the body in the blob store, or null when {@code memory} holds it
     * @param memory the whole body in memory (a small hot one), or null: stream {@code blob}
     * @param headers header lines to set, in order (Cache-Control, Content-Type, ETag, CSP...)
     * @param lastModified for the Last-Modified header, or null for none
     * @param varyAccept the format was chosen from Accept: add {@code Vary: Accept}
     */
    public record Delivery(BlobStore.Blob blob, ByteBuffer memory, String etag, Instant lastModified, Map<String, String> headers, boolean varyAccept,
                           boolean notModified) {
        /** The body's length in bytes. */
        public long size() {
            return memory != null ? memory.remaining() : blob.size();
        }
    }

    private final PathLookupCache files;
    private final BlobStore blobs;
    private final UrlSignature signatures;
    private final InstantSource clock;
    private final TransformParser parser;
    private final Transforms transforms;
    private final String etagKey;
    private final VideoRenditions videos;
    private final HotBodies hot;
    private final Map<String, Transformation> parsed = new ConcurrentHashMap<>();

    /**
     * @param files where files are looked up on every request: it must answer a change made through any instance
     *     within the scale-out bound (2 s), since the bodies kept in memory are reached only through it
     * @param etagKey the secret that keys the ETags of renderings, so they say nothing about the file
     * @param memoryBytes the total bytes of small bodies kept in memory (0: none)
     */
    public DeliveryService(PathLookupCache files, BlobStore blobs, UrlSignature signatures, InstantSource clock, TransformParser parser,
                           Transforms transforms, String etagKey, VideoRenditions videos, long memoryBytes) {
        this.hot = new HotBodies(memoryBytes, Math.min(MAX_MEMORY_BODY, memoryBytes / 8));
        this.videos = videos;
        this.files = files;
        this.blobs = blobs;
        this.signatures = signatures;
        this.clock = clock;
        this.parser = parser;
        this.transforms = transforms;
        this.etagKey = etagKey;
    }

    /** Decides what to send; may wait on the database, the blob store or a render. */
    public Delivery deliver(Request r) {
        return decide(r, false);
    }

    /**
     * The same decision as {@link #deliver}, made only from what this process holds in memory (the file's remembered
     * lookup, the parsed transformation, the kept body), so it never waits and may run on an I/O thread. Empty when
     * any of them is missing, or when the answer is an error: {@link #deliver} then decides, on a thread that may wait.
     */
    public Optional<Delivery> deliverFromMemory(Request r) {
        try {
            return Optional.of(decide(r, true));
        } catch (NotInMemory | ApiException e) {
            return Optional.empty();
        }
    }

    /**
     * Thrown where a decision made from memory only would have to wait. An exception rather than a result threaded
     * through every step, so both lanes run the one decision; preallocated, without a stack trace, as it is expected.
     */
    private static final class NotInMemory extends RuntimeException {
        private static final NotInMemory INSTANCE = new NotInMemory();

        private NotInMemory() {
            super("not in memory", null, false, false);
        }
    }

    private Optional<LibraryFile> findByPath(String path, boolean memoryOnly) {
        return memoryOnly ? files.rememberedByPath(path).orElseThrow(() -> NotInMemory.INSTANCE) : files.findByPath(path);
    }

    private Optional<LibraryFile> findVersion(String fileId, String versionId, boolean memoryOnly) {
        return memoryOnly ? files.rememberedVersion(fileId, versionId).orElseThrow(() -> NotInMemory.INSTANCE)
                : files.findVersion(fileId, versionId);
    }

    private Delivery decide(Request r, boolean memoryOnly) {
        // A video rendition (<file>/ik-master.m3u8, a video's ?tr=...) is not an image transformation: it is known
        // as one only once the file is found, so an image transformation's error waits until then.
        // A file really named like a rendition (/a/ik-thumbnail.jpg) is served as itself.
        Optional<VideoRenditions.Named> named = VideoRenditions.named(r.path());
        Optional<LibraryFile> found = named.flatMap(n -> findByPath(n.filePath(), memoryOnly));
        if (found.isEmpty()) {
            named = Optional.empty();
            found = findByPath(r.path(), memoryOnly);
        }
        Transformation t = Transformation.NONE;
        ApiException unparsed = null;
        if (named.isEmpty()) {
            try {
                t = parse(r.transformation(), memoryOnly);
            } catch (ApiException e) {
                unparsed = e;
            }
        }
        boolean video = named.isPresent() || (found.isPresent() && found.get().version().mime().startsWith("video/")
                && r.transformation() != null && !r.transformation().isEmpty());
        if (!video && unparsed != null) {
            throw unparsed;
        }
        if (found.isPresent() && r.versionId() != null) {
            found = findVersion(found.get().file().fileId(), r.versionId(), memoryOnly);
        }
        LibraryFile file = found.filter(f -> f.version().isPublished())
                .orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
        boolean isPrivate = file.version().isPrivate();
        boolean signed = switch (signatures.check(r.rawPathAfterEndpoint(), r.rawQuery(), clock.instant())) {
            case INVALID, EXPIRED -> throw new ApiException(ErrorCode.SIGNED_URL_INVALID);
            case UNSIGNED -> false;
            case VALID -> true;
        };
        boolean original = !video && (t.isEmpty() || t.original());
        if (isPrivate && !signed && (original || video || !t.namedOnly())) {
            throw new ApiException(ErrorCode.SIGNED_URL_REQUIRED);
        }

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Cache-Control", cacheControl(isPrivate, r.versionId() != null));
        if (r.attachment()) {
            headers.put("Content-Disposition", "attachment; filename*=UTF-8''"
                    + URLEncoder.encode(file.file().name(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        Chosen body;
        if (original) {
            String mime = file.version().mime();
            if (needsSandbox(mime)) {
                headers.put("Content-Security-Policy", SANDBOX);
            }
            // A version's bytes never change, so its id is a strong validator (and costs no hash of the bytes).
            body = originalBody(file, "\"" + file.version().versionId() + "\"", mime.startsWith("text/") ? mime + "; charset=utf-8" : mime,
                    memoryOnly);
        } else if (video) {
            if (memoryOnly) {
                throw NotInMemory.INSTANCE; // renditions are files of the render cache, never kept in memory
            }
            VideoRenditions.Rendition rendition = videos.deliver(file, named.orElse(null), r.transformation());
            String etag = "\"" + Hmac.sha256Hex(etagKey, "etag:" + rendition.key()).substring(0, 32) + "\"";
            body = new Chosen(rendition.blob(), null, rendition.mime(), etag, false);
        } else {
            body = renderingBody(file, t, r.accept(), isPrivate && !signed, memoryOnly);
        }
        headers.put("Content-Type", body.mime());
        String etag = body.etag();
        headers.put("ETag", etag);
        // An unsigned thumbnail of a private file does not tell when the file was uploaded.
        Instant modified = isPrivate && !signed ? null : file.version().createdAt().truncatedTo(ChronoUnit.SECONDS);
        headers.put("Accept-Ranges", "bytes");
        return new Delivery(body.blob(), body.memory(), etag, modified, headers, body.varyAccept(), Conditional.notModified(r.ifNoneMatch(), r.ifModifiedSince(), etag, modified));
    }

    /**
     * Private files are never for shared caches, whatever the URL; a version URL of a public file never changes
     * (the version id is immutable); the current URL may point at a new version at any time.
     */
    static String cacheControl(boolean isPrivate, boolean versioned) {
        if (isPrivate) {
            return "private, max-age=0, must-revalidate";
        }
        return versioned ? "public, max-age=31536000, immutable" : "public, max-age=0, must-revalidate";
    }

    /**
     * Everything but raster images, audio and video gets a sandboxing CSP: a browser could run script in SVG, HTML,
     * any XML, PDF, a saved web page (message/rfc822, multipart/related) or a type nobody foresaw.
     */
    static boolean needsSandbox(String mime) {
        String type = mime == null ? "" : mime.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            type = type.substring(0, semicolon).trim();
        }
        boolean raster = type.startsWith("image/") && !type.contains("svg") && !type.contains("xml");
        return !(raster || type.startsWith("audio/") || type.startsWith("video/"));
    }

    /**
     * The parsed transformation, remembered: parsing showed as the largest part of a cached hit in the profile, and
     * a site uses a handful of transformations. Refused ones are not remembered (they throw every time).
     */
    private Transformation parse(String transformation, boolean memoryOnly) {
        String key = transformation == null ? "" : transformation;
        Transformation t = parsed.get(key);
        if (t == null) {
            if (memoryOnly) {
                throw NotInMemory.INSTANCE;
            }
            t = parser.parse(transformation);
            if (parsed.size() >= MAX_PARSED) {
                parsed.clear();
            }
            parsed.put(key, t);
        }
        return t;
    }

    /** The body chosen: in memory (kept, or small enough to keep), or a blob to stream. */
    private record Chosen(BlobStore.Blob blob, ByteBuffer memory, String mime, String etag, boolean varyAccept) {
        static Chosen of(HotBodies.Body kept) {
            return new Chosen(null, kept.view(), kept.mime(), kept.etag(), kept.varyAccept());
        }
    }

    private Chosen originalBody(LibraryFile file, String etag, String mime, boolean memoryOnly) {
        // A blob key names bytes that never change: every upload publishes under a new key.
        String key = "o " + file.version().blobKey();
        Optional<HotBodies.Body> kept = hot.get(key);
        if (kept.isPresent()) {
            return new Chosen(null, kept.get().view(), mime, etag, false);
        }
        if (memoryOnly) {
            throw NotInMemory.INSTANCE;
        }
        return keep(key, original(file), mime, etag, false);
    }

    /**
     * A rendering depends on the version (whose bytes never change), its custom coordinates (which can be edited),
     * the transformation, and what of the Accept header picks the format, when it does: the key holds all four, so a hit skips
     * planning and the render cache's store.
     */
    private Chosen renderingBody(LibraryFile file, Transformation t, String accept, boolean unsignedPrivate, boolean memoryOnly) {
        FileVersion v = file.version();
        String key = "r " + v.versionId() + " " + v.customCoordinates() + " " + t.canonical()
                + (t.format() == Step.Format.AUTO ? " " + Transforms.autoFormatHint(accept) : "");
        Optional<HotBodies.Body> kept = hot.get(key);
        if (kept.isPresent()) {
            transforms.derived().cache().countHit();
            return Chosen.of(kept.get());
        }
        if (memoryOnly) {
            throw NotInMemory.INSTANCE;
        }
        Rendering rendering = render(file, t, accept, unsignedPrivate);
        String etag = "\"" + Hmac.sha256Hex(etagKey, "etag:" + rendering.key()).substring(0, 32) + "\"";
        return keep(key, rendering.blob(), rendering.mime(), etag, rendering.formatFromAccept());
    }

    /** Reads a small body into memory and keeps it; a bigger one is streamed from its blob. */
    private Chosen keep(String key, BlobStore.Blob blob, String mime, String etag, boolean varyAccept) {
        if (!hot.fits(blob.size())) {
            return new Chosen(blob, null, mime, etag, varyAccept);
        }
        byte[] bytes;
        try (InputStream in = blob.open(0, blob.size())) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HotBodies.Body body = new HotBodies.Body(ByteBuffer.wrap(bytes), mime, etag, varyAccept);
        hot.put(key, body);
        return Chosen.of(body);
    }

    /** Bytes of bodies kept in memory now (tests, metrics). */
    long memoryBytes() {
        return hot.bytes();
    }

    private Rendering render(LibraryFile file, Transformation t, String accept, boolean unsignedPrivate) {
        try {
            return transforms.render(file, t, accept);
        } catch (ApiException e) {
            if (unsignedPrivate && e.status() < 500) {
                // The reason (its type, its size) would describe a private file to someone without its signed URL.
                throw new ApiException(ErrorCode.SIGNED_URL_REQUIRED);
            }
            throw e;
        }
    }

    private BlobStore.Blob original(LibraryFile file) {
        try {
            return blobs.find(file.version().blobKey()).orElseThrow(() -> {
                log.error("Blob {} of file {} is missing", file.version().blobKey(), file.file().fileId());
                return new ApiException(ErrorCode.FILE_NOT_FOUND);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

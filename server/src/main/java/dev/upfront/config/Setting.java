package dev.upfront.config;

import java.util.Locale;

/**
 * The configuration variables (PRODUCT.md §2). Each is read from the environment and may also be given as a
 * flag: {@code UPFRONT_MAX_FILE_SIZE} is {@code --max-file-size}. A flag wins over the environment.
 */
public enum Setting {
    PORT("8080", "HTTP port (`0` = pick a free one and log it)."),
    BIND("0.0.0.0", "Listen address."),
    DATA_DIR("./data", "Embedded default's folder: SQLite file, blobs, generated keys."),
    PUBLIC_KEY("", "The account's public key (with `UPFRONT_PRIVATE_KEY`). Generated on first start when no key is configured."),
    PRIVATE_KEY("", "The account's private key (with `UPFRONT_PUBLIC_KEY`)."),
    KEYS_FILE("", "A file listing several key pairs, one `public_… private_…` pair per line (key rotation)."),
    URL_ENDPOINT("", "Public base URL of delivery, used in every `url`; default `http://localhost:<port>/media`. Delivery is served under its path."),
    MAX_FILE_SIZE("25MB", "Largest upload that is not a video (`B`, `KB`, `MB`, `GB`: powers of 1024)."),
    MAX_VIDEO_FILE_SIZE("300MB", "Largest video upload."),
    MAX_PENDING_BYTES("1GB", "Bytes that uploads sending their file before their credentials may stage together before they are authenticated; past it such an upload gets 503 with `Retry-After`. At least the largest upload limit."),
    MIN_UPLOAD_RATE("1KB", "Slowest average rate, per second, at which an upload body must arrive, measured over `UPFRONT_MIN_UPLOAD_RATE_WINDOW`; a slower one gets 408."),
    MIN_UPLOAD_RATE_WINDOW("30", "Seconds over which the upload rate is averaged, so a client pausing a few seconds is not cut."),
    UPLOAD_TIMEOUT("3600", "Seconds an upload body may take in all; a longer one gets 408."),
    MAX_VERSIONS("100", "Versions kept per file; the upload that would add one more is refused."),
    DATABASE_URL("", "JDBC URL of the metadata database; default SQLite in the data folder. "
            + "`jdbc:postgresql://host:5432/db?user=...&password=...` shares it between several instances."),
    STORAGE("fs", "Blob storage: `fs` (the data folder) or `s3` (a bucket several instances share: the `UPFRONT_S3_*` settings)."),
    S3_ENDPOINT("", "With `UPFRONT_STORAGE=s3`: the S3 endpoint URL (MinIO, Ceph, R2 ...); empty = AWS for the region."),
    S3_BUCKET("", "With `UPFRONT_STORAGE=s3`: the bucket (it must exist: it is never created)."),
    S3_REGION("us-east-1", "With `UPFRONT_STORAGE=s3`: the region requests are signed for."),
    S3_ACCESS_KEY("", "With `UPFRONT_STORAGE=s3`: access key id (with `UPFRONT_S3_SECRET_KEY`); empty = AWS's default credential chain."),
    S3_SECRET_KEY("", "With `UPFRONT_STORAGE=s3`: secret access key."),
    S3_PATH_STYLE("false", "With `UPFRONT_STORAGE=s3`: path-style addressing (`endpoint/bucket/key`), as MinIO and most self-hosted stores need."),
    CORS_ORIGINS("*", "Comma-separated origins allowed to call the upload API from a browser (`*` = any)."),
    CLOCK_SKEW("0", "Seconds of clock skew allowed when checking `expire` and JWT times."),
    FETCH_ALLOW_PRIVATE("false", "Allow `file` URLs and webhook targets that point at loopback, private (RFC 1918, 100.64/10, fc00::/7) or this machine's own addresses. Link-local, metadata, documentation and other special ranges stay refused."),
    FETCH_TIMEOUT("8", "Seconds to wait for the response headers of a `file` URL."),
    FETCH_TOTAL_TIMEOUT("120", "Seconds a `file` URL's download may take in all."),
    IMAGE_BACKEND("auto", "Image processing: `auto` (libvips when the machine has it, else pure Java), `vips` or `java`."),
    MAX_TRANSFORM_PIXELS("50000000", "Largest source image, in pixels, that delivery will transform (checked from the header before decoding)."),
    RENDER_CACHE_SIZE("1GB", "Disk kept for rendered transformations; past it the least recently used renderings are deleted."),
    NAMED_TRANSFORMATIONS("", "Extra named transformations: `name=w-100,h-100;other=w-50:rt-90` (`n-ik_ml_thumbnail` is built in)."),
    METRICS_TOKEN("", "Bearer token `GET /metrics` requires (at least 16 characters); empty = `/metrics` is open."),
    LOG_FORMAT("text", "`text` (one readable line per event) or `json` (one JSON object per line, with the request id)."),
    ADMIN_PASSWORD("", "Password that signs in to `/dashboard` besides the private key (kept only as a PBKDF2 hash in memory); empty = the private key only."),
    DEV_AUTH("false", "Emulator mode: serves the example authentication endpoint at /dev/auth (local development only)."),
    WEBHOOK_URL("", "Comma-separated http(s) URLs (at most 5) that receive every webhook event."),
    WEBHOOK_SECRET("", "The `whsec_…` secret webhooks are signed with; empty = one generated once and kept in the database."),
    WEBHOOK_RETRY_DELAY("10", "Seconds before the first retry of a failed webhook delivery (1 to 15); later retries back off exponentially for at least 24 hours."),
    BLOB_LEASE("3600", "Seconds an upload to shared storage may go without news (a part sent, or data received) before the blob janitor counts it as the leftover of a crashed instance and removes it."),
    JANITOR_INTERVAL("300", "Seconds between runs of the blob janitor (one instance at a time runs it)."),
    FFMPEG("auto", "Video transformations' ffmpeg: `auto` (the one on PATH, if any), `none` (video transformations are refused), or the executable's path."),
    SEARCH_TIMEOUT("5", "Seconds the database may spend on one listing or search; a longer one is stopped and answered with 400 `SEARCH_TIMEOUT`."),
    DELIVERY_CACHE_BYTES("64MB", "Memory for small hot delivery bodies (renderings and originals of at most 2MB, and at most an eighth of this), served without the blob store; `0` = none.");

    private final String defaultValue;
    private final String description;

    Setting(String defaultValue, String description) {
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The environment variable, e.g. {@code UPFRONT_MAX_FILE_SIZE}. */
    public String variable() {
        return "UPFRONT_" + name();
    }

    /** The command-line flag, e.g. {@code --max-file-size}. */
    public String flag() {
        return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}

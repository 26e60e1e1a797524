package dev.upfront.error;

/**
 * Every error this server can answer with: HTTP status, ImageKit's message text where ImageKit has one (see
 * shared/reference/imagekit-api.md §2.7, §3), and our stable machine-readable {@code code} (the constant's name).
 *
 * <p>Messages may hold {@code %s} placeholders filled by {@link ApiException}. Nothing secret ever goes into them.
 */
public enum ErrorCode {
    // Authentication (reference §2.3, §2.4, §2.7)
    MISSING_AUTH(401, "Your request does not contain private API key."),
    BOTH_AUTH_METHODS(400, "Your request contains both signature and basic auth parameter. Use only one method, you might be exposing your private API key."),
    BOTH_AUTH_METHODS_V2(400, "Your request contains both token and basic auth parameter. Use only one method, you might be exposing your private API key."),
    MISSING_AUTH_FIELD(400, "Your request is missing %s parameter."),
    KEY_UNKNOWN(403, "Your account cannot be authenticated."),
    EXPIRE_INVALID(400, "Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future."),
    TOKEN_REUSED(400, "The token with value '%s' has been used before. We suggest using V4 UUIDs, or another random string with enough entropy to avoid collisions."),
    SIGNATURE_INVALID(400, "Your request contains invalid signature parameter."),
    JWT_MISSING(401, "Your request is missing token parameter."),
    JWT_MALFORMED(400, "Your request has invalid token. %s"),
    JWT_ALGORITHM(400, "Your request has invalid token. The token must be signed with HS256."),
    JWT_KEY_UNKNOWN(400, "Your request has invalid token. Its kid names no active public key."),
    JWT_SIGNATURE_INVALID(400, "Your request has invalid token. Its signature does not match."),
    JWT_CLAIMS_INVALID(400, "Your request has invalid token. %s"),
    JWT_NOT_YET_VALID(400, "Your request has invalid token. It is not valid yet (nbf)."),
    JWT_EXPIRED(400, "Your request contains expired token."),
    JWT_REUSED(400, "The token has been used before. Sign a new token for every upload, even after a failed one."),
    JWT_PAYLOAD_MISMATCH(400, "Your request contains invalid payload. It does not match with the payload used to generate token. First mismatched parameter: %s."),

    // Request body
    PENDING_UPLOADS_FULL(503, "The server is receiving too many uploads whose authentication is still to come. Retry shortly, or send the authentication fields before the file.", 10),
    UPLOAD_TOO_SLOW(408, "Your request body arrived too slowly: %s."),
    NOT_MULTIPART(400, "Your request must be multipart/form-data with a boundary."),
    MALFORMED_MULTIPART(400, "Your request body is not valid multipart/form-data: %s."),
    DUPLICATE_FIELD(400, "Your request contains the %s parameter more than once."),
    TOO_MANY_FIELDS(400, "Your request contains more than %s parameters."),
    FIELD_TOO_LARGE(400, "Your request contains a %s parameter that is too large."),
    FIELDS_TOO_LARGE(400, "Your request's text parameters are larger than %s bytes together."),
    UPLOADS_BUSY(503, "The server is receiving too many upload forms at once. Retry in a few seconds.", 2),
    FIELD_NOT_SUPPORTED(400, "The %s parameter is not supported by this server."),
    INVALID_FIELD(400, "Your request contains invalid %s parameter. %s"),
    INVALID_BOOLEAN(400, "Your request contains invalid %s parameter. It must be either true or false."),
    MISSING_FILE(400, "Your request is missing file parameter."),
    MISSING_FILE_NAME(400, "Your request is missing fileName parameter."),
    INVALID_FILE(400, "Your request contains invalid file parameter. %s"),
    FILE_TOO_LARGE(400, "Your request contains invalid file parameter. The file size exceeds limits."),
    FILE_FETCH_FAILED(400, "Your request contains invalid file parameter. The file could not be downloaded from the URL: %s"),
    URL_FETCH_FAILED(400, "Your request contains invalid url parameter. %s"),
    FILE_EXISTS(400, "A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false."),
    VERSION_LIMIT(400, "A file can have a maximum of %s versions. Delete older versions before uploading a new one."),
    TRANSFORMATION_INVALID(400, "Bad Image Transformation Request. %s"),
    CHECKS_INVALID(400, "Your request contains invalid syntax for the checks parameter."),
    CHECKS_FAILED(400, "Your request failed 'checks' validation."),
    UPLOAD_TRANSFORMATION_INVALID(400, "The file could not be uploaded because the transformation field is invalid."),
    UPLOAD_TRANSFORMATION_MEDIA(400, "The file could not be uploaded because transformations are supported only for image and video files."),
    UPLOAD_TRANSFORMATION_INCOMPATIBLE(400, "The file could not be uploaded because the detected file type & post-transformation are incompatible."),
    VIDEO_TOOLCHAIN_MISSING(400, "The %s transformation needs a video toolchain (ffmpeg), which this server does not have."),
    VIDEO_TRANSFORMATION_UNSUPPORTED(400, "The %s transformation is not supported by this server yet."),
    VIDEO_TRANSFORMATION_INVALID(400, "The video transformation is not supported here: %s."),
    VIDEO_TOO_LARGE(400, "The video has %s bytes; videos of at most %s bytes are transformed."),
    VIDEO_TRANSFORMATION_FAILED(400, "The video could not be transformed (%s)."),
    IMAGE_TOO_LARGE(400, "The image is too large to transform: %s"),
    IMAGE_UNREADABLE(400, "The file cannot be transformed: %s"),
    FORMAT_UNSUPPORTED(400, "This server cannot write %s images (that needs libvips)."),
    TRANSFORM_TIMEOUT(503, "The transformation took too long. Try a smaller output."),
    TRANSFORM_TOO_COSTLY(400, "Bad Image Transformation Request. This transformation would take too long to render: ask for a smaller output or a smaller blur."),
    RENDER_BUSY(503, "Too many transformations are being rendered right now. Retry in a few seconds.", 2),

    // Media API and delivery
    FILE_NOT_FOUND(404, "The requested file does not exist."),
    VERSION_NOT_FOUND(404, "The requested file version does not exist."),
    ASSET_NOT_FOUND(404, "The requested asset does not exist."),
    FILES_NOT_FOUND(404, "The requested file(s) does not exist."),
    CURRENT_VERSION(400, "You cannot delete current version of a file."),
    SOURCE_FILE_MISSING(404, "No file found with filePath %s"),
    FILE_ALREADY_EXISTS(409, "File with name %s already exists at the same location."),
    FILE_MISSING(404, "No file found in media library at filePath %s"),
    FOLDER_ALREADY_EXISTS(409, "Folder with name %s already exists at the same location."),
    FOLDER_NOT_FOUND(404, "No folder found with folderPath %s"),
    NO_FILES_FOLDER(404, "No files & folder found at sourceFolderPath %s"),
    JOB_NOT_FOUND(404, "The requested job does not exist."),
    INVALID_BODY(400, "Your request body is invalid: %s"),
    INVALID_PARAMETER(400, "Your request contains invalid %s parameter. %s"),
    INVALID_SEARCH_QUERY(400, "Your request contains invalid searchQuery: %s."),
    SEARCH_TIMEOUT(400, "Your search took longer than %s seconds. Narrow the searchQuery down, or list a smaller folder, and try again."),
    CUSTOM_FIELD_NOT_FOUND(404, "No such custom metadata field exists."),
    CUSTOM_FIELD_EXISTS(400, "A custom metadata field with this name already exists."),
    CUSTOM_FIELD_LABEL_EXISTS(400, "A custom metadata field with this label already exists."),
    CUSTOM_FIELD_DELETED(400, "Cannot update a deleted custom metadata fields."),
    CUSTOM_FIELD_INVALID(400, "Invalid field object"),
    CUSTOM_METADATA_INVALID(400, "Invalid custom metadata. %s"),
    RANGE_NOT_SATISFIABLE(416, "The requested range is not satisfiable."),
    SIGNED_URL_REQUIRED(401, "This file is private. A valid signed URL is required."),
    SIGNED_URL_INVALID(401, "The URL signature is invalid or has expired."),
    ROUTE_NOT_FOUND(404, "The requested resource does not exist."),
    METHOD_NOT_ALLOWED(405, "The %s method is not allowed on this resource."),
    DASHBOARD_SIGN_IN_REFUSED(401, "That is neither an active private key nor the admin password."),
    DASHBOARD_SIGN_IN_THROTTLED(429, "Too many failed sign-ins. Wait a few minutes before trying again.", 60),
    DASHBOARD_CSRF(403, "This dashboard request lacks its CSRF token (the X-CSRF-Token header of the signed-in page)."),
    DASHBOARD_ORIGIN(403, "This dashboard request came from another site."),
    METRICS_UNAUTHORIZED(401, "The metrics need the bearer token configured in UPFRONT_METRICS_TOKEN."),

    // Server
    NOT_READY(503, "The server is not ready: %s."),
    DATABASE_UNAVAILABLE(503, "The database is unavailable. Try again shortly."),
    STORAGE_UNAVAILABLE(503, "The file storage is unavailable. Try again shortly."),
    INTERNAL(500, "Something went wrong. The request id identifies this failure in the server's log.");

    private final int status;
    private final String message;
    private final int retryAfterSeconds;

    ErrorCode(int status, String message) {
        this(status, message, 0);
    }

    ErrorCode(int status, String message, int retryAfterSeconds) {
        this.status = status;
        this.message = message;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** Seconds for a {@code Retry-After} header (a temporary refusal worth retrying), or 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The message with its placeholders filled. */
    public String message(Object... args) {
        return args.length == 0 ? message : message.formatted(args);
    }
}

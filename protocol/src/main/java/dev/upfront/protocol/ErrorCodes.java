package dev.upfront.protocol;

import java.util.Set;

/**
 * The machine-readable {@code code} values an Upfront server puts in its error bodies beside ImageKit's
 * {@code message} and {@code help}. The server's own error table is the authority and may grow; clients should
 * treat an unknown code as a generic failure of its HTTP status.
 */
public final class ErrorCodes {
    public static final String MISSING_AUTH = "MISSING_AUTH";
    public static final String BOTH_AUTH_METHODS = "BOTH_AUTH_METHODS";
    public static final String BOTH_AUTH_METHODS_V2 = "BOTH_AUTH_METHODS_V2";
    public static final String MISSING_AUTH_FIELD = "MISSING_AUTH_FIELD";
    public static final String KEY_UNKNOWN = "KEY_UNKNOWN";
    public static final String EXPIRE_INVALID = "EXPIRE_INVALID";
    public static final String TOKEN_REUSED = "TOKEN_REUSED";
    public static final String SIGNATURE_INVALID = "SIGNATURE_INVALID";
    public static final String JWT_MISSING = "JWT_MISSING";
    public static final String JWT_MALFORMED = "JWT_MALFORMED";
    public static final String JWT_ALGORITHM = "JWT_ALGORITHM";
    public static final String JWT_KEY_UNKNOWN = "JWT_KEY_UNKNOWN";
    public static final String JWT_SIGNATURE_INVALID = "JWT_SIGNATURE_INVALID";
    public static final String JWT_CLAIMS_INVALID = "JWT_CLAIMS_INVALID";
    public static final String JWT_NOT_YET_VALID = "JWT_NOT_YET_VALID";
    public static final String JWT_EXPIRED = "JWT_EXPIRED";
    public static final String JWT_REUSED = "JWT_REUSED";
    public static final String JWT_PAYLOAD_MISMATCH = "JWT_PAYLOAD_MISMATCH";
    public static final String NOT_MULTIPART = "NOT_MULTIPART";
    public static final String MALFORMED_MULTIPART = "MALFORMED_MULTIPART";
    public static final String DUPLICATE_FIELD = "DUPLICATE_FIELD";
    public static final String TOO_MANY_FIELDS = "TOO_MANY_FIELDS";
    public static final String FIELD_TOO_LARGE = "FIELD_TOO_LARGE";
    public static final String FIELDS_TOO_LARGE = "FIELDS_TOO_LARGE";
    public static final String UPLOADS_BUSY = "UPLOADS_BUSY";
    public static final String FIELD_NOT_SUPPORTED = "FIELD_NOT_SUPPORTED";
    public static final String INVALID_FIELD = "INVALID_FIELD";
    public static final String INVALID_BOOLEAN = "INVALID_BOOLEAN";
    public static final String MISSING_FILE = "MISSING_FILE";
    public static final String MISSING_FILE_NAME = "MISSING_FILE_NAME";
    public static final String INVALID_FILE = "INVALID_FILE";
    public static final String FILE_TOO_LARGE = "FILE_TOO_LARGE";
    public static final String FILE_FETCH_FAILED = "FILE_FETCH_FAILED";
    public static final String FILE_EXISTS = "FILE_EXISTS";
    public static final String VERSION_LIMIT = "VERSION_LIMIT";
    public static final String TRANSFORMATION_INVALID = "TRANSFORMATION_INVALID";
    public static final String IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE";
    public static final String IMAGE_UNREADABLE = "IMAGE_UNREADABLE";
    public static final String FORMAT_UNSUPPORTED = "FORMAT_UNSUPPORTED";
    public static final String TRANSFORM_TIMEOUT = "TRANSFORM_TIMEOUT";
    public static final String FILE_NOT_FOUND = "FILE_NOT_FOUND";
    public static final String VERSION_NOT_FOUND = "VERSION_NOT_FOUND";
    public static final String ASSET_NOT_FOUND = "ASSET_NOT_FOUND";
    public static final String FILES_NOT_FOUND = "FILES_NOT_FOUND";
    public static final String CURRENT_VERSION = "CURRENT_VERSION";
    public static final String SOURCE_FILE_MISSING = "SOURCE_FILE_MISSING";
    public static final String FILE_ALREADY_EXISTS = "FILE_ALREADY_EXISTS";
    public static final String FILE_MISSING = "FILE_MISSING";
    public static final String FOLDER_NOT_FOUND = "FOLDER_NOT_FOUND";
    public static final String NO_FILES_FOLDER = "NO_FILES_FOLDER";
    public static final String JOB_NOT_FOUND = "JOB_NOT_FOUND";
    public static final String INVALID_BODY = "INVALID_BODY";
    public static final String INVALID_PARAMETER = "INVALID_PARAMETER";
    public static final String INVALID_SEARCH_QUERY = "INVALID_SEARCH_QUERY";
    public static final String SEARCH_TIMEOUT = "SEARCH_TIMEOUT";
    public static final String CUSTOM_FIELD_NOT_FOUND = "CUSTOM_FIELD_NOT_FOUND";
    public static final String CUSTOM_FIELD_EXISTS = "CUSTOM_FIELD_EXISTS";
    public static final String CUSTOM_FIELD_LABEL_EXISTS = "CUSTOM_FIELD_LABEL_EXISTS";
    public static final String CUSTOM_FIELD_DELETED = "CUSTOM_FIELD_DELETED";
    public static final String CUSTOM_FIELD_INVALID = "CUSTOM_FIELD_INVALID";
    public static final String CUSTOM_METADATA_INVALID = "CUSTOM_METADATA_INVALID";
    public static final String RANGE_NOT_SATISFIABLE = "RANGE_NOT_SATISFIABLE";
    public static final String SIGNED_URL_REQUIRED = "SIGNED_URL_REQUIRED";
    public static final String SIGNED_URL_INVALID = "SIGNED_URL_INVALID";
    public static final String ROUTE_NOT_FOUND = "ROUTE_NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String NOT_READY = "NOT_READY";
    public static final String CHECKS_FAILED = "CHECKS_FAILED";
    public static final String CHECKS_INVALID = "CHECKS_INVALID";
    public static final String DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE";
    public static final String FOLDER_ALREADY_EXISTS = "FOLDER_ALREADY_EXISTS";
    public static final String METRICS_UNAUTHORIZED = "METRICS_UNAUTHORIZED";
    public static final String PENDING_UPLOADS_FULL = "PENDING_UPLOADS_FULL";
    public static final String RENDER_BUSY = "RENDER_BUSY";
    public static final String STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE";
    public static final String TRANSFORM_TOO_COSTLY = "TRANSFORM_TOO_COSTLY";
    public static final String UPLOAD_TOO_SLOW = "UPLOAD_TOO_SLOW";
    public static final String UPLOAD_TRANSFORMATION_INCOMPATIBLE = "UPLOAD_TRANSFORMATION_INCOMPATIBLE";
    public static final String UPLOAD_TRANSFORMATION_INVALID = "UPLOAD_TRANSFORMATION_INVALID";
    public static final String UPLOAD_TRANSFORMATION_MEDIA = "UPLOAD_TRANSFORMATION_MEDIA";
    public static final String URL_FETCH_FAILED = "URL_FETCH_FAILED";
    public static final String VIDEO_TOOLCHAIN_MISSING = "VIDEO_TOOLCHAIN_MISSING";
    public static final String VIDEO_TOO_LARGE = "VIDEO_TOO_LARGE";
    public static final String VIDEO_TRANSFORMATION_FAILED = "VIDEO_TRANSFORMATION_FAILED";
    public static final String VIDEO_TRANSFORMATION_INVALID = "VIDEO_TRANSFORMATION_INVALID";
    public static final String VIDEO_TRANSFORMATION_UNSUPPORTED = "VIDEO_TRANSFORMATION_UNSUPPORTED";
    public static final String INTERNAL = "INTERNAL";

    /** Every code above. */
    public static final Set<String> ALL = Set.of(
            MISSING_AUTH,
            BOTH_AUTH_METHODS,
            BOTH_AUTH_METHODS_V2,
            MISSING_AUTH_FIELD,
            KEY_UNKNOWN,
            EXPIRE_INVALID,
            TOKEN_REUSED,
            SIGNATURE_INVALID,
            JWT_MISSING,
            JWT_MALFORMED,
            JWT_ALGORITHM,
            JWT_KEY_UNKNOWN,
            JWT_SIGNATURE_INVALID,
            JWT_CLAIMS_INVALID,
            JWT_NOT_YET_VALID,
            JWT_EXPIRED,
            JWT_REUSED,
            JWT_PAYLOAD_MISMATCH,
            NOT_MULTIPART,
            MALFORMED_MULTIPART,
            DUPLICATE_FIELD,
            TOO_MANY_FIELDS,
            FIELD_TOO_LARGE,
            FIELDS_TOO_LARGE,
            UPLOADS_BUSY,
            FIELD_NOT_SUPPORTED,
            INVALID_FIELD,
            INVALID_BOOLEAN,
            MISSING_FILE,
            MISSING_FILE_NAME,
            INVALID_FILE,
            FILE_TOO_LARGE,
            FILE_FETCH_FAILED,
            FILE_EXISTS,
            VERSION_LIMIT,
            TRANSFORMATION_INVALID,
            IMAGE_TOO_LARGE,
            IMAGE_UNREADABLE,
            FORMAT_UNSUPPORTED,
            TRANSFORM_TIMEOUT,
            FILE_NOT_FOUND,
            VERSION_NOT_FOUND,
            ASSET_NOT_FOUND,
            FILES_NOT_FOUND,
            CURRENT_VERSION,
            SOURCE_FILE_MISSING,
            FILE_ALREADY_EXISTS,
            FILE_MISSING,
            FOLDER_NOT_FOUND,
            NO_FILES_FOLDER,
            JOB_NOT_FOUND,
            INVALID_BODY,
            INVALID_PARAMETER,
            INVALID_SEARCH_QUERY,
            SEARCH_TIMEOUT,
            CUSTOM_FIELD_NOT_FOUND,
            CUSTOM_FIELD_EXISTS,
            CUSTOM_FIELD_LABEL_EXISTS,
            CUSTOM_FIELD_DELETED,
            CUSTOM_FIELD_INVALID,
            CUSTOM_METADATA_INVALID,
            RANGE_NOT_SATISFIABLE,
            SIGNED_URL_REQUIRED,
            SIGNED_URL_INVALID,
            ROUTE_NOT_FOUND,
            METHOD_NOT_ALLOWED,
            NOT_READY,
            CHECKS_FAILED,
            CHECKS_INVALID,
            DATABASE_UNAVAILABLE,
            FOLDER_ALREADY_EXISTS,
            METRICS_UNAUTHORIZED,
            PENDING_UPLOADS_FULL,
            RENDER_BUSY,
            STORAGE_UNAVAILABLE,
            TRANSFORM_TOO_COSTLY,
            UPLOAD_TOO_SLOW,
            UPLOAD_TRANSFORMATION_INCOMPATIBLE,
            UPLOAD_TRANSFORMATION_INVALID,
            UPLOAD_TRANSFORMATION_MEDIA,
            URL_FETCH_FAILED,
            VIDEO_TOOLCHAIN_MISSING,
            VIDEO_TOO_LARGE,
            VIDEO_TRANSFORMATION_FAILED,
            VIDEO_TRANSFORMATION_INVALID,
            VIDEO_TRANSFORMATION_UNSUPPORTED,
            INTERNAL);

    private ErrorCodes() {}
}

package dev.upfront.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error a client should see: a code from the {@link ErrorCode} table and the arguments of its message.
 * Thrown anywhere below the HTTP layer and rendered in exactly one place ({@code dev.upfront.http.ErrorRenderer}).
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public ApiException(ErrorCode code, Object... args) {
        super(code.message(args), null, false, false);
        this.code = code;
    }

    /** Adds a key to the error body beside message/help/code (ImageKit's {@code reason}, {@code missingFileIds}). */
    public ApiException with(String key, Object value) {
        extra.put(key, value);
        return this;
    }

    /** Seconds to wait before retrying (a {@code Retry-After} header), or 0 when retrying will not help. */
    public int retryAfterSeconds() {
        return code.retryAfterSeconds();
    }

    public Map<String, Object> extra() {
        return Collections.unmodifiableMap(extra);
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }
}

package dev.upfront.error;

/**
 * An error a client should see: a code from the {@link ErrorCode} table and the arguments of its message.
 * Thrown anywhere below the HTTP layer and rendered in exactly one place ({@code dev.upfront.http.ErrorRenderer}).
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, Object... args) {
        super(code.message(args), null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }
}

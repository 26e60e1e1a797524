package dev.upfront.client;

/**
 * Any failure of a call to the server: the HTTP status (0 when no response arrived), the server's machine-readable
 * {@code code} (see {@code dev.upfront.protocol.ErrorCodes}; null when the server sent none), its message and the
 * request id it logged the request under (null when unknown). Never carries a key.
 */
public final class UpfrontException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String requestId;

    public UpfrontException(int status, String code, String message, String requestId, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.requestId = requestId;
    }

    /** The HTTP status, or 0 when the request failed before a response (connection refused, timeout, I/O error). */
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String requestId() {
        return requestId;
    }

    @Override
    public String toString() {
        return "UpfrontException{status=" + status + ", code=" + code + ", message=" + getMessage()
                + ", requestId=" + requestId + "}";
    }
}

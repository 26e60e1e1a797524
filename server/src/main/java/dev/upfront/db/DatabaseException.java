package dev.upfront.db;

/** A database failure: never a client's fault, rendered as a 500 with the details in the log only. */
public final class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}

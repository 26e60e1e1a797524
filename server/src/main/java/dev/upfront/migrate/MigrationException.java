package dev.upfront.migrate;

/** Why a migration stopped: the message is for the operator and never holds a credential. */
public final class MigrationException extends RuntimeException {
    public MigrationException(String message) {
        super(message);
    }
}

package dev.upfront.db;

import java.time.Duration;

/** A read that {@link Database#readWithin} stopped once its time limit had passed. */
public final class QueryTimeoutException extends RuntimeException {
    private final Duration limit;

    QueryTimeoutException(Duration limit, Throwable cause) {
        super("stopped after " + limit.toMillis() + " ms", cause);
        this.limit = limit;
    }

    public Duration limit() {
        return limit;
    }
}

package dev.upfront.tokens;

import java.time.Instant;

/**
 * One-time upload credentials (v1 tokens, v2 JWTs) that have been seen. Shared by every server instance that uses
 * the same database, and kept across restarts.
 */
public interface TokenStore {

    /**
     * Records {@code token} as used until {@code keepUntil}.
     *
     * @return true when this call is the first sight of the token; false when it was seen before (a replay).
     *     Exactly one of any number of concurrent calls with the same token returns true.
     */
    boolean burn(String token, Instant keepUntil);

    /**
     * As {@link #burn}, inside the library write transaction that the calling thread runs (the work of a
     * {@code Library.write} or {@code writeEach}): the token commits or rolls back with it, at no commit of its own.
     * Until that transaction ends, a concurrent burn of the same token (another instance's) waits for it.
     *
     * @throws IllegalStateException when the thread runs no such transaction
     */
    boolean burnInTransaction(String token, Instant keepUntil);

    /** Whether {@code token} was burned already: a read, so that a replay costs no write. */
    boolean isBurned(String token);

    /** Whether the store answers now (for readiness checks); never waits more than about two seconds. */
    boolean ready();

    /** Forgets tokens whose {@code keepUntil} is before {@code now}; returns how many. */
    int purgeExpired(Instant now);

    /** How many tokens are remembered now (expired ones not purged yet included). */
    long size();
}

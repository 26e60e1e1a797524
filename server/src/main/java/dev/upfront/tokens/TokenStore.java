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

    /** Whether the store answers now (for readiness checks); never waits more than about two seconds. */
    boolean ready();

    /** Forgets tokens whose {@code keepUntil} is before {@code now}; returns how many. */
    int purgeExpired(Instant now);

    /** How many tokens are remembered now (expired ones not purged yet included). */
    long size();
}

package dev.upfront.tokens;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One-time credentials as upload requests use them: the first request that presents a correctly signed credential
 * claims it, and must then burn it whatever its outcome: inside the shared transaction that records its upload (the
 * group commit, so a successful upload costs no commit of its own), or on its own when the request ends before that.
 *
 * <p>A claim writes nothing: a read says whether an earlier request burned the credential (a replay costs no disk
 * write), and a set in this process refuses a second request while the first is in flight, since that one is bound
 * to burn it. Requests on two instances may both claim one credential; their burns meet in the database, whose key
 * lets exactly one of them succeed, and the other upload fails with the reuse error. Thread-safe.
 */
public final class OneTimeTokens {
    /** In-flight claims are removed when settled; past this many, those whose keep-until has passed are swept too. */
    private static final int SWEEP_ABOVE = 4096;

    private final TokenStore store;
    private final InstantSource clock;
    private final Map<String, Instant> inFlight = new ConcurrentHashMap<>();

    public OneTimeTokens(TokenStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Claims {@code token} for the calling request.
     *
     * @param keepUntil how long the burned token is remembered
     * @param reused the refusal for a later request, thrown by {@link Burn#inTransaction}'s caller when the burn
     *     meets an earlier one
     * @return the burn the request owes; empty when the token was burned already, or is claimed by another request
     *     of this process
     */
    public Optional<Burn> claim(String token, Instant keepUntil, Supplier<? extends RuntimeException> reused) {
        if (inFlight.putIfAbsent(token, keepUntil) != null) {
            return Optional.empty();
        }
        boolean burned;
        try {
            burned = store.isBurned(token);
        } catch (RuntimeException e) {
            inFlight.remove(token, keepUntil);
            throw e;
        }
        if (burned) {
            inFlight.remove(token, keepUntil);
            return Optional.empty();
        }
        if (inFlight.size() > SWEEP_ABOVE) {
            Instant now = clock.instant();
            inFlight.values().removeIf(until -> until.isBefore(now));
        }
        return Optional.of(new Burn(token, keepUntil, reused));
    }

    /** Burns {@code token} on its own, now: for a request that failed before it could claim. @return first sight */
    public boolean burn(String token, Instant keepUntil) {
        return store.burn(token, keepUntil);
    }

    /**
     * A claimed token that its request must burn. Settled once a burn of it committed (or found it burned). Used by
     * one request at a time (its own thread, or the group commit's committing thread while the request waits).
     */
    public final class Burn {
        private final String token;
        private final Instant keepUntil;
        private final Supplier<? extends RuntimeException> reused;
        private volatile boolean settled;

        private Burn(String token, Instant keepUntil, Supplier<? extends RuntimeException> reused) {
            this.token = token;
            this.keepUntil = keepUntil;
            this.reused = reused;
        }

        /** What is burned: the order in which a batch burns its tokens. */
        public String token() {
            return token;
        }

        /**
         * Burns inside the library write transaction this thread runs. Not settled by this: the caller calls
         * {@link #settled} once that transaction committed.
         *
         * @return true on first sight; false when another request burned it (then its upload fails with {@link #reused})
         */
        public boolean inTransaction() {
            return store.burnInTransaction(token, keepUntil);
        }

        /** The refusal for this request when {@link #inTransaction} met an earlier burn. */
        public RuntimeException reused() {
            return reused.get();
        }

        /** A transaction that burned it, or found it burned, committed. */
        public void settled() {
            settled = true;
            inFlight.remove(token, keepUntil);
        }

        public boolean isSettled() {
            return settled;
        }

        /**
         * Burns on its own unless settled already: for a request that ends without its upload's transaction having
         * done it. Store failures propagate (the claim then stays, refusing this process's replays until expiry).
         *
         * @return false when another request burned it first
         */
        public boolean alone() {
            if (settled) {
                return true;
            }
            boolean first = store.burn(token, keepUntil);
            settled();
            return first;
        }
    }
}

package dev.upfront.testing;

import dev.upfront.tokens.TokenStore;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TokenStore} in memory, for fuzz targets that run thousands of authentications a second. It keeps the
 * port's one-winner rule within this process only, so it stands in for a single instance, never for a shared
 * database: the contract suite's cross-instance checks are the JDBC store's.
 */
public final class InMemoryTokenStore implements TokenStore {
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    @Override
    public boolean burn(String token, Instant keepUntil) {
        return seen.putIfAbsent(token, keepUntil) == null;
    }

    /** No transactions here: burns at once, as {@link #burn} does. */
    @Override
    public boolean burnInTransaction(String token, Instant keepUntil) {
        return burn(token, keepUntil);
    }

    @Override
    public boolean isBurned(String token) {
        return seen.containsKey(token);
    }

    @Override
    public int purgeExpired(Instant now) {
        int before = seen.size();
        seen.values().removeIf(keepUntil -> keepUntil.isBefore(now));
        return before - seen.size();
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public long size() {
        return seen.size();
    }
}

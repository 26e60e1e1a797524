package dev.upfront.testing;

import dev.upfront.tokens.TokenStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** A {@link TokenStore} in a set, for fuzz targets that run thousands of authentications a second. Not thread-safe. */
public final class InMemoryTokenStore implements TokenStore {
    private final Set<String> seen = new HashSet<>();

    @Override
    public boolean burn(String token, Instant keepUntil) {
        return seen.add(token);
    }

    @Override
    public int purgeExpired(Instant now) {
        return 0;
    }
}

package dev.upfront.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Who may read {@code /metrics}: anyone, or, with a token configured, a request bearing exactly that token. */
public final class MetricsAccess {
    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> token;

    public MetricsAccess(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a request with this {@code Authorization} header (maybe null) may read the metrics. */
    public boolean allows(String authorization) {
        if (token.isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        // Constant time in the token's content: timing does not reveal how much of a guess was right.
        return MessageDigest.isEqual(given, token.get());
    }
}

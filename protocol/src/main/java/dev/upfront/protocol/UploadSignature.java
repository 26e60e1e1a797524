package dev.upfront.protocol;

import java.time.InstantSource;
import java.util.UUID;

/**
 * Upload API v1 client-side credentials, as ImageKit's Node SDK ({@code imagekit} 6.x
 * {@code getAuthenticationParameters}) makes them: token defaults to a v4 UUID, expire to now + 1800 s, and the
 * signature is the HMAC-SHA1 of the token followed by the decimal expire.
 */
public final class UploadSignature {
    /** The Node SDK's default lifetime of a credential. */
    public static final long DEFAULT_TTL_SECONDS = 30 * 60;
    /** ImageKit refuses an {@code expire} more than an hour ahead. */
    public static final long MAX_EXPIRE_AHEAD_SECONDS = 3600;

    private UploadSignature() {}

    /** {@code hex(HMAC-SHA1(privateKey, token + expire))}, over the strings exactly as they are sent. */
    public static String sign(String privateKey, String token, String expire) {
        return Hmac.sha1Hex(privateKey, token + expire);
    }

    /**
     * Credentials with the Node SDK's defaults for what is missing: a null or empty token becomes a random UUID, a
     * null or zero expire becomes {@code now + 1800}.
     */
    public static AuthenticationParameters create(String privateKey, String token, Long expire, InstantSource clock) {
        String t = token == null || token.isEmpty() ? UUID.randomUUID().toString() : token;
        long e = expire == null || expire == 0 ? clock.instant().getEpochSecond() + DEFAULT_TTL_SECONDS : expire;
        return new AuthenticationParameters(t, e, sign(privateKey, t, Long.toString(e)));
    }
}

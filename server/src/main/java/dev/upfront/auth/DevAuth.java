package dev.upfront.auth;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.protocol.AuthenticationParameters;
import dev.upfront.protocol.UploadSignature;
import dev.upfront.protocol.UploadToken;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * Emulator mode ({@code UPFRONT_DEV_AUTH=true}): the credentials a customer's "authentication endpoint" hands out,
 * made by the server itself for local development, exactly as the example backend makes them with the Java SDK
 * (same protocol code): v1 parameters with ImageKit's defaults, and v2 tokens shaped like {@code jsonwebtoken}'s.
 * Signs with the first configured key pair. Anyone who can reach the server gets credentials: never in production.
 */
public final class DevAuth {
    private final KeyPair pair;
    private final InstantSource clock;

    public DevAuth(KeyRing keys, InstantSource clock) {
        this.pair = keys.pairs().getFirst();
        this.clock = clock;
    }

    /** v1 parameters; a given token or expire (Unix seconds, as text) is used as it is. */
    public AuthenticationParameters parameters(String token, String expire) {
        Long expireSeconds = null;
        if (expire != null && !expire.isEmpty()) {
            if (!expire.matches("\\d{1,12}")) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER, "expire", "It must be a Unix time in seconds.");
            }
            expireSeconds = Long.parseLong(expire);
        }
        return UploadSignature.create(pair.privateKey(), token, expireSeconds, clock);
    }

    /**
     * A v2 token: header {@code {alg, typ, kid}}, claims {@code uploadPayload} as given plus {@code iat} = now and
     * {@code exp} = now + {@code expireSeconds}.
     *
     * @param publicKey the key the client expects to sign with; when given it must be this server's first key
     */
    public String uploadToken(Map<String, Object> uploadPayload, long expireSeconds, Optional<String> publicKey) {
        if (expireSeconds < 1 || expireSeconds > UploadToken.MAX_LIFETIME_SECONDS) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "expire", "It must be 1 to 3600 seconds.");
        }
        if (publicKey.isPresent() && !publicKey.get().equals(pair.publicKey())) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "publicKey", "It is not the key this server signs with.");
        }
        if (uploadPayload.containsKey("iat") || uploadPayload.containsKey("exp")) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "uploadPayload", "It must not contain iat or exp; expire sets them.");
        }
        long iat = clock.instant().getEpochSecond();
        return UploadToken.sign(pair.publicKey(), pair.privateKey(), uploadPayload, iat, iat + expireSeconds);
    }
}

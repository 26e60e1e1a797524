package dev.upfront.auth;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.tokens.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides who an upload request is (PRODUCT.md §3.1): server-side Basic auth with a private key, or client-side
 * credentials: v1 fields {@code publicKey}, {@code signature}, {@code expire}, {@code token}, or (upload v2) one
 * {@code token} field holding a JWT that binds every other field. Exactly one method per request.
 *
 * <p>One-time credentials are burned on first sight, before any other check and whatever the outcome ("Even if
 * your previous request resulted in an error, you should always send a new value"). They are remembered until
 * their expiry (at most an hour ahead), after which the expiry alone refuses them.
 */
public final class UploadAuthenticator {
    /** Longest a v1 {@code expire} may lie ahead (reference §2.4). */
    public static final Duration MAX_EXPIRE_AHEAD = Duration.ofHours(1);
    private static final List<String> V1_FIELDS = List.of("publicKey", "signature", "expire", "token");
    private static final int MAX_TOKEN_CHARS = 512;

    private final KeyRing keys;
    private final TokenStore tokens;
    private final InstantSource clock;
    private final Duration skew;

    public UploadAuthenticator(KeyRing keys, TokenStore tokens, InstantSource clock, Duration skew) {
        this.keys = keys;
        this.tokens = tokens;
        this.clock = clock;
        this.skew = skew;
    }

    /**
     * Checks a Basic header before the body is read, so a wrong private key costs no upload.
     *
     * @return the key pair, or empty when the header carries no Basic credential
     * @throws ApiException KEY_UNKNOWN for a Basic credential that matches no private key
     */
    public Optional<KeyPair> basic(String authorization) {
        return BasicAuth.privateKey(authorization)
                .map(privateKey -> keys.byPrivateKey(privateKey).orElseThrow(() -> new ApiException(ErrorCode.KEY_UNKNOWN)));
    }

    /**
     * Authenticates an upload v1 request once its fields are known.
     *
     * @param basic the result of {@link #basic} for the same request
     * @param fields the request's text fields
     */
    public KeyPair uploadV1(Optional<KeyPair> basic, Map<String, String> fields) {
        boolean firstSight = burnToken(fields);
        boolean clientSide = V1_FIELDS.stream().anyMatch(fields::containsKey);
        if (basic.isPresent()) {
            if (clientSide) {
                throw new ApiException(ErrorCode.BOTH_AUTH_METHODS);
            }
            return basic.get();
        }
        if (!clientSide) {
            throw new ApiException(ErrorCode.MISSING_AUTH);
        }
        for (String name : V1_FIELDS) {
            if (fields.getOrDefault(name, "").isEmpty()) {
                throw new ApiException(ErrorCode.MISSING_AUTH_FIELD, name);
            }
        }
        String token = fields.get("token");
        String expire = fields.get("expire");
        if (!firstSight) {
            throw new ApiException(ErrorCode.TOKEN_REUSED, printable(token));
        }
        Instant expiresAt = parseExpire(expire).orElseThrow(() -> new ApiException(ErrorCode.EXPIRE_INVALID));
        Instant now = clock.instant();
        if (!expiresAt.isAfter(now.minus(skew)) || expiresAt.isAfter(now.plus(MAX_EXPIRE_AHEAD).plus(skew))) {
            throw new ApiException(ErrorCode.EXPIRE_INVALID);
        }
        KeyPair pair = keys.byPublicKey(fields.get("publicKey")).orElseThrow(() -> new ApiException(ErrorCode.KEY_UNKNOWN));
        String expected = Hmac.sha1Hex(pair.privateKey(), token + expire);
        if (!Hmac.hexEquals(expected, fields.get("signature"))) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID);
        }
        return pair;
    }

    /**
     * Authenticates an upload v2 request: Basic auth as on v1, or a JWT in the {@code token} field.
     */
    public KeyPair uploadV2(Optional<KeyPair> basic, Map<String, String> fields) {
        String token = fields.get("token");
        if (basic.isPresent()) {
            if (token != null) {
                burnJwt(token);
                throw new ApiException(ErrorCode.BOTH_AUTH_METHODS_V2);
            }
            return basic.get();
        }
        if (token == null || token.isEmpty()) {
            throw new ApiException(ErrorCode.JWT_MISSING);
        }
        UploadJwt.Parsed parsed;
        try {
            parsed = UploadJwt.parse(token);
        } catch (ApiException malformed) {
            burnJwt(token);
            throw malformed;
        }
        if (!tokens.burn(signedPart(token), keepUntil(parsed.expiresAt()))) {
            throw new ApiException(ErrorCode.JWT_REUSED);
        }
        KeyPair pair = UploadJwt.verify(parsed, keys, clock.instant(), skew);
        UploadJwt.requireBinding(parsed, fields);
        return pair;
    }

    /** Burns a v2 token seen in a request that will not reach {@link #uploadV2} (a malformed body). */
    public void burnJwt(String token) {
        if (token == null || token.isEmpty()) {
            return;
        }
        Optional<Instant> exp;
        try {
            exp = UploadJwt.parse(token).expiresAt();
        } catch (ApiException malformed) {
            exp = Optional.empty();
        }
        tokens.burn(signedPart(token), keepUntil(exp));
    }

    /**
     * What a v2 token is burned as: its signed part ({@code header.payload}). base64url spells one signature several
     * ways (a trailing {@code =}, the unused low bits of its last character), and no spelling may buy another upload.
     */
    private static String signedPart(String token) {
        int lastDot = token.lastIndexOf('.');
        return lastDot < 0 ? token : token.substring(0, lastDot);
    }

    /**
     * Burns the request's v1 token, if it has one. {@link #uploadV1} does this itself; call it directly only for a
     * request that will not reach {@code uploadV1}, such as one whose body turned out to be malformed.
     *
     * @return false when the token was seen before; true when this is its first sight or there is no token
     */
    public boolean burnToken(Map<String, String> fields) {
        String token = fields.get("token");
        if (token == null || token.isEmpty()) {
            return true;
        }
        return tokens.burn(token, keepUntil(parseExpire(fields.get("expire"))));
    }

    /**
     * How long a burned credential is remembered: until its expiry, which no valid credential puts more than an
     * hour (plus skew) ahead; an absent or absurd expiry is remembered for that longest possible window.
     */
    private Instant keepUntil(Optional<Instant> expiry) {
        Instant now = clock.instant();
        Instant latest = now.plus(MAX_EXPIRE_AHEAD).plus(skew);
        return expiry.filter(t -> t.isAfter(now) && t.isBefore(latest)).orElse(latest).plus(skew);
    }

    private static Optional<Instant> parseExpire(String expire) {
        if (expire == null || expire.isEmpty() || expire.length() > 12 || !expire.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(expire)));
    }

    private static String printable(String token) {
        String t = token.length() > MAX_TOKEN_CHARS ? token.substring(0, MAX_TOKEN_CHARS) : token;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}

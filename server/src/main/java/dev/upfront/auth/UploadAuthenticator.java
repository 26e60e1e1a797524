package dev.upfront.auth;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.tokens.OneTimeTokens;
import dev.upfront.tokens.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides who an upload request is (PRODUCT.md §3.1): server-side Basic auth with a private key, or client-side
 * credentials: v1 fields {@code publicKey}, {@code signature}, {@code expire}, {@code token}, or (upload v2) one
 * {@code token} field holding a JWT that binds every other field. Exactly one method per request.
 *
 * <p>A one-time credential is burned by the first request that presents it correctly signed, whatever that
 * request's outcome ("Even if your previous request resulted in an error, you should always send a new value"). The
 * signature is checked first: a forged credential costs no row and can never become valid later anyway. Checking
 * claims the credential ({@link OneTimeTokens}: a read, no write); the request then owes its burn
 * ({@link Attempt#burn}), which its upload's shared transaction makes, or {@link Attempt#burnPending} on its own
 * when the request ends before that. Burned credentials are remembered until their expiry (at most an hour ahead),
 * after which the expiry alone refuses them.
 */
public final class UploadAuthenticator {
    /** Longest a v1 {@code expire} may lie ahead (reference §2.4). */
    public static final Duration MAX_EXPIRE_AHEAD = Duration.ofHours(1);
    private static final List<String> V1_FIELDS = List.of("publicKey", "signature", "expire", "token");
    private static final int MAX_TOKEN_CHARS = 512;

    private static final Logger log = LoggerFactory.getLogger(UploadAuthenticator.class);

    private final KeyRing keys;
    private final OneTimeTokens tokens;
    private final InstantSource clock;
    private final Duration skew;

    public UploadAuthenticator(KeyRing keys, TokenStore tokens, InstantSource clock, Duration skew) {
        this.keys = keys;
        this.tokens = new OneTimeTokens(tokens, clock);
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
     * Starts authenticating one upload request.
     *
     * @param apiVersion 1 or 2: how a client-side request authenticates
     * @param basic the result of {@link #basic} for the same request
     */
    public Attempt attempt(int apiVersion, Optional<KeyPair> basic) {
        return new Attempt(apiVersion == 2, basic);
    }

    /**
     * One request's authentication, checked as soon as its fields allow: field order is the client's, so the
     * credentials may come before the file (checked then, before a byte is staged) or after it. Not thread-safe.
     */
    public final class Attempt {
        private final boolean v2;
        private final Optional<KeyPair> basic;
        private KeyPair verified;
        private UploadJwt.Parsed jwt;
        /** Set once the credential was claimed (its burn is owed), refused as reused, or burned: nothing left to burn. */
        private boolean handled;
        private OneTimeTokens.Burn owed;

        private Attempt(boolean v2, Optional<KeyPair> basic) {
            this.v2 = v2;
            this.basic = basic;
        }

        /**
         * Called when the file is about to be read, with the fields sent before it. When they hold every credential
         * field, the credential is checked (and claimed) now.
         *
         * @return true when the request is already authenticated; false when that waits for fields after the file
         * @throws ApiException the refusal, when it is already certain
         */
        public boolean beforeFile(Map<String, String> fieldsSoFar) {
            if (basic.isPresent() || (v2 ? fieldsSoFar.containsKey("token") : fieldsSoFar.keySet().containsAll(V1_FIELDS))) {
                verified = credential(fieldsSoFar);
                return true;
            }
            return false;
        }

        /** Authenticates with all of the request's text fields; the key pair of the request. */
        public KeyPair complete(Map<String, String> fields) {
            // With Basic auth, client-side fields sent after the file still make the request ambiguous.
            KeyPair pair = verified != null && basic.isEmpty() ? verified : credential(fields);
            if (jwt != null) {
                UploadJwt.requireBinding(jwt, fields);
            }
            return pair;
        }

        /**
         * The burn this request owes for its correctly signed one-time credential, unless settled already: the
         * upload's shared transaction makes it. Empty for Basic auth.
         */
        public Optional<OneTimeTokens.Burn> burn() {
            return Optional.ofNullable(owed).filter(b -> !b.isSettled());
        }

        /**
         * For a request that ends without its upload's transaction having burned its credential (a failure, or an
         * answer that does not wait for a commit): burns it on its own, before the answer goes out. Never throws.
         */
        public void burnPending() {
            if (owed == null || owed.isSettled()) {
                return;
            }
            try {
                owed.alone();
            } catch (RuntimeException e) {
                log.warn("Could not burn a one-time credential: {}", e.toString());
            }
        }

        /**
         * For a request that failed before {@link #complete}: burns its credential if the fields sent so far hold a
         * correctly signed one. Never throws.
         */
        public void burnIfSigned(Map<String, String> fieldsSoFar) {
            if (owed != null) {
                burnPending();
                return;
            }
            if (handled) {
                return;
            }
            try {
                if (v2) {
                    String token = fieldsSoFar.get("token");
                    if (token != null) {
                        UploadJwt.Parsed parsed = UploadJwt.parse(token);
                        UploadJwt.signer(parsed, keys);
                        tokens.burn(jwtKey(parsed), keepUntil(parsed.expiresAt()));
                    }
                } else if (fieldsSoFar.keySet().containsAll(V1_FIELDS)) {
                    v1Signer(fieldsSoFar);
                    tokens.burn(v1Key(fieldsSoFar.get("token"), fieldsSoFar.get("expire")), keepUntil(parseExpire(fieldsSoFar.get("expire"))));
                }
                handled = true;
            } catch (ApiException notSigned) {
                // nothing to burn
            }
        }

        /** Everything but v2's binding rule, which needs the whole form. */
        private KeyPair credential(Map<String, String> fields) {
            boolean clientSide = v2 ? fields.containsKey("token") : V1_FIELDS.stream().anyMatch(fields::containsKey);
            if (basic.isPresent()) {
                if (clientSide) {
                    burnIfSigned(fields);
                    throw new ApiException(v2 ? ErrorCode.BOTH_AUTH_METHODS_V2 : ErrorCode.BOTH_AUTH_METHODS);
                }
                return basic.get();
            }
            return v2 ? v2(fields) : v1(fields);
        }

        private KeyPair v1(Map<String, String> fields) {
            if (!V1_FIELDS.stream().anyMatch(fields::containsKey)) {
                throw new ApiException(ErrorCode.MISSING_AUTH);
            }
            for (String name : V1_FIELDS) {
                if (fields.getOrDefault(name, "").isEmpty()) {
                    throw new ApiException(ErrorCode.MISSING_AUTH_FIELD, name);
                }
            }
            KeyPair pair = v1Signer(fields);
            claimV1(fields);
            Instant expiresAt = parseExpire(fields.get("expire")).orElseThrow(() -> new ApiException(ErrorCode.EXPIRE_INVALID));
            Instant now = clock.instant();
            if (!expiresAt.isAfter(now.minus(skew)) || expiresAt.isAfter(now.plus(MAX_EXPIRE_AHEAD).plus(skew))) {
                throw new ApiException(ErrorCode.EXPIRE_INVALID);
            }
            return pair;
        }

        private KeyPair v2(Map<String, String> fields) {
            String token = fields.get("token");
            if (token == null || token.isEmpty()) {
                throw new ApiException(ErrorCode.JWT_MISSING);
            }
            UploadJwt.Parsed parsed = UploadJwt.parse(token);
            KeyPair pair = UploadJwt.signer(parsed, keys);
            claimJwt(parsed);
            UploadJwt.checkTimes(parsed, pair, clock.instant(), skew);
            jwt = parsed;
            return pair;
        }

        /** Claims a correctly signed v1 credential. @throws ApiException TOKEN_REUSED when an earlier request burned it */
        private void claimV1(Map<String, String> fields) {
            String token = fields.get("token");
            String expire = fields.get("expire");
            claim(v1Key(token, expire), parseExpire(expire), () -> new ApiException(ErrorCode.TOKEN_REUSED, printable(token)));
        }

        /** Claims a correctly signed JWT. @throws ApiException JWT_REUSED when an earlier request burned it */
        private void claimJwt(UploadJwt.Parsed parsed) {
            claim(jwtKey(parsed), parsed.expiresAt(), () -> new ApiException(ErrorCode.JWT_REUSED));
        }

        private void claim(String key, Optional<Instant> expiry, Supplier<ApiException> reused) {
            handled = true;
            owed = tokens.claim(key, keepUntil(expiry), reused).orElseThrow(reused);
        }
    }

    /** The key pair whose private key signed the v1 fields. @throws ApiException KEY_UNKNOWN, SIGNATURE_INVALID */
    private KeyPair v1Signer(Map<String, String> fields) {
        KeyPair pair = keys.byPublicKey(fields.get("publicKey")).orElseThrow(() -> new ApiException(ErrorCode.KEY_UNKNOWN));
        String expected = Hmac.sha1Hex(pair.privateKey(), fields.get("token") + fields.get("expire"));
        if (!Hmac.hexEquals(expected, fields.get("signature"))) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID);
        }
        return pair;
    }

    /**
     * The burned name of a v1 credential: the message its signature covers, {@code token + expire}. Burning the token
     * alone would let a token ending in {@code 0} move that digit into {@code expire} as a leading zero: the same
     * signed message and instant under another token.
     */
    private static String v1Key(String token, String expire) {
        return "v1:" + token + expire;
    }

    /** The burned name of a v2 credential: its signing input (see {@link UploadJwt.Parsed#signingInput}). */
    private static String jwtKey(UploadJwt.Parsed parsed) {
        return "v2:" + parsed.signingInput();
    }

    /**
     * How long a burned credential is remembered: until its expiry, however far ahead. One refused today for expiring
     * more than an hour ahead passes the time check later, in its last hour, and must still be burned then. An
     * absent or past expiry is remembered for the longest window a valid credential has.
     */
    private Instant keepUntil(Optional<Instant> expiry) {
        Instant now = clock.instant();
        Instant latest = now.plus(MAX_EXPIRE_AHEAD).plus(skew);
        return expiry.filter(t -> t.isAfter(now)).orElse(latest).plus(skew);
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

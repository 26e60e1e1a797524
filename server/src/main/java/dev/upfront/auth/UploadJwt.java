package dev.upfront.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Upload API v2 credentials (reference §3): a JWT signed HS256 with the private key of the pair its {@code kid}
 * names, whose payload binds every upload field. Pure: no I/O, no HTTP types.
 *
 * <p>Signature check (constant time) and {@code exp}/{@code nbf}/{@code iat} checks are java-jwt's; chosen over
 * nimbus because ImageKit private keys may be shorter than the 256 bits nimbus insists on. The binding rule and
 * ImageKit's lifetime rule ({@code exp - iat <= 3600}) are ours.
 */
public final class UploadJwt {
    /** Longest lifetime ImageKit accepts: {@code exp - iat <= 3600}. */
    public static final long MAX_LIFETIME_SECONDS = 3600;
    /** Registered claims that are not upload parameters. */
    public static final Set<String> TIME_CLAIMS = Set.of("iat", "exp", "nbf", "jti");
    private static final int MAX_TOKEN_CHARS = 64 * 1024;
    private static final Base64.Encoder CANONICAL = Base64.getUrlEncoder().withoutPadding();

    private UploadJwt() {}

    /** A token whose shape has been checked: three canonical base64url parts, JSON header and payload. */
    public record Parsed(DecodedJWT jwt, JsonNode payload) {
        /** {@code exp} as an instant (parsing guarantees it is an integer). */
        public Optional<Instant> expiresAt() {
            return Optional.of(Instant.ofEpochSecond(payload.get("exp").asLong()));
        }

        /**
         * What the signature covers, {@code header.payload} as sent. With one key there is exactly one valid
         * signature for it, so this names the credential however the signature part is spelled.
         */
        public String signingInput() {
            return jwt.getHeader() + "." + jwt.getPayload();
        }
    }

    /** Parses without verifying. @throws ApiException JWT_MALFORMED */
    public static Parsed parse(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "It is too long.");
        }
        if (token.chars().filter(c -> c == '.').count() != 2) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "It must have three dot-separated parts.");
        }
        for (String segment : token.split("\\.", -1)) {
            if (!isCanonicalBase64url(segment)) {
                throw new ApiException(ErrorCode.JWT_MALFORMED, "It is not canonical base64url (no padding, no unused bits set).");
            }
        }
        JsonNode payload;
        try {
            String encoded = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
            payload = Json.parse(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "It is not base64url-encoded JSON.");
        }
        if (payload == null || !payload.isObject()) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "Its payload must be a JSON object.");
        }
        // Checked before java-jwt decodes, which would report a non-numeric date as a generic decoding failure.
        for (String claim : List.of("iat", "exp", "nbf")) {
            JsonNode value = payload.get(claim);
            if ((value == null && !claim.equals("nbf")) || (value != null && !isInteger(value))) {
                throw new ApiException(ErrorCode.JWT_CLAIMS_INVALID, "Its payload needs integer iat and exp claims (and nbf, if present).");
            }
        }
        try {
            return new Parsed(JWT.decode(token), payload);
        } catch (JWTDecodeException e) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "It is not base64url-encoded JSON.");
        }
    }

    /**
     * Checks who signed a parsed token, and nothing else yet: the key pair its {@code kid} names, HS256, the signature
     * (constant time).
     *
     * @throws ApiException JWT_ALGORITHM, JWT_KEY_UNKNOWN or JWT_SIGNATURE_INVALID
     */
    public static KeyPair signer(Parsed token, KeyRing keys) {
        DecodedJWT jwt = token.jwt();
        if (!"HS256".equals(jwt.getAlgorithm())) {
            throw new ApiException(ErrorCode.JWT_ALGORITHM);
        }
        KeyPair pair = Optional.ofNullable(jwt.getKeyId()).flatMap(keys::byPublicKey)
                .orElseThrow(() -> new ApiException(ErrorCode.JWT_KEY_UNKNOWN));
        try {
            Algorithm.HMAC256(pair.privateKey()).verify(jwt);
        } catch (SignatureVerificationException e) {
            throw new ApiException(ErrorCode.JWT_SIGNATURE_INVALID);
        }
        return pair;
    }

    /**
     * Checks the times of a token signed by {@code signer}: {@code exp}, {@code nbf}, {@code iat} and ImageKit's
     * lifetime rule.
     *
     * @param skew allowed clock skew for {@code exp}, {@code nbf} and {@code iat}
     */
    public static void checkTimes(Parsed token, KeyPair signer, Instant now, Duration skew) {
        DecodedJWT jwt = token.jwt();
        JsonNode iat = token.payload().get("iat");
        JsonNode exp = token.payload().get("exp");
        try {
            JWTVerifier.BaseVerification verification = (JWTVerifier.BaseVerification)
                    JWT.require(Algorithm.HMAC256(signer.privateKey()))
                            .acceptLeeway(skew.toSeconds())
                            .withClaimPresence("iat")
                            .withClaimPresence("exp");
            verification.build(Clock.fixed(now, ZoneOffset.UTC)).verify(jwt);
        } catch (SignatureVerificationException | AlgorithmMismatchException e) {
            throw new ApiException(ErrorCode.JWT_SIGNATURE_INVALID);
        } catch (TokenExpiredException e) {
            throw new ApiException(ErrorCode.JWT_EXPIRED);
        } catch (IncorrectClaimException e) {
            throw "nbf".equals(e.getClaimName())
                    ? new ApiException(ErrorCode.JWT_NOT_YET_VALID)
                    : new ApiException(ErrorCode.JWT_CLAIMS_INVALID, "Its iat lies in the future.");
        } catch (JWTVerificationException e) {
            throw new ApiException(ErrorCode.JWT_CLAIMS_INVALID, "Its claims are invalid.");
        }
        if (exp.asLong() - iat.asLong() > MAX_LIFETIME_SECONDS) {
            throw new ApiException(ErrorCode.JWT_CLAIMS_INVALID, "Its lifetime (exp - iat) exceeds 3600 seconds.");
        }
    }

    /**
     * The binding rule: the request's fields minus {@code file} and {@code token} must equal the payload's claims
     * minus {@link #TIME_CLAIMS}, key for key, each claim a string equal to the field byte for byte.
     *
     * @throws ApiException JWT_PAYLOAD_MISMATCH naming the first key that differs (request order, then payload order)
     */
    public static void requireBinding(Parsed token, Map<String, String> fields) {
        JsonNode claims = token.payload();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String key = field.getKey();
            if (key.equals("file") || key.equals("token")) {
                continue;
            }
            JsonNode claim = TIME_CLAIMS.contains(key) ? null : claims.get(key);
            if (claim == null || !claim.isTextual() || !claim.textValue().equals(field.getValue())) {
                throw new ApiException(ErrorCode.JWT_PAYLOAD_MISMATCH, key);
            }
        }
        for (Iterator<String> names = claims.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!TIME_CLAIMS.contains(key) && !fields.containsKey(key)) {
                throw new ApiException(ErrorCode.JWT_PAYLOAD_MISMATCH, key);
            }
        }
    }

    /**
     * Whether {@code segment} is the one base64url spelling of its bytes. Decoders ignore {@code =} padding and the
     * unused low bits of the last character, so several strings decode to one signature; allowing them would let one
     * token pass for several.
     */
    private static boolean isCanonicalBase64url(String segment) {
        try {
            return CANONICAL.encodeToString(Base64.getUrlDecoder().decode(segment)).equals(segment);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isInteger(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong();
    }
}

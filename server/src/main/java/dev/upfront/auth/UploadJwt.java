package dev.upfront.auth;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Upload API v2 credentials (ImageKit's upload API v2): a JWT signed HS256 with the private key of the pair its {@code kid}
 * names, whose payload binds every upload field. Pure: no I/O, no HTTP types.
 *
 * <p>Each part is decoded and parsed once, here, because the rules are stricter than a JWT library's: only the
 * canonical base64url spelling of each segment (a library reads several spellings as the same bytes, which would
 * let one token pass for several), integer time claims, the binding and ImageKit's lifetime rule. The HS256
 * signature is java-jwt's, computed once and compared in constant time; the time claims are then read from the
 * parsed payload rather than by a second, verifying decode.
 */
public final class UploadJwt {
    /** Longest lifetime ImageKit accepts: {@code exp - iat <= 3600}. */
    public static final long MAX_LIFETIME_SECONDS = 3600;
    /** Registered claims that are not upload parameters. */
    public static final Set<String> TIME_CLAIMS = Set.of("iat", "exp", "nbf", "jti");
    private static final int MAX_TOKEN_CHARS = 64 * 1024;
    private static final Base64.Encoder CANONICAL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private UploadJwt() {}

    /**
     * A token whose shape has been checked: three canonical base64url parts, a JSON object as header and as payload,
     * integer time claims.
     *
     * @param signingInput {@code header.payload} as sent
     * @param signature the third part, decoded
     */
    public record Parsed(JsonNode header, JsonNode payload, String signingInput, byte[] signature) {
        /** {@code exp} as an instant (parsing guarantees it is an integer); empty when no instant is that far. */
        public Optional<Instant> expiresAt() {
            long exp = payload.get("exp").asLong();
            return exp >= Instant.MIN.getEpochSecond() && exp <= Instant.MAX.getEpochSecond()
                    ? Optional.of(Instant.ofEpochSecond(exp)) : Optional.empty();
        }

        /**
         * What the signature covers, {@code header.payload} as sent. With one key there is exactly one valid
         * signature for it, so this names the credential however the signature part is spelled.
         */
        @Override
        public String signingInput() {
            return signingInput;
        }
    }

    /** Parses without verifying. @throws ApiException JWT_MALFORMED */
    public static Parsed parse(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "It is too long.");
        }
        int first = token.indexOf('.');
        int last = token.lastIndexOf('.');
        if (first < 0 || first == last || token.indexOf('.', first + 1) != last) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "It must have three dot-separated parts.");
        }
        byte[] header = canonicalBytes(token.substring(0, first));
        byte[] payload = canonicalBytes(token.substring(first + 1, last));
        byte[] signature = canonicalBytes(token.substring(last + 1));
        JsonNode payloadJson = json(payload);
        if (!payloadJson.isObject()) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "Its payload must be a JSON object.");
        }
        JsonNode headerJson = json(header);
        if (!headerJson.isObject()) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "It is not base64url-encoded JSON.");
        }
        for (String claim : List.of("iat", "exp", "nbf")) {
            JsonNode value = payloadJson.get(claim);
            if ((value == null && !claim.equals("nbf")) || (value != null && !isInteger(value))) {
                throw new ApiException(ErrorCode.JWT_CLAIMS_INVALID, "Its payload needs integer iat and exp claims (and nbf, if present).");
            }
        }
        return new Parsed(headerJson, payloadJson, token.substring(0, last), signature);
    }

    /**
     * Checks who signed a parsed token, and nothing else yet: the key pair its {@code kid} names, HS256, the signature
     * (constant time).
     *
     * @throws ApiException JWT_ALGORITHM, JWT_KEY_UNKNOWN or JWT_SIGNATURE_INVALID
     */
    public static KeyPair signer(Parsed token, KeyRing keys) {
        if (!"HS256".equals(text(token.header(), "alg"))) {
            throw new ApiException(ErrorCode.JWT_ALGORITHM);
        }
        KeyPair pair = Optional.ofNullable(text(token.header(), "kid")).flatMap(keys::byPublicKey)
                .orElseThrow(() -> new ApiException(ErrorCode.JWT_KEY_UNKNOWN));
        String input = token.signingInput();
        int dot = input.indexOf('.');
        byte[] expected = Algorithm.HMAC256(pair.privateKey()).sign(input.substring(0, dot).getBytes(StandardCharsets.US_ASCII),
                input.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
        if (!MessageDigest.isEqual(expected, token.signature())) {
            throw new ApiException(ErrorCode.JWT_SIGNATURE_INVALID);
        }
        return pair;
    }

    /**
     * Checks the times of a token whose signature {@link #signer} has checked: {@code exp}, {@code nbf},
     * {@code iat} (in that order, each with {@code skew} of leeway, whole seconds) and ImageKit's lifetime rule.
     *
     * @param signer the key pair {@link #signer} returned (the signature is not computed again)
     */
    public static void checkTimes(Parsed token, KeyPair signer, Instant now, Duration skew) {
        long leeway = skew.toSeconds();
        long seconds = now.getEpochSecond();
        long iat = token.payload().get("iat").asLong();
        long exp = token.payload().get("exp").asLong();
        JsonNode nbf = token.payload().get("nbf");
        // As JWT libraries compare: valid while now - leeway < exp, and from nbf (iat) - leeway on.
        if (seconds - leeway >= exp) {
            throw new ApiException(ErrorCode.JWT_EXPIRED);
        }
        if (nbf != null && seconds + leeway < nbf.asLong()) {
            throw new ApiException(ErrorCode.JWT_NOT_YET_VALID);
        }
        if (seconds + leeway < iat) {
            throw new ApiException(ErrorCode.JWT_CLAIMS_INVALID, "Its iat lies in the future.");
        }
        long lifetime;
        try {
            lifetime = Math.subtractExact(exp, iat);
        } catch (ArithmeticException e) {
            lifetime = Long.MAX_VALUE;
        }
        if (lifetime > MAX_LIFETIME_SECONDS) {
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
     * The bytes of {@code segment}, which must be their one base64url spelling. Decoders ignore {@code =} padding and the
     * unused low bits of the last character, so several strings decode to one signature; allowing them would let one
     * token pass for several.
     */
    private static byte[] canonicalBytes(String segment) {
        byte[] bytes;
        try {
            bytes = DECODER.decode(segment);
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || !CANONICAL.encodeToString(bytes).equals(segment)) {
            throw new ApiException(ErrorCode.JWT_MALFORMED, "It is not canonical base64url (no padding, no unused bits set).");
        }
        return bytes;
    }

    /** @throws ApiException JWT_MALFORMED when the bytes are not one JSON value */
    private static JsonNode json(byte[] bytes) {
        try {
            JsonNode node = Json.parse(new String(bytes, StandardCharsets.UTF_8));
            if (node != null) {
                return node;
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // below
        }
        throw new ApiException(ErrorCode.JWT_MALFORMED, "It is not base64url-encoded JSON.");
    }

    private static String text(JsonNode object, String name) {
        JsonNode value = object.get(name);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static boolean isInteger(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong();
    }
}

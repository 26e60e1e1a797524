package dev.upfront.protocol;

/**
 * The v1 client-side upload credential a backend hands to a browser: a one-time {@code token}, an absolute
 * {@code expire} (Unix seconds) and {@code signature = hex(HMAC-SHA1(privateKey, token + expire))}. None of it is
 * secret; the private key never leaves the backend.
 */
public record AuthenticationParameters(String token, long expire, String signature) {
    public AuthenticationParameters {
        if (token == null || token.isEmpty() || signature == null) {
            throw new IllegalArgumentException("token and signature are required");
        }
    }
}

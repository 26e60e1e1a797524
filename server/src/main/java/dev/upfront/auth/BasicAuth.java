package dev.upfront.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The server-side credential: {@code Authorization: Basic base64(privateKey ":" password)}. The password is
 * ignored: ImageKit's newer SDKs send {@code do_not_set}, older ones send nothing.
 */
public final class BasicAuth {
    private BasicAuth() {}

    /**
     * The private key in an Authorization header value, empty when the header is absent or not Basic.
     * A Basic header that cannot be decoded yields an empty string, which matches no key (403).
     */
    public static Optional<String> privateKey(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return Optional.of("");
        }
    }

    /** Whether the header carries any credential at all, Basic or otherwise. */
    public static boolean present(String authorization) {
        return authorization != null && !authorization.isBlank();
    }
}

package dev.upfront.auth;

import dev.upfront.protocol.UrlSigning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Verifies signed delivery URLs (reference §6.4): {@code ik-s = hex(HMAC-SHA1(privateKey, <URL after the endpoint
 * with ik-s/ik-t removed> + <ik-t or 9999999999>))}; {@code ik-t} is the expiry in Unix seconds.
 *
 * <p>ImageKit's SDKs sign the URL string they build, so the signed text is the path and query exactly as the request
 * line carried them (Jetty's raw {@code HttpURI.getPath()}), never the decoded or canonical path that finds the file:
 * {@code /%41.jpg} and {@code /A.jpg} name the same file, and a signature covers only the spelling it was made for.
 * Spellings Jetty finds ambiguous ({@code %2F}, encoded dot segments) are refused before delivery sees them.
 */
public final class UrlSignature {
    /** The expiry the SDKs sign when a URL never expires. */
    public static final String NEVER = UrlSigning.NEVER;
    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d{10}");

    private final KeyRing keys;

    public UrlSignature(KeyRing keys) {
        this.keys = keys;
    }

    /** The outcome of checking one request. */
    public enum Result { UNSIGNED, VALID, INVALID, EXPIRED }

    /**
     * @param rawPathAfterEndpoint the raw (still percent-encoded) path after the endpoint's path, without its
     *     leading slash, e.g. {@code tr:w-400/sample.jpg}
     * @param rawQuery the raw query string, or null
     */
    public Result check(String rawPathAfterEndpoint, String rawQuery, Instant now) {
        String signature = null;
        String expiry = null;
        List<String> kept = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String param : rawQuery.split("&", -1)) {
                if (param.startsWith("ik-s=")) {
                    signature = param.substring(5);
                } else if (param.startsWith("ik-t=")) {
                    expiry = param.substring(5);
                } else {
                    kept.add(param);
                }
            }
        }
        if (signature == null) {
            return Result.UNSIGNED;
        }
        if (expiry != null && !UNIX_SECONDS.matcher(expiry).matches()) {
            // The signed text is the URL followed directly by the expiry, so with an expiry of any length a URL's
            // trailing digits could move into ik-t: "a.jpg?v=5" expiring at T is also "a.jpg?v=" expiring at 5T,
            // thousands of years later. Ten digits (Unix seconds until 2286), as the SDKs write it, leave one split.
            return Result.INVALID;
        }
        String signedUrl = rawPathAfterEndpoint + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        String signedExpiry = expiry == null ? NEVER : expiry;
        boolean matches = false;
        for (KeyPair pair : keys.pairs()) {
            matches |= Hmac.hexEquals(UrlSigning.signature(pair.privateKey(), signedUrl, signedExpiry), signature);
        }
        if (!matches) {
            return Result.INVALID;
        }
        if (expiry != null) {
            if (Instant.ofEpochSecond(Long.parseLong(expiry)).isBefore(now)) {
                return Result.EXPIRED;
            }
        }
        return Result.VALID;
    }
}

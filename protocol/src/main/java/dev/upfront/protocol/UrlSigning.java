package dev.upfront.protocol;

/**
 * Signed delivery URLs as ImageKit's SDKs make them: {@code ik-s = hex(HMAC-SHA1(privateKey, <URL after the
 * endpoint> + <expiry>))}, where the expiry is {@code ik-t} (Unix seconds) or {@link #NEVER} for a URL that does not
 * expire; {@code ik-t} (when it expires) and then {@code ik-s} are appended after every other query parameter.
 */
public final class UrlSigning {
    /** The expiry the SDKs sign when a URL never expires (no {@code ik-t} is sent). */
    public static final String NEVER = "9999999999";

    private UrlSigning() {}

    /** The text that is signed: the URL minus its endpoint prefix, followed by the expiry. */
    public static String stringToSign(String urlAfterEndpoint, String expiry) {
        return urlAfterEndpoint + expiry;
    }

    public static String signature(String privateKey, String urlAfterEndpoint, String expiry) {
        return Hmac.sha1Hex(privateKey, stringToSign(urlAfterEndpoint, expiry));
    }

    /**
     * Signs a complete URL.
     *
     * @param urlEndpoint the endpoint the URL starts with (a trailing slash is added when missing)
     * @param url the URL to sign, already percent-encoded exactly as it will be requested
     * @param expiresAt Unix seconds, or null for a URL that never expires
     */
    public static String sign(String privateKey, String urlEndpoint, String url, Long expiresAt) {
        String endpoint = urlEndpoint.endsWith("/") ? urlEndpoint : urlEndpoint + "/";
        if (!url.startsWith(endpoint)) {
            throw new IllegalArgumentException("the URL does not start with the URL endpoint " + endpoint);
        }
        String expiry = expiresAt == null ? NEVER : Long.toString(expiresAt);
        String signature = signature(privateKey, url.substring(endpoint.length()), expiry);
        StringBuilder signed = new StringBuilder(url).append(url.indexOf('?') >= 0 ? '&' : '?');
        if (expiresAt != null) {
            signed.append("ik-t=").append(expiry).append('&');
        }
        return signed.append("ik-s=").append(signature).toString();
    }
}

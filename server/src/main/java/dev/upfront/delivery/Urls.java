package dev.upfront.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Builds the public URLs of files from the URL endpoint: {@code <endpoint>/<filePath>}, the thumbnail
 * {@code <endpoint>/tr:n-ik_ml_thumbnail/<filePath>}, and {@code ?ik-obj-version=} for non-current versions.
 * Path characters outside RFC 3986's unreserved set are percent-encoded (unicode names stay valid URLs).
 */
public final class Urls {
    private final String endpoint;
    private final String deliveryPath;

    /** @param endpoint the URL endpoint without a trailing slash, e.g. {@code http://localhost:8080/media} */
    public Urls(URI endpoint) {
        String text = endpoint.toString();
        this.endpoint = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        this.deliveryPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    public String endpoint() {
        return endpoint;
    }

    /** The path prefix under which this server serves delivery: '' or '/media'. */
    public String deliveryPath() {
        return deliveryPath;
    }

    public String url(String filePath) {
        return endpoint + encodePath(filePath);
    }

    public String url(String filePath, String versionId, boolean current) {
        return current ? url(filePath) : url(filePath) + "?ik-obj-version=" + versionId;
    }

    public String thumbnailUrl(String filePath) {
        return endpoint + "/tr:n-ik_ml_thumbnail" + encodePath(filePath);
    }

    public String thumbnailUrl(String filePath, String versionId, boolean current) {
        return current ? thumbnailUrl(filePath) : thumbnailUrl(filePath) + "?ik-obj-version=" + versionId;
    }

    /** Percent-encodes each byte outside [A-Za-z0-9-._~/] of the UTF-8 path. */
    static String encodePath(String path) {
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}

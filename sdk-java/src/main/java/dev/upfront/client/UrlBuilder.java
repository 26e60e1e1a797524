package dev.upfront.client;

import dev.upfront.protocol.JsonText;
import dev.upfront.protocol.UrlSigning;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Builds one delivery URL as ImageKit's Node SDK ({@code imagekit.url(...)}) builds it, so the same options give
 * the same URL (checked against the shared conformance vectors): transformation steps chained with {@code :}, in
 * the path ({@code /tr:w-300,h-200/photo.jpg}, the default) or the query ({@code ?tr=w-300%2Ch-200}), query
 * parameters in the order given, the path percent-encoded as a browser would, and optionally signed
 * ({@code ik-t} when it expires, then {@code ik-s}). Not thread-safe; get a fresh one from the client per URL.
 */
public final class UrlBuilder {
    /** ImageKit's option names for transformation parameters (the Node SDK's table); other names pass as they are. */
    static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("width", "w"), Map.entry("height", "h"), Map.entry("aspectRatio", "ar"), Map.entry("quality", "q"),
            Map.entry("crop", "c"), Map.entry("cropMode", "cm"), Map.entry("focus", "fo"), Map.entry("x", "x"), Map.entry("y", "y"),
            Map.entry("format", "f"), Map.entry("radius", "r"), Map.entry("background", "bg"), Map.entry("border", "b"),
            Map.entry("rotation", "rt"), Map.entry("rotate", "rt"), Map.entry("blur", "bl"), Map.entry("named", "n"),
            Map.entry("progressive", "pr"), Map.entry("lossless", "lo"), Map.entry("trim", "t"), Map.entry("metadata", "md"),
            Map.entry("colorProfile", "cp"), Map.entry("defaultImage", "di"), Map.entry("dpr", "dpr"),
            Map.entry("effectSharpen", "e-sharpen"), Map.entry("effectUSM", "e-usm"), Map.entry("effectContrast", "e-contrast"),
            Map.entry("effectGray", "e-grayscale"), Map.entry("effectShadow", "e-shadow"), Map.entry("effectGradient", "e-gradient"),
            Map.entry("original", "orig"));

    /** Where the transformation goes. */
    public enum Position { PATH, QUERY }

    private final String urlEndpoint;
    private final String privateKey;
    private final InstantSource clock;
    private final String path;
    private final List<Map<String, ?>> steps = new ArrayList<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private Position position = Position.PATH;
    private boolean signed;
    private long expireSeconds;

    UrlBuilder(String urlEndpoint, String privateKey, InstantSource clock, String path) {
        this.urlEndpoint = urlEndpoint;
        this.privateKey = privateKey;
        this.clock = clock;
        this.path = path;
    }

    /**
     * Adds one transformation step (chained after the previous ones). Keys are ImageKit's option names
     * ({@code width}, {@code height}, {@code crop}...) or URL parameters ({@code w}, {@code e-grayscale}); the value
     * {@code "-"} writes the key alone; the key {@code raw} writes its value as it is. Use an ordered map.
     */
    public UrlBuilder transformation(Map<String, ?> step) {
        steps.add(new LinkedHashMap<>(step));
        return this;
    }

    /** Adds a step written as it is, e.g. {@code "w-300,h-200"}. */
    public UrlBuilder transformation(String raw) {
        return transformation(Map.of("raw", raw));
    }

    public UrlBuilder position(Position position) {
        this.position = position;
        return this;
    }

    public UrlBuilder queryParameter(String name, String value) {
        query.put(name, value);
        return this;
    }

    /** Signs the URL; it never expires unless {@link #expireSeconds} is set. */
    public UrlBuilder signed() {
        this.signed = true;
        return this;
    }

    /** Signs the URL so that it expires this many seconds from now ({@code ik-t}). */
    public UrlBuilder expireSeconds(long seconds) {
        if (seconds <= 0) {
            throw new IllegalArgumentException("expireSeconds must be positive");
        }
        this.signed = true;
        this.expireSeconds = seconds;
        return this;
    }

    public String build() {
        String tr = transformationString();
        Map<String, String> params = new LinkedHashMap<>(query);
        String relative;
        if (!tr.isEmpty() && position == Position.PATH) {
            relative = normalize("/tr:" + tr + "/" + path);
        } else {
            relative = normalize("/" + path);
            if (!tr.isEmpty()) {
                params.put("tr", tr);
            }
        }
        StringJoiner search = new StringJoiner("&");
        params.forEach((k, v) -> search.add(formEncode(k) + "=" + formEncode(v)));
        String url = urlEndpoint.replaceAll("/+$", "") + encodePath(relative) + (search.length() == 0 ? "" : "?" + search);
        if (!signed) {
            return url;
        }
        Long expiresAt = expireSeconds > 0 ? clock.instant().getEpochSecond() + expireSeconds : null;
        return UrlSigning.sign(privateKey, urlEndpoint, url, expiresAt);
    }

    private String transformationString() {
        StringJoiner chain = new StringJoiner(":");
        for (Map<String, ?> step : steps) {
            StringJoiner params = new StringJoiner(",");
            step.forEach((key, value) -> {
                if (value == null) {
                    return;
                }
                String k = KEYS.getOrDefault(key, KEYS.getOrDefault(key.toLowerCase(Locale.ROOT), key));
                String v = value instanceof Number ? JsonText.write(value) : String.valueOf(value);
                if (v.equals("-")) {
                    params.add(k);
                } else if (key.equals("raw")) {
                    params.add(v);
                } else {
                    if (k.equals("di")) {
                        v = v.replaceAll("^/+", "").replaceAll("/+$", "").replace("/", "@@");
                    }
                    params.add(k + "-" + v);
                }
            });
            chain.add(params.toString());
        }
        return chain.toString();
    }

    /** Collapses repeated slashes and resolves {@code .} and {@code ..}, as {@code path.posix.join} does. */
    private static String normalize(String path) {
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = path.split("/+", -1);
        for (String part : parts) {
            if (part.equals("..")) {
                segments.pollLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                segments.addLast(part);
            }
        }
        boolean trailing = path.endsWith("/") && !segments.isEmpty();
        return "/" + String.join("/", segments) + (trailing ? "/" : "");
    }

    /** A browser's path encoding: controls, space, {@code "#<>?`{}} and non-ASCII as UTF-8 escapes; {@code %} kept. */
    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || "\"#<>?`{}".indexOf(c) >= 0) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    /** {@code URLSearchParams} encoding: only letters, digits and {@code *-._} stay, space becomes {@code +}. */
    private static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

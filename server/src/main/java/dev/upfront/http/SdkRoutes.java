package dev.upfront.http;

import dev.upfront.delivery.Conditional;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.DateGenerator;

/**
 * {@code /sdk/*}: the browser SDK (the sdk-js folder of the repository, packaged on the class path under
 * {@code sdk/}). Public code, so it is served to every origin ({@code Access-Control-Allow-Origin: *} whatever
 * the upload CORS setting says) and a page anywhere can {@code import()} it. Revalidated after five minutes by
 * ETag, so a server upgrade reaches browsers soon.
 */
final class SdkRoutes {
    private static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    private static final Map<String, String> FILES = Map.of(
            "upfront.js", JAVASCRIPT,
            "imagekit-redirect.js", JAVASCRIPT,
            "upfront.d.ts", "application/typescript; charset=utf-8");

    private record SdkFile(String name, byte[] bytes, String contentType, String etag) {}

    private final Map<String, SdkFile> files;
    private final Instant loaded = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    SdkRoutes() {
        this.files = FILES.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> load(e.getKey(), e.getValue())));
    }

    void register(Router router) {
        for (String name : files.keySet()) {
            router.add("GET", "/sdk/" + name, ex -> serve(ex, files.get(name)));
        }
    }

    private void serve(Exchange ex, SdkFile file) throws IOException {
        ex.setHeader("Access-Control-Allow-Origin", "*");
        ex.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
        ex.setHeader("X-Content-Type-Options", "nosniff");
        ex.setHeader("Cache-Control", "public, max-age=300, must-revalidate");
        ex.setHeader("Content-Type", file.contentType());
        ex.setHeader("ETag", file.etag());
        ex.setHeader("Last-Modified", DateGenerator.formatDate(loaded));
        if (file.name().equals("upfront.js")) {
            ex.setHeader("X-TypeScript-Types", "./upfront.d.ts"); // Deno and esm tooling find the types here
        }
        if (Conditional.notModified(ex.header("If-None-Match"), ex.ifModifiedSince(), file.etag(), loaded)) {
            ex.empty(304);
            return;
        }
        ex.stream(200, file.bytes().length, new ByteArrayInputStream(file.bytes()));
    }

    private static SdkFile load(String name, String contentType) {
        try (InputStream in = SdkRoutes.class.getResourceAsStream("/sdk/" + name)) {
            if (in == null) {
                throw new IllegalStateException("sdk/" + name + " is missing from the class path (the build copies sdk-js/ there)");
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new SdkFile(name, bytes, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Images.Decoded;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery URLs built by ImageKit's official Node SDK (npm {@code imagekit}, pinned in {@code src/test/node}) with
 * {@code imagekit.url(...)} against this server's URL endpoint and the test key pair: transformations in the path
 * and in the query, chained, signed and unsigned, with and without expiry, a private file, an older version, the
 * {@code src} form. Every URL is fetched and the image it answers with is decoded here (ImageIO) to check its
 * dimensions and format. Tampered and expired signatures are 401.
 *
 * <p>What the SDK does that the server has to accept as is: in the query form it writes the transformation through
 * {@code URLSearchParams}, so {@code ,} and {@code :} arrive as {@code %2C} and {@code %3A} and that encoded text is
 * what it signs; it puts {@code ik-t} before {@code ik-s} after every other parameter; it signs non-ASCII paths in
 * their percent-encoded (UTF-8) form; the {@code src} form always puts the transformation in the query.
 */
class ImageKitUrlSdkTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    static TestServer server;
    static NodeProject project;
    static JsonNode built;
    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static byte[] photo = Images.jpeg(640, 480);
    static byte[] secret = Images.png(800, 600);
    static String photoPath;
    static String photoUrl;
    static String secretPath;
    static String unicodePath;
    static String versionedPath;
    static String firstVersionId;
    static String secondVersionId;

    /** What a URL must answer with: an image of this size and format, the original bytes, or an error. */
    record Expect(int status, int width, int height, String format, byte[] original, String code) {
        static Expect image(int width, int height, String format) {
            return new Expect(200, width, height, format, null, null);
        }

        static Expect original(byte[] bytes) {
            return new Expect(200, 0, 0, null, bytes, null);
        }

        static Expect error(int status, String code) {
            return new Expect(status, 0, 0, null, null, code);
        }
    }

    record Case(String id, Map<String, Object> options, Expect expect) {}

    @BeforeAll
    static void buildUrls() throws Exception {
        project = NodeProject.prepare(tmp);
        server = TestServer.start();

        JsonNode p = upload("photo.jpg", photo, "/sdk-urls/", false);
        photoPath = p.get("filePath").asText();
        photoUrl = p.get("url").asText();
        secretPath = upload("secret.png", secret, "/sdk-urls/private/", true).get("filePath").asText();
        unicodePath = upload("fïlé-ünï.jpg", Images.jpeg(300, 150), "/sdk-urls/", false).get("filePath").asText();
        assertThat(unicodePath).isEqualTo("/sdk-urls/fïlé-ünï.jpg");
        JsonNode v1 = upload("versioned.jpg", Images.jpeg(300, 200), "/sdk-urls/", false);
        JsonNode v2 = upload("versioned.jpg", Images.jpeg(500, 250), "/sdk-urls/", false);
        assertThat(v2.get("fileId").asText()).isEqualTo(v1.get("fileId").asText());
        versionedPath = v2.get("filePath").asText();
        firstVersionId = v1.get("versionInfo").get("id").asText();
        secondVersionId = v2.get("versionInfo").get("id").asText();

        // Public file, one step, both positions, unsigned and signed, with and without expiry.
        add("path", Map.of("path", photoPath, "transformation", List.of(ordered("width", 320, "height", 240))), Expect.image(320, 240, "jpeg"));
        add("query", Map.of("path", photoPath, "transformation", List.of(ordered("width", 320, "height", 240)),
                "transformationPosition", "query"), Expect.image(320, 240, "jpeg"));
        add("pathSigned", Map.of("path", photoPath, "transformation", List.of(ordered("width", 200, "height", 200)),
                "signed", true), Expect.image(200, 200, "jpeg"));
        add("querySigned", Map.of("path", photoPath, "transformation", List.of(ordered("width", 200, "height", 200)),
                "transformationPosition", "query", "signed", true), Expect.image(200, 200, "jpeg"));
        add("pathExpiring", Map.of("path", photoPath, "transformation", List.of(Map.of("width", 160)),
                "signed", true, "expireSeconds", 600), Expect.image(160, 120, "jpeg"));
        add("queryExpiring", Map.of("path", photoPath, "transformation", List.of(Map.of("width", 160)),
                "transformationPosition", "query", "signed", true, "expireSeconds", 600), Expect.image(160, 120, "jpeg"));
        add("originalSigned", Map.of("path", photoPath, "signed", true), Expect.original(photo));

        // Chains.
        add("chainPath", Map.of("path", photoPath, "transformation", List.of(ordered("width", 400, "height", 300), Map.of("rotation", 90))),
                Expect.image(300, 400, "jpeg"));
        add("chainQuerySigned", Map.of("path", photoPath, "transformation", List.of(
                        ordered("width", 400, "height", 300, "crop", "force"), Map.of("rotation", "N90"), Map.of("format", "png")),
                "transformationPosition", "query", "signed", true, "expireSeconds", 600), Expect.image(300, 400, "png"));

        // The SDK's names for the other parameters.
        add("params", Map.of("path", photoPath, "transformation", List.of(ordered("width", 0.5, "height", 100, "dpr", 2,
                "crop", "maintain_ratio", "focus", "top", "quality", 50, "format", "jpg"))), Expect.image(640, 200, "jpeg"));
        add("padResize", Map.of("path", photoPath, "transformation", List.of(ordered("width", 300, "height", 300,
                "cropMode", "pad_resize", "background", "FF0000"))), Expect.image(300, 300, "jpeg"));
        add("aspectRatio", Map.of("path", photoPath, "transformation", List.of(ordered("height", 120, "aspectRatio", "4-3")),
                "transformationPosition", "query"), Expect.image(160, 120, "jpeg"));
        add("extract", Map.of("path", photoPath, "transformation", List.of(ordered("cropMode", "extract", "width", 100, "height", 50,
                "x", 10, "y", 20)), "signed", true), Expect.image(100, 50, "jpeg"));
        // imagekit@6 has no name for xc/yc (xCenter would be sent as "xCenter-300"); unknown keys pass through as written.
        add("extractCentre", Map.of("path", photoPath, "transformation", List.of(ordered("cropMode", "extract", "width", 100, "height", 50,
                "xc", 300, "yc", 200))), Expect.image(100, 50, "jpeg"));
        add("rotateAlias", Map.of("path", photoPath, "transformation", List.of(ordered("width", 100, "rotate", 90))),
                Expect.image(75, 100, "jpeg"));
        add("effects", Map.of("path", photoPath, "transformation", List.of(ordered("width", 100, "blur", 10, "radius", "max"))),
                Expect.image(100, 75, "jpeg"));
        add("original", Map.of("path", photoPath, "transformation", List.of(Map.of("original", true))), Expect.original(photo));

        // A private file: signed works, unsigned needs a signature, the named thumbnail does not.
        add("privatePathSigned", Map.of("path", secretPath, "transformation", List.of(Map.of("width", 100)), "signed", true),
                Expect.image(100, 75, "png"));
        add("privateQueryExpiring", Map.of("path", secretPath, "transformation", List.of(Map.of("height", 60)),
                "transformationPosition", "query", "signed", true, "expireSeconds", 600), Expect.image(80, 60, "png"));
        add("privateOriginalSigned", Map.of("path", secretPath, "signed", true), Expect.original(secret));
        add("privateUnsigned", Map.of("path", secretPath, "transformation", List.of(Map.of("width", 100))),
                Expect.error(401, "SIGNED_URL_REQUIRED"));
        add("privateUnsignedQuery", Map.of("path", secretPath, "transformation", List.of(Map.of("width", 100)),
                "transformationPosition", "query"), Expect.error(401, "SIGNED_URL_REQUIRED"));
        add("privateOriginalUnsigned", Map.of("path", secretPath), Expect.error(401, "SIGNED_URL_REQUIRED"));
        add("privateThumbnail", Map.of("path", secretPath, "transformation", List.of(Map.of("named", "ik_ml_thumbnail"))),
                Expect.image(400, 300, "png"));
        add("privateThumbnailQuery", Map.of("path", secretPath, "transformation", List.of(Map.of("named", "ik_ml_thumbnail")),
                "transformationPosition", "query"), Expect.image(400, 300, "png"));
        add("privateThumbnailChained", Map.of("path", secretPath, "transformation", List.of(Map.of("named", "ik_ml_thumbnail"),
                Map.of("rotation", 90))), Expect.error(401, "SIGNED_URL_REQUIRED"));

        // A non-ASCII path (the SDK signs its percent-encoded form), an older version, the src form.
        add("unicodeSigned", Map.of("path", unicodePath, "transformation", List.of(Map.of("width", 100)), "signed", true),
                Expect.image(100, 50, "jpeg"));
        add("unicodeQuerySigned", Map.of("path", unicodePath, "transformation", List.of(Map.of("height", 30)),
                "transformationPosition", "query", "signed", true, "expireSeconds", 600), Expect.image(60, 30, "jpeg"));
        add("oldVersion", Map.of("path", versionedPath, "transformation", List.of(Map.of("width", 100)),
                "queryParameters", Map.of("ik-obj-version", firstVersionId), "signed", true), Expect.image(100, 67, "jpeg"));
        add("currentVersion", Map.of("path", versionedPath, "transformation", List.of(Map.of("width", 100))), Expect.image(100, 50, "jpeg"));
        add("src", Map.of("src", photoUrl, "transformation", List.of(ordered("width", 64, "height", 48)), "signed", true),
                Expect.image(64, 48, "jpeg"));

        // Expiry: already past (a negative expireSeconds gives a past ik-t), and one second (checked after a wait).
        add("expired", Map.of("path", photoPath, "transformation", List.of(Map.of("width", 50)), "signed", true, "expireSeconds", -60),
                Expect.error(401, "SIGNED_URL_INVALID"));
        add("shortLived", Map.of("path", secretPath, "transformation", List.of(Map.of("width", 50)), "signed", true,
                "expireSeconds", 1), Expect.error(401, "SIGNED_URL_INVALID"));

        List<Map<String, Object>> input = new ArrayList<>();
        CASES.values().forEach(c -> input.add(Map.of("id", c.id(), "options", c.options())));
        NodeProject.ProcessResult script = project.node("imagekit-urls.mjs", Map.of(
                "UPFRONT_URL_ENDPOINT", server.urlEndpoint(),
                "UPFRONT_PUBLIC_KEY", TestServer.PUBLIC_KEY,
                "UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY,
                "UPFRONT_URL_CASES", Json.write(input)), SCRIPT_TIMEOUT);
        assertThat(script.exitCode()).as("imagekit-urls.mjs failed:%n%s", script.describe()).isZero();
        built = Json.parse(script.lastLine());
        assertThat(built.path("sdkVersion").asText()).as("installed SDK").isEqualTo(project.pinnedVersion("imagekit"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void add(String id, Map<String, Object> options, Expect expect) {
        CASES.put(id, new Case(id, options, expect));
    }

    /** A step whose keys keep their order (the SDK writes them in insertion order). */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static JsonNode upload(String name, byte[] content, String folder, boolean isPrivate) throws Exception {
        Multipart m = new Multipart().field("fileName", name).field("folder", folder).field("useUniqueFileName", "false")
                .field("isPrivateFile", Boolean.toString(isPrivate));
        HttpResponse<String> r = server.upload(m.file(content), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static String url(String id) {
        String url = built.path("urls").path(id).asText();
        assertThat(url).as("URL of case %s", id).startsWith(server.urlEndpoint() + "/");
        return url;
    }

    static HttpResponse<byte[]> fetch(String url) {
        return server.getBytes(url);
    }

    /** Checks one response against what its case expects, decoding images. */
    static void check(String id, String url, Expect expect) throws IOException {
        HttpResponse<byte[]> r = fetch(url);
        String what = id + ": GET " + url;
        assertThat(r.statusCode()).as("%s -> %s", what, new String(r.body())).isEqualTo(expect.status());
        if (expect.code() != null) {
            assertThat(Json.parse(new String(r.body())).path("code").asText()).as(what).isEqualTo(expect.code());
            return;
        }
        if (expect.original() != null) {
            assertThat(r.body()).as("%s: the original bytes", what).isEqualTo(expect.original());
            return;
        }
        Decoded d = Images.decode(r.body());
        assertThat(d.format()).as("%s: decoded format", what).isEqualTo(expect.format());
        assertThat(d.image().getWidth() + "x" + d.image().getHeight()).as("%s: decoded size", what)
                .isEqualTo(expect.width() + "x" + expect.height());
        assertThat(r.headers().firstValue("content-type")).as(what).contains("image/" + expect.format());
    }



    @Test
    void everySdkUrlAnswersAsExpected() throws IOException {
        for (Case c : CASES.values()) {
            if (!c.id().equals("shortLived")) {
                check(c.id(), url(c.id()), c.expect());
            }
        }
    }

    @Test
    void theSdkPutsTransformationsWhereAsked() {
        String endpoint = server.urlEndpoint();
        assertThat(url("path")).isEqualTo(endpoint + "/tr:w-320,h-240" + photoPath);
        assertThat(url("chainPath")).isEqualTo(endpoint + "/tr:w-400,h-300:rt-90" + photoPath);
        // In the query the SDK percent-encodes ',' and ':' (URLSearchParams); the server decodes ?tr= like any parameter.
        assertThat(url("query")).isEqualTo(endpoint + photoPath + "?tr=w-320%2Ch-240");
        assertThat(url("chainQuerySigned")).startsWith(endpoint + photoPath + "?tr=w-400%2Ch-300%2Cc-force%3Art-N90%3Af-png&ik-t=");
        assertThat(url("privateThumbnail")).isEqualTo(endpoint + "/tr:n-ik_ml_thumbnail" + secretPath);
        assertThat(url("original")).isEqualTo(endpoint + "/tr:orig-true" + photoPath);
        assertThat(url("src")).as("src URLs always take ?tr=").startsWith(photoUrl + "?tr=w-64%2Ch-48&ik-s=");
        assertThat(url("oldVersion")).contains("?ik-obj-version=" + firstVersionId + "&ik-s=");
        assertThat(url("unicodeSigned")).as("non-ASCII paths are percent-encoded UTF-8")
                .contains("/f%C3%AFl%C3%A9-%C3%BCn%C3%AF.jpg?ik-s=");
    }

    @Test
    void signedUrlsCarryTheSignatureLast() {
        assertThat(url("pathSigned")).matches(".*/tr:w-200,h-200/sdk-urls/photo\\.jpg\\?ik-s=[0-9a-f]{40}").doesNotContain("ik-t=");
        assertThat(url("querySigned")).matches(".*/sdk-urls/photo\\.jpg\\?tr=w-200%2Ch-200&ik-s=[0-9a-f]{40}");
        long now = built.path("builtAt").asLong();
        assertThat(expiry(url("pathExpiring"))).isBetween(now + 600 - 1, now + 600 + 1);
        assertThat(url("pathExpiring")).matches(".*\\?ik-t=\\d{10}&ik-s=[0-9a-f]{40}");
        assertThat(url("queryExpiring")).matches(".*\\?tr=w-160&ik-t=\\d{10}&ik-s=[0-9a-f]{40}");
        assertThat(url("path")).doesNotContain("ik-s");
    }

    @Test
    void tamperedSignedUrlsAre401() throws IOException {
        Expect invalid = Expect.error(401, "SIGNED_URL_INVALID");
        for (String id : List.of("pathSigned", "querySigned", "pathExpiring", "queryExpiring", "privatePathSigned", "unicodeSigned", "src")) {
            String url = url(id);
            check(id + " (one ik-s character changed)", flipLastHexDigit(url), invalid);
            check(id + " (another parameter added)", url + "&w=1", invalid);
        }
        check("pathSigned (transformation changed)", url("pathSigned").replace("tr:w-200,h-200", "tr:w-201,h-200"), invalid);
        check("pathSigned (step added)", url("pathSigned").replace("tr:w-200,h-200", "tr:w-200,h-200:rt-90"), invalid);
        check("querySigned (transformation changed)", url("querySigned").replace("tr=w-200%2Ch-200", "tr=w-200%2Ch-199"), invalid);
        check("querySigned (transformation moved to the path)", url("querySigned")
                .replace("/sdk-urls/photo.jpg?tr=w-200%2Ch-200&", "/tr:w-200,h-200/sdk-urls/photo.jpg?"), invalid);
        // The signature covers the query exactly as the SDK encoded it: a proxy that decodes %2C breaks it.
        check("querySigned (%2C decoded)", url("querySigned").replace("%2C", ","), invalid);
        check("privatePathSigned (transformation changed)", url("privatePathSigned").replace("tr:w-100", "tr:w-2000"), invalid);
        check("oldVersion (other version)", url("oldVersion").replace(firstVersionId, secondVersionId), invalid);
        check("pathExpiring (ik-t moved later)", url("pathExpiring").replace("ik-t=" + expiry(url("pathExpiring")),
                "ik-t=" + (expiry(url("pathExpiring")) + 3600)), invalid);
        check("pathExpiring (ik-t removed)", url("pathExpiring").replaceAll("ik-t=\\d+&", ""), invalid);
        check("privatePathSigned (signature of another URL)", url("privatePathSigned").replaceAll("ik-s=[0-9a-f]+",
                url("pathSigned").replaceAll(".*ik-s=", "ik-s=")), invalid);
        check("privatePathSigned (ik-s removed)", url("privatePathSigned").replaceAll("\\?ik-s=[0-9a-f]+$", ""),
                Expect.error(401, "SIGNED_URL_REQUIRED"));
        check("pathSigned (ik-s removed from a public file)", url("pathSigned").replaceAll("\\?ik-s=[0-9a-f]+$", ""),
                Expect.image(200, 200, "jpeg"));
    }

    @Test
    void expiredUrlsAre401() throws Exception {
        String url = url("shortLived");
        long expiry = expiry(url);
        assertThat(expiry).isBetween(built.path("builtAt").asLong(), built.path("builtAt").asLong() + 2);
        // ik-t is whole seconds: wait until it lies at least one full second in the past.
        long waitMs = (expiry + 2) * 1000 - System.currentTimeMillis();
        if (waitMs > 0) {
            Thread.sleep(waitMs);
        }
        check("shortLived, after its expiry", url, Expect.error(401, "SIGNED_URL_INVALID"));
        assertThat(expiry(url("expired"))).isLessThan(System.currentTimeMillis() / 1000);
        check("expired", url("expired"), Expect.error(401, "SIGNED_URL_INVALID"));
    }

    private static long expiry(String url) {
        Matcher m = Pattern.compile("[?&]ik-t=(\\d+)").matcher(URI.create(url).getRawQuery() == null ? "" : "?" + URI.create(url).getRawQuery());
        assertThat(m.find()).as("ik-t in %s", url).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String flipLastHexDigit(String url) {
        int at = url.lastIndexOf("ik-s=") + "ik-s=".length() + 7;
        char c = url.charAt(at);
        char other = c == '0' ? '1' : '0';
        return url.substring(0, at) + other + url.substring(at + 1);
    }
}

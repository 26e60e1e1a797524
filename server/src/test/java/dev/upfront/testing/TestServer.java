package dev.upfront.testing;

import dev.upfront.app.Upfront;
import dev.upfront.auth.Hmac;
import dev.upfront.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole server, in-process on a free port with a fresh data folder, configured exactly as from the
 * environment. Tests talk to it over a real socket with {@link HttpClient}.
 */
public final class TestServer implements AutoCloseable {
    public static final String PUBLIC_KEY = "public_test_key_0001";
    public static final String PRIVATE_KEY = "private_test_key_0001_with_enough_entropy";

    private final Path dataDir;
    private final Upfront upfront;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String stdout;

    private TestServer(Path dataDir, Upfront upfront, String stdout) {
        this.dataDir = dataDir;
        this.upfront = upfront;
        this.stdout = stdout;
    }

    /** A server with the test key pair and the given extra environment. */
    public static TestServer start(Map<String, String> env) {
        // Deleted at exit, not at close: tests start a server again on the same folder after closing one.
        return start(TempFolders.deletedAtExit("upfront-test-", () -> {}), env, true);
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** A server on {@code dataDir}; with {@code testKeys} false it uses only what {@code env} configures. */
    public static TestServer start(Path dataDir, Map<String, String> env, boolean testKeys) {
        Map<String, String> all = new HashMap<>();
        all.put("UPFRONT_PORT", "0");
        all.put("UPFRONT_BIND", "127.0.0.1");
        all.put("UPFRONT_DATA_DIR", dataDir.toString());
        if (testKeys) {
            all.put("UPFRONT_PUBLIC_KEY", PUBLIC_KEY);
            all.put("UPFRONT_PRIVATE_KEY", PRIVATE_KEY);
        }
        all.putAll(env);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Upfront upfront = Upfront.start(Config.load(all, List.of()), new PrintStream(out, true));
            return new TestServer(dataDir, upfront, out.toString());
        } catch (Exception e) {
            throw new IllegalStateException("server did not start", e);
        }
    }

    /** The running server, for tests that look inside (e.g. how many renders the derived-image cache did). */
    public Upfront upfront() {
        return upfront;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** What the server printed to its standard output at start (the one-time key print). */
    public String stdout() {
        return stdout;
    }

    public int port() {
        return upfront.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    public HttpClient client() {
        return client;
    }

    public String urlEndpoint() {
        return upfront.urls().endpoint();
    }

    /** {@code Basic base64(privateKey:password)}. */
    public static String basic(String privateKey, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((privateKey + ":" + password).getBytes());
    }

    public static String basic() {
        return basic(PRIVATE_KEY, "");
    }

    /** Fresh v1 client-side auth fields for the test key: token, expire (now + {@code secondsAhead}), signature. */
    public static Map<String, String> v1Auth(long secondsAhead) {
        String token = UUID.randomUUID().toString();
        String expire = Long.toString(System.currentTimeMillis() / 1000 + secondsAhead);
        return v1Auth(token, expire);
    }

    public static Map<String, String> v1Auth(String token, String expire) {
        Map<String, String> fields = new HashMap<>();
        fields.put("publicKey", PUBLIC_KEY);
        fields.put("token", token);
        fields.put("expire", expire);
        fields.put("signature", Hmac.sha1Hex(PRIVATE_KEY, token + expire));
        return fields;
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> sendForBytes(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a multipart body to the v1 upload endpoint, with optional extra headers (name, value, ...). */
    public HttpResponse<String> upload(Multipart body, String... headers) {
        return post("/api/v1/files/upload", body, headers);
    }

    public HttpResponse<String> post(String path, Multipart body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public HttpResponse<String> get(String pathOrUrl, String... headers) {
        URI target = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : uri(pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(target).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public HttpResponse<byte[]> getBytes(String pathOrUrl, String... headers) {
        URI target = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : uri(pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(target).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return sendForBytes(b.build());
    }

    /** Creates a custom metadata field ({@code schemaJson} e.g. {@code {"type":"Text"}}); fails the test if refused. */
    public void createCustomField(String name, String schemaJson) {
        String body = "{\"name\":\"" + name + "\",\"label\":\"" + name + "\",\"schema\":" + schemaJson + "}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/customMetadataFields"))
                .header("Authorization", basic()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 201) {
            throw new AssertionError("custom field " + name + " not created: " + r.statusCode() + " " + r.body());
        }
    }

    /** How many burned upload credentials the database remembers. */
    public long usedTokens() {
        return DataDirCheck.usedTokens(dataDir);
    }

    /** Every file under the blob folder (published and staging), for "nothing was stored" checks. */
    public List<Path> blobFiles() {
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(dataDir.resolve("blobs"))) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    @Override
    public void close() {
        upfront.close();
    }
}

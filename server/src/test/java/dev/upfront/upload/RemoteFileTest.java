package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code file} given as an http(s) URL (PRODUCT.md §3.2): the server fetches it, refuses loopback and private
 * addresses unless configured, bounds the wait for headers and the size. The origin is a JDK HttpServer on
 * 127.0.0.1 inside the test.
 */
class RemoteFileTest {
    static final int MB = 1024 * 1024;
    /** The one answer to every refusal and failure before a response: it must not say which it was. */
    static final String GENERIC = "could not be downloaded from the URL: " + RemoteFiles.UNREACHABLE + ".";
    static final byte[] PNG = Images.png(21, 13);

    static HttpServer origin;
    static ExecutorService originThreads;
    static final AtomicInteger hits = new AtomicInteger();
    static TestServer strict;
    static TestServer open;

    @BeforeAll
    static void start() throws IOException {
        originThreads = Executors.newCachedThreadPool();
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.setExecutor(originThreads);
        origin.createContext("/photo.png", ex -> respond(ex, 200, "image/png", PNG));
        origin.createContext("/disguised", ex -> respond(ex, 200, "text/plain", PNG));
        origin.createContext("/missing", ex -> respond(ex, 404, "text/plain", "not here".getBytes()));
        origin.createContext("/broken", ex -> respond(ex, 500, "text/plain", "oops".getBytes()));
        origin.createContext("/empty", ex -> respond(ex, 200, "application/octet-stream", new byte[0]));
        origin.createContext("/slow", ex -> {
            sleep(3000);
            respond(ex, 200, "image/png", PNG);
        });
        origin.createContext("/big", ex -> respond(ex, 200, "application/octet-stream", new byte[3 * MB]));
        origin.createContext("/big-chunked", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, 0); // chunked: no length announced
            try (OutputStream out = ex.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 48; i++) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                // the fetcher hung up at its limit
            }
        });
        origin.createContext("/redirect", ex -> redirect(ex, "/photo.png"));
        origin.createContext("/redirect-loop", ex -> redirect(ex, "/redirect-loop"));
        origin.createContext("/redirect-to-file", ex -> redirect(ex, "file:///etc/passwd"));
        // Refused before any connection, whatever the configuration: no packet leaves for these addresses.
        origin.createContext("/redirect-to-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
        origin.createContext("/redirect-to-mapped-metadata", ex -> redirect(ex, "http://[::ffff:169.254.169.254]/latest/"));
        origin.start();

        strict = TestServer.start();
        open = TestServer.start(Map.of("UPFRONT_FETCH_ALLOW_PRIVATE", "true"));
    }

    @AfterAll
    static void stop() {
        strict.close();
        open.close();
        origin.stop(0);
        originThreads.shutdownNow();
    }

    static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        hits.incrementAndGet();
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the fetcher may hang up early (size limit, timeout)
        }
    }

    static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String url(String path) {
        return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
    }

    static HttpResponse<String> uploadUrl(TestServer server, String fileUrl) {
        Multipart m = new Multipart().field("fileName", "remote.png").field("file", fileUrl);
        return server.upload(m, "Authorization", TestServer.basic());
    }

    static void assertRefused(TestServer server, HttpResponse<String> r, Set<Path> blobsBefore, String code, String mentions)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(json.get("message").asText()).as(r.body()).contains(mentions);
        assertThat(new HashSet<>(server.blobFiles())).isEqualTo(blobsBefore);
        try (Stream<Path> staging = Files.list(server.dataDir().resolve("blobs").resolve(".staging"))) {
            assertThat(staging.toList()).isEmpty();
        }
    }

    static Set<Path> blobs(TestServer server) {
        return new HashSet<>(server.blobFiles());
    }

    // ---- refused by default

    @Test
    void loopbackIsRefusedByDefault() throws Exception {
        int before = hits.get();
        Set<Path> blobs = blobs(strict);
        assertRefused(strict, uploadUrl(strict, url("/photo.png")), blobs, "FILE_FETCH_FAILED", GENERIC);
        assertThat(hits.get()).as("the origin was never contacted").isEqualTo(before);
    }

    @Test
    void otherNonPublicAddressesAreRefusedByDefault() throws Exception {
        int before = hits.get();
        int port = origin.getAddress().getPort();
        for (String target : List.of("http://localhost:" + port + "/photo.png", "http://[::1]:" + port + "/photo.png",
                "http://0.0.0.0:" + port + "/photo.png", "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/x.png", "http://192.168.1.1/x.png", "http://172.16.0.1/x.png",
                "http://[::ffff:127.0.0.1]:" + port + "/photo.png", "http://[fc00::1]/x.png", "http://100.64.0.1/x.png",
                "http://[::127.0.0.1]:" + port + "/photo.png", "http://[64:ff9b::7f00:1]:" + port + "/photo.png",
                "http://[2002:7f00:1::]:" + port + "/photo.png", "http://192.0.2.1/x.png", "http://203.0.113.9/x.png",
                "http://[2001::1]/x.png", "http://[100::1]/x.png")) {
            Set<Path> blobs = blobs(strict);
            assertRefused(strict, uploadUrl(strict, target), blobs, "FILE_FETCH_FAILED", GENERIC);
        }
        assertThat(hits.get()).as("the origin was never contacted").isEqualTo(before);
    }

    @Test
    void onlyHttpAndHttpsAreFetched() throws Exception {
        // Text that starts otherwise is base64, and these are not base64.
        for (String target : List.of("ftp://127.0.0.1/x.png", "file:///etc/passwd", "gopher://127.0.0.1/")) {
            HttpResponse<String> r = uploadUrl(open, target);
            assertThat(r.statusCode()).as(target).isEqualTo(400);
            assertThat(Json.parse(r.body()).get("code").asText()).isIn("INVALID_FILE", "FILE_FETCH_FAILED");
        }
    }

    // ---- allowed by configuration

    @Test
    void allowedPrivateFetchStoresTheBytes() throws Exception {
        HttpResponse<String> r = uploadUrl(open, url("/photo.png"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("size").asLong()).isEqualTo(PNG.length);
        assertThat(json.get("fileType").asText()).isEqualTo("image");
        assertThat(json.get("width").asInt()).isEqualTo(21);
        assertThat(json.get("height").asInt()).isEqualTo(13);
        assertThat(json.get("name").asText()).matches("remote_[A-Za-z0-9_-]{9}\\.png");
        assertThat(open.getBytes(json.get("url").asText()).body()).isEqualTo(PNG);
    }

    @Test
    void fetchedTypeComesFromTheBytes() throws Exception {
        HttpResponse<String> r = uploadUrl(open, url("/disguised"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("fileType").asText()).isEqualTo("image");
        assertThat(open.getBytes(json.get("url").asText()).headers().firstValue("content-type")).contains("image/png");
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        HttpResponse<String> r = uploadUrl(open, url("/redirect"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(open.getBytes(Json.parse(r.body()).get("url").asText()).body()).isEqualTo(PNG);
    }

    @Test
    void redirectLoopIsRefused() throws Exception {
        assertRefused(open, uploadUrl(open, url("/redirect-loop")), blobs(open), "FILE_FETCH_FAILED", "redirects");
    }

    @Test
    void redirectToAnotherSchemeIsRefused() throws Exception {
        assertRefused(open, uploadUrl(open, url("/redirect-to-file")), blobs(open), "FILE_FETCH_FAILED", "http");
    }

    @Test
    void everyRedirectHopIsCheckedAgain() throws Exception {
        for (String path : List.of("/redirect-to-metadata", "/redirect-to-mapped-metadata")) {
            assertRefused(open, uploadUrl(open, url(path)), blobs(open), "FILE_FETCH_FAILED", GENERIC);
        }
    }

    @Test
    void notFoundIsABadRequest() throws Exception {
        assertRefused(open, uploadUrl(open, url("/missing")), blobs(open), "FILE_FETCH_FAILED", "404");
    }

    @Test
    void serverErrorIsABadRequest() throws Exception {
        assertRefused(open, uploadUrl(open, url("/broken")), blobs(open), "FILE_FETCH_FAILED", "500");
    }

    @Test
    void emptyRemoteFileIsRefused() throws Exception {
        assertRefused(open, uploadUrl(open, url("/empty")), blobs(open), "INVALID_FILE", "empty");
    }

    @Test
    void connectionRefusedIsABadRequest() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        // The same words as a refused address: answers must not tell closed ports from forbidden ones.
        assertRefused(open, uploadUrl(open, "http://127.0.0.1:" + closedPort + "/x.png"), blobs(open), "FILE_FETCH_FAILED",
                GENERIC);
    }

    @Test
    void malformedUrlIsABadRequest() throws Exception {
        assertRefused(open, uploadUrl(open, "http://exa mple.com/x y"), blobs(open), "FILE_FETCH_FAILED", "malformed");
    }

    @Test
    void headersSlowerThanTheTimeoutAreRefusedQuickly() throws Exception {
        try (TestServer impatient = TestServer.start(Map.of("UPFRONT_FETCH_ALLOW_PRIVATE", "true", "UPFRONT_FETCH_TIMEOUT", "1"))) {
            // One fetch first: the client starts on first use, and only the header wait is measured here.
            assertThat(uploadUrl(impatient, url("/photo.png")).statusCode()).isEqualTo(200);
            Set<Path> blobs = blobs(impatient);
            long start = System.nanoTime();
            HttpResponse<String> r = uploadUrl(impatient, url("/slow"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertRefused(impatient, r, blobs, "FILE_FETCH_FAILED", GENERIC);
            assertThat(millis).as("answered before the origin's 3 s sleep ended").isLessThan(2_900);
        }
    }

    @Test
    void oversizeRemoteFileIsRefused() throws Exception {
        try (TestServer small = TestServer.start(Map.of("UPFRONT_FETCH_ALLOW_PRIVATE", "true", "UPFRONT_MAX_FILE_SIZE", "1MB"))) {
            for (String path : List.of("/big", "/big-chunked")) {
                Set<Path> blobs = blobs(small);
                assertRefused(small, uploadUrl(small, url(path)), blobs, "FILE_TOO_LARGE", "exceeds limits");
            }
            assertThat(small.get("/healthz").statusCode()).isEqualTo(200);
        }
    }
}

package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Requirements;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImageKit's official Node SDK (npm {@code imagekit}, the exact version pinned in {@code src/test/node/package.json}
 * and its lock file) against the real server: {@code getAuthenticationParameters()} feeding a browser-style
 * client-side upload, and {@code imagekit.upload(...)} with a Buffer, a base64 string and a URL. The script
 * {@code src/test/node/imagekit-v1.mjs} checks the responses as the SDK's caller sees them; this class then checks
 * the library state over HTTP: the bytes behind every returned url and the file details.
 */
class ImageKitNodeSdkTest {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    private static final int WIDTH = 37;
    private static final int HEIGHT = 23;
    /** Variables that would send the SDK's axios requests for 127.0.0.1 to a proxy. */
    private static final List<String> PROXY_VARIABLES =
            List.of("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY");

    @TempDir
    Path tmp;

    @Test
    void officialNodeSdkUploadsAndItsAuthParametersAreAccepted() throws Exception {
        Path nodeDir = nodeDir();
        ProcessResult node = run(List.of("node", "--version"), nodeDir, e -> { }, PROBE_TIMEOUT, "node-version");
        Requirements.require(node.ok(), "node (Node.js 18+) on PATH, to run ImageKit's Node SDK");
        Requirements.require(majorVersion(node.stdout()) >= 18,
                "Node.js 18+ (global fetch/FormData/Blob), found " + node.stdout().strip());
        Requirements.require(run(List.of("npm", "--version"), nodeDir, e -> { }, PROBE_TIMEOUT, "npm-version").ok(),
                "npm on PATH, to install ImageKit's Node SDK from src/test/node/package-lock.json");
        installDependencies(nodeDir);

        byte[] png = Images.png(WIDTH, HEIGHT);
        Path sample = tmp.resolve("sample.png");
        Files.write(sample, png);

        try (TestServer server = TestServer.start(Map.of("UPFRONT_FETCH_ALLOW_PRIVATE", "true"))) {
            Map<String, String> env = Map.of(
                    "UPFRONT_URL", server.baseUrl(),
                    "UPFRONT_URL_ENDPOINT", server.urlEndpoint(),
                    "UPFRONT_PUBLIC_KEY", TestServer.PUBLIC_KEY,
                    "UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY,
                    "UPFRONT_SAMPLE_FILE", sample.toAbsolutePath().toString(),
                    "UPFRONT_SAMPLE_WIDTH", Integer.toString(WIDTH),
                    "UPFRONT_SAMPLE_HEIGHT", Integer.toString(HEIGHT));
            // axios (inside the SDK) honours HTTP(S)_PROXY, which would send these loopback requests to a proxy.
            ProcessResult script = run(List.of("node", "imagekit-v1.mjs"), nodeDir, e -> {
                PROXY_VARIABLES.forEach(e::remove);
                e.put("NO_PROXY", "*");
                e.put("no_proxy", "*");
                e.putAll(env);
            }, SCRIPT_TIMEOUT, "imagekit-v1");
            assertThat(script.exitCode()).as("imagekit-v1.mjs failed:%n%s", script.describe()).isZero();

            JsonNode out = Json.parse(lastLine(script.stdout()));
            assertThat(out.path("sdkVersion").asText()).as("installed SDK").isEqualTo(pinnedSdkVersion(nodeDir));

            // a. client-side upload with the SDK's getAuthenticationParameters(), then its replay.
            JsonNode client = out.path("clientSide").path("response");
            assertDelivered(server, client, png);
            JsonNode clientDetails = assertDetails(server, client, png, "/sdk/client/");
            assertThat(strings(clientDetails.get("tags"))).containsExactly("c1", "c2");
            assertThat(out.path("clientSide").path("requestId").asText()).isNotBlank();
            assertThat(out.path("clientSideReplay").path("status").asInt()).isEqualTo(400);
            assertThat(out.path("clientSideReplay").path("response").path("code").asText()).isEqualTo("TOKEN_REUSED");

            // b. imagekit.upload with a Buffer, tags, folder and responseFields.
            JsonNode sdk = out.path("serverSide").path("response");
            assertThat(out.path("serverSide").path("statusCode").asInt()).isEqualTo(200);
            assertThat(strings(sdk.get("tags"))).containsExactly("a", "b");
            assertThat(sdk.get("isPrivateFile").isBoolean()).isTrue();
            assertThat(sdk.get("AITags").isNull()).isTrue();
            assertDelivered(server, sdk, png);
            JsonNode sdkDetails = assertDetails(server, sdk, png, "/sdk/");
            assertThat(strings(sdkDetails.get("tags"))).containsExactly("a", "b");
            assertThat(sdkDetails.get("isPrivateFile").asBoolean()).isFalse();
            assertThat(sdkDetails.get("name").asText()).matches("sdk_[A-Za-z0-9_-]{9}\\.png");

            // c. file as a base64 string (exact name), and as a URL the server downloads.
            JsonNode b64 = out.path("base64").path("response");
            assertThat(b64.get("filePath").asText()).isEqualTo("/sdk/sdk-base64.png");
            assertDelivered(server, b64, png);
            assertThat(assertDetails(server, b64, png, "/sdk/").get("tags").isNull()).isTrue();
            JsonNode fromUrl = out.path("url").path("response");
            assertDelivered(server, fromUrl, png);
            assertDetails(server, fromUrl, png, "/sdk/");

            // Four distinct files were created.
            assertThat(List.of(client, sdk, b64, fromUrl)).extracting(r -> r.get("fileId").asText()).doesNotHaveDuplicates();

            // A server error reaches the SDK's caller with the server's status and JSON body.
            assertThat(out.path("wrongKey").path("statusCode").asInt()).isEqualTo(403);
            assertThat(out.path("wrongKey").path("response").path("code").asText()).isEqualTo("KEY_UNKNOWN");
        }
    }

    /** The url the upload response gave serves exactly the uploaded bytes. */
    private static void assertDelivered(TestServer server, JsonNode upload, byte[] expected) {
        assertThat(upload.isObject()).as("upload response %s", upload).isTrue();
        String url = upload.get("url").asText();
        assertThat(url).startsWith(server.urlEndpoint() + "/");
        HttpResponse<byte[]> r = server.getBytes(url);
        assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).as("GET %s", url).contains("image/png");
        assertThat(r.body()).as("bytes served at %s", url).isEqualTo(expected);
    }

    /** The media API's view of the uploaded file agrees with the upload response and lies under {@code folder}. */
    private static JsonNode assertDetails(TestServer server, JsonNode upload, byte[] expected, String folder) throws Exception {
        String fileId = upload.get("fileId").asText();
        HttpResponse<String> r = server.get("/v1/files/" + fileId + "/details", "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = Json.parse(r.body());
        assertThat(d.get("fileId").asText()).isEqualTo(fileId);
        assertThat(d.get("type").asText()).isEqualTo("file");
        assertThat(d.get("filePath").asText()).isEqualTo(upload.get("filePath").asText()).startsWith(folder)
                .isEqualTo(folder + d.get("name").asText());
        assertThat(d.get("name").asText()).isEqualTo(upload.get("name").asText());
        assertThat(d.get("url").asText()).isEqualTo(upload.get("url").asText());
        assertThat(d.get("versionInfo")).isEqualTo(upload.get("versionInfo"));
        assertThat(d.get("fileType").asText()).isEqualTo("image");
        assertThat(d.get("mime").asText()).isEqualTo("image/png");
        assertThat(d.get("size").asLong()).isEqualTo(expected.length);
        assertThat(d.get("width").asInt()).isEqualTo(WIDTH);
        assertThat(d.get("height").asInt()).isEqualTo(HEIGHT);
        return d;
    }

    private static List<String> strings(JsonNode array) {
        assertThat(array).as("a JSON array").isNotNull();
        assertThat(array.isArray()).as("%s is a JSON array", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Surefire runs with the module folder as working directory; an IDE may use the repository root. */
    private static Path nodeDir() {
        for (Path candidate : List.of(Path.of("src/test/node"), Path.of("server/src/test/node"))) {
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new AssertionError("src/test/node/package.json not found from working directory " + Path.of("").toAbsolutePath());
    }

    /** {@code npm ci} from the committed lock file, unless node_modules already holds the pinned SDK. */
    private void installDependencies(Path nodeDir) throws IOException {
        String pinned = pinnedSdkVersion(nodeDir);
        Path installed = nodeDir.resolve("node_modules/imagekit/package.json");
        if (Files.isRegularFile(installed) && pinned.equals(Json.parse(Files.readString(installed)).path("version").asText())) {
            return;
        }
        System.err.println("ImageKitNodeSdkTest: installing imagekit@" + pinned + " with npm ci in " + nodeDir);
        ProcessResult ci = run(List.of("npm", "ci", "--no-audit", "--no-fund"), nodeDir, e -> { }, NPM_CI_TIMEOUT, "npm-ci");
        assertThat(ci.exitCode()).as("npm ci failed in %s:%n%s", nodeDir, ci.describe()).isZero();
        assertThat(installed).as("npm ci did not install imagekit").isRegularFile();
    }

    private static String pinnedSdkVersion(Path nodeDir) throws IOException {
        String version = Json.parse(Files.readString(nodeDir.resolve("package.json"))).path("dependencies").path("imagekit").asText();
        assertThat(version).as("package.json pins an exact imagekit version").matches("\\d+\\.\\d+\\.\\d+");
        return version;
    }

    private static int majorVersion(String nodeVersion) {
        String v = nodeVersion.strip();
        try {
            return Integer.parseInt(v.substring(v.startsWith("v") ? 1 : 0, v.indexOf('.')));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("the script's stdout").isNotEmpty();
        return lines.getLast();
    }

    record ProcessResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {
        boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        String describe() {
            return "$ " + String.join(" ", command) + (timedOut ? "  (TIMED OUT, killed)" : "  (exit " + exitCode + ")")
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /**
     * Runs {@code command} in {@code dir} with the JVM's environment as {@code environment} adjusts it, output
     * captured to files in the test's temporary folder (no pipe can fill up), killed with its children after
     * {@code timeout}. A command that cannot start at all gives exit code -1.
     */
    private ProcessResult run(List<String> command, Path dir, Consumer<Map<String, String>> environment, Duration timeout,
            String label) throws IOException {
        Path stdout = tmp.resolve(label + ".out");
        Path stderr = tmp.resolve(label + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        environment.accept(pb.environment());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ProcessResult(command, -1, "", e.toString(), false);
        }
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new ProcessResult(command, finished ? p.exitValue() : -1,
                Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8), !finished);
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}

package dev.upfront.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImageKit's official Node SDK (npm {@code imagekit}, the exact version pinned in {@code src/test/node/package.json}
 * and its lock file) against the real server: {@code getAuthenticationParameters()} feeding a browser-style
 * client-side upload, and {@code imagekit.upload(...)} with a Buffer, a base64 string and a URL. The script
 * {@code src/test/node/imagekit-v1.mjs} checks the responses as the SDK's caller sees them; this class then checks
 * the library state over HTTP: the bytes behind every returned url and the file details. Node.js, npm and the
 * installation come from {@link NodeProject}.
 */
class ImageKitNodeSdkTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    private static final int WIDTH = 37;
    private static final int HEIGHT = 23;

    @TempDir
    Path tmp;

    @Test
    void officialNodeSdkUploadsAndItsAuthParametersAreAccepted() throws Exception {
        NodeProject project = NodeProject.prepare(tmp);

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
            // axios (inside the SDK) honours HTTP(S)_PROXY; NodeProject.node removes them for these loopback requests.
            NodeProject.ProcessResult script = project.node("imagekit-v1.mjs", env, SCRIPT_TIMEOUT);
            assertThat(script.exitCode()).as("imagekit-v1.mjs failed:%n%s", script.describe()).isZero();

            JsonNode out = Json.parse(script.lastLine());
            assertThat(out.path("sdkVersion").asText()).as("installed SDK").isEqualTo(project.pinnedVersion("imagekit"));

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
}

package dev.upfront.webhooks;

import static dev.upfront.testing.WebhookReceiver.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.TestServer;
import dev.upfront.testing.WebhookReceiver;
import dev.upfront.testing.WebhookReceiver.Received;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end: a real server posts to a loopback receiver (private targets allowed, as only tests should).
 * Signatures are checked by ImageKit's own Node SDKs, the envelope and payloads field by field.
 */
class WebhookDeliveryTest {
    static final String SECRET = "whsec_dGVzdC13ZWJob29rLXNlY3JldC0wMDAxLXh5eg==";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    static Map<String, String> env(String accountUrls) {
        Map<String, String> env = new HashMap<>();
        env.put("UPFRONT_WEBHOOK_URL", accountUrls);
        env.put("UPFRONT_WEBHOOK_SECRET", SECRET);
        env.put("UPFRONT_FETCH_ALLOW_PRIVATE", "true");
        env.put("UPFRONT_WEBHOOK_RETRY_DELAY", "1");
        return env;
    }

    private static HttpResponse<String> upload(TestServer server, String fileName, String... fields) {
        Multipart form = new Multipart().field("fileName", fileName).field("useUniqueFileName", "false");
        for (int i = 0; i < fields.length; i += 2) {
            form.field(fields[i], fields[i + 1]);
        }
        form.file("file", fileName, "image/png", Images.png(64, 48));
        HttpResponse<String> r = server.upload(form, "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void fileCreatedVerifiesWithBothNodeSdksAndCarriesTheUploadsRequestId() throws Exception {
        NodeProject project = NodeProject.prepare(tmp);
        try (WebhookReceiver receiver = WebhookReceiver.start();
             TestServer server = TestServer.start(env(receiver.url("/account")))) {
            HttpResponse<String> uploaded = upload(server, "signed.png");
            String requestId = uploaded.headers().firstValue("x-request-id").orElseThrow();
            JsonNode file = Json.parse(uploaded.body());

            Received got = receiver.await(ofType("file.created"), 1, WAIT).getFirst();
            assertThat(got.path()).isEqualTo("/account");
            assertThat(got.header("content-type")).startsWith("application/json");
            JsonNode event = Json.parse(got.body());
            assertThat(event.path("id").asText()).isEqualTo(got.header("webhook-id")).isNotEmpty();
            assertThat(event.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(event.path("request").path("x_request_id").asText()).isEqualTo(requestId);
            assertThat(event.path("data").path("fileId").asText()).isEqualTo(file.path("fileId").asText());
            assertThat(event.path("data").path("versionInfo").path("id").asText())
                    .isEqualTo(file.path("versionInfo").path("id").asText());
            assertThat(event.path("data").path("filePath").asText()).isEqualTo("/signed.png");
            assertThat(got.header("webhook-signature")).startsWith("v1,");
            assertThat(got.header("x-ik-signature")).matches("t=\\d{13},v1=[0-9a-f]{64}");

            Path deliveries = tmp.resolve("deliveries.json");
            Files.writeString(deliveries, Json.write(List.of(Map.of("body", got.body(), "headers", got.headers()))));
            NodeProject.ProcessResult script = project.node("webhook-verify.mjs",
                    Map.of("UPFRONT_WEBHOOK_SECRET", SECRET, "UPFRONT_DELIVERIES", deliveries.toString()), SCRIPT_TIMEOUT);
            assertThat(script.exitCode()).as("webhook-verify.mjs failed:%n%s", script.describe()).isZero();
            JsonNode out = Json.parse(script.lastLine());
            assertThat(out.path("v7Version").asText()).isEqualTo(project.pinnedVersion("@imagekit/nodejs"));
            assertThat(out.path("v6Version").asText()).isEqualTo(project.pinnedVersion("imagekit"));
            JsonNode result = out.path("results").get(0);
            assertThat(result.path("v7").path("ok").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.path("v7").path("type").asText()).isEqualTo("file.created");
            assertThat(result.path("v6").path("ok").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.path("v6").path("id").asText()).isEqualTo(event.path("id").asText());
            assertThat(result.path("v7Tampered").path("ok").asBoolean()).as("a changed body must not verify").isFalse();
            assertThat(result.path("v6Tampered").path("error").asText()).isEqualTo("Incorrect signature");
            assertThat(result.path("v7WrongKey").path("ok").asBoolean()).as("another secret must not verify").isFalse();
        }
    }

    @Test
    void aReceiverAnswering500GetsARetryWithTheSameWebhookId() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(500);
             TestServer server = TestServer.start(env(receiver.url("/hooks")))) {
            upload(server, "retried.png");
            List<Received> attempts = receiver.await(ofType("file.created"), 2, WAIT);
            assertThat(attempts.get(0).answered()).isEqualTo(500);
            assertThat(attempts.get(1).answered()).isEqualTo(200);
            assertThat(attempts.get(1).header("webhook-id")).isEqualTo(attempts.get(0).header("webhook-id"));
            assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());

            String metrics = awaitMetric(server, "upfront_webhook_deliveries_total{result=\"delivered\"}");
            assertThat(metrics).contains("upfront_webhook_deliveries_total{result=\"retry\"} 1.0");
        }
    }

    @Test
    void aSuccessIsItsStatusWhateverTheBodyHolds() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start().answerWithBody(5 * 1024 * 1024);
             TestServer server = TestServer.start(env(receiver.url("/chatty")))) {
            upload(server, "chatty.png");
            receiver.await(ofType("file.created"), 1, WAIT);
            String metrics = awaitMetric(server, "upfront_webhook_deliveries_total{result=\"delivered\"}");
            assertThat(metrics).doesNotContain("upfront_webhook_deliveries_total{result=\"retry\"}");
            assertThat(receiver.received()).filteredOn(r -> r.body().contains("chatty.png")).hasSize(1);
        }
    }

    /**
     * Endpoints that uploads name in {@code webhookUrl} (any holder of a client-side credential may) can hang; the
     * account's endpoint is still served at once, from slots of its own. More hanging deliveries than a lane has
     * slots are made first.
     */
    @Test
    void hangingUploadEndpointsDoNotDelayTheAccountsEndpoint() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start().hangOn("/hang");
             TestServer server = TestServer.start(env(receiver.url("/account")))) {
            int hanging = 20;
            for (int i = 0; i < hanging; i++) {
                upload(server, "hang-" + i + ".png", "webhookUrl", receiver.url("/hang/" + i));
            }
            receiver.await(r -> r.path().startsWith("/hang/"), 16, WAIT);
            upload(server, "plain.png");
            receiver.await(r -> r.path().equals("/account") && r.body().contains("plain.png"), 1, WAIT);
            // Delivered before any hanging delivery gave up (each holds its slot for 30 s, then is retried).
            assertThat(server.get("/metrics").body()).as("no hanging delivery had ended yet")
                    .doesNotContain("upfront_webhook_deliveries_total{result=\"retry\"}");
        }
    }

    @Test
    void gone410StopsTheDelivery() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(410);
             TestServer server = TestServer.start(env(receiver.url("/gone")))) {
            upload(server, "gone.png");
            receiver.await(ofType("file.created"), 1, WAIT);
            awaitMetric(server, "upfront_webhook_deliveries_total{result=\"gone\"}");
            // The retry delay is 1 s: a retry would have come by now. A second event still shows the sender alive.
            Thread.sleep(2_500);
            upload(server, "after-gone.png");
            receiver.await(r -> r.body().contains("after-gone.png"), 1, WAIT);
            assertThat(receiver.received().stream().filter(r -> r.body().contains("/gone.png")).count()).isEqualTo(1);
        }
    }

    @Test
    void targetsObeyTheUrlFetchAddressRules() throws Exception {
        Map<String, String> env = env("");
        env.put("UPFRONT_FETCH_ALLOW_PRIVATE", "false");
        try (WebhookReceiver receiver = WebhookReceiver.start();
             TestServer server = TestServer.start(env)) {
            upload(server, "refused.png", "webhookUrl", receiver.url("/loopback"));
            awaitMetric(server, "upfront_webhook_deliveries_total{result=\"retry\"}");
            assertThat(receiver.received()).as("a loopback target is refused without UPFRONT_FETCH_ALLOW_PRIVATE").isEmpty();
        }
    }

    @Test
    void anUploadsWebhookUrlReceivesItsOwnEventsWithItsTransformations() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start();
             TestServer server = TestServer.start(env(""))) {
            String hook = receiver.url("/mine?token=abc");
            HttpResponse<String> r = upload(server, "own.png", "webhookUrl", hook,
                    "transformation", "{\"pre\":\"w-32\",\"post\":[{\"type\":\"transformation\",\"value\":\"w-16\"}]}");
            String requestId = r.headers().firstValue("x-request-id").orElseThrow();

            JsonNode pre = Json.parse(receiver.await(ofType("upload.pre-transform.success"), 1, WAIT).getFirst().body());
            assertThat(pre.path("request").path("x_request_id").asText()).isEqualTo(requestId);
            assertThat(pre.path("request").path("transformation").asText()).isEqualTo("w-32");
            assertThat(pre.path("data").path("width").asInt()).isEqualTo(32);
            assertThat(pre.path("data").path("fileId").asText()).isEqualTo(Json.parse(r.body()).path("fileId").asText());

            JsonNode post = Json.parse(receiver.await(ofType("upload.post-transform.success"), 1, WAIT).getFirst().body());
            assertThat(post.path("request").path("x_request_id").asText()).as("kept by the background render").isEqualTo(requestId);
            assertThat(post.path("request").path("transformation").path("type").asText()).isEqualTo("transformation");
            assertThat(post.path("request").path("transformation").path("value").asText()).isEqualTo("w-16");
            String renditionUrl = post.path("data").path("url").asText();
            assertThat(renditionUrl).endsWith("/own.png?tr=w-16");
            assertThat(Images.decode(server.getBytes(renditionUrl).body()).size()).isEqualTo("16x12");

            Received created = receiver.await(ofType("file.created"), 1, WAIT).getFirst();
            assertThat(created.path()).isEqualTo("/mine");

            // Without webhookUrl and without account endpoints, an upload is announced nowhere.
            upload(server, "quiet.png");
            upload(server, "loud.png", "webhookUrl", hook);
            receiver.await(r2 -> r2.body().contains("loud.png"), 1, WAIT);
            assertThat(receiver.received()).noneMatch(r2 -> r2.body().contains("quiet.png"));
        }
    }

    @Test
    void mediaApiChangesAreAnnounced() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start();
             TestServer server = TestServer.start(env(receiver.url("/media-events")))) {
            String first = Json.parse(upload(server, "changing.png").body()).path("versionInfo").path("id").asText();
            JsonNode second = Json.parse(upload(server, "changing.png").body());
            String fileId = second.path("fileId").asText();
            String secondVersion = second.path("versionInfo").path("id").asText();

            JsonNode versionCreated = event(receiver, "file-version.created", 1);
            assertThat(versionCreated.path("data").path("versionInfo").path("id").asText()).isEqualTo(secondVersion);

            send(server, "PATCH", "/v1/files/" + fileId + "/details", "{\"tags\":[\"t1\"]}");
            JsonNode updated = event(receiver, "file.updated", 1);
            assertThat(updated.path("data").path("tags").get(0).asText()).isEqualTo("t1");

            send(server, "PUT", "/v1/files/" + fileId + "/versions/" + first + "/restore", null);
            JsonNode restored = event(receiver, "file-version.created", 2);
            assertThat(restored.path("data").path("versionInfo").path("id").asText()).isEqualTo(first);

            send(server, "DELETE", "/v1/files/" + fileId + "/versions/" + secondVersion, null);
            JsonNode versionDeleted = event(receiver, "file-version.deleted", 1);
            assertThat(versionDeleted.path("data").path("fileId").asText()).isEqualTo(fileId);
            assertThat(versionDeleted.path("data").path("versionId").asText()).isEqualTo(secondVersion);

            send(server, "DELETE", "/v1/files/" + fileId, null);
            assertThat(event(receiver, "file.deleted", 1).path("data").path("fileId").asText()).isEqualTo(fileId);
        }
    }

    @Test
    void imagekitNodeSdksSendWebhookUrlThroughTheirOwnUpload() throws Exception {
        NodeProject project = NodeProject.prepare(tmp);
        Path sample = tmp.resolve("sample.png");
        Files.write(sample, Images.png(40, 30));
        try (WebhookReceiver receiver = WebhookReceiver.start();
             TestServer server = TestServer.start(env(""))) {
            NodeProject.ProcessResult script = project.node("webhook-upload.mjs", Map.of(
                    "UPFRONT_URL", server.baseUrl(),
                    "UPFRONT_PUBLIC_KEY", TestServer.PUBLIC_KEY,
                    "UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY,
                    "UPFRONT_HOOK_URL", receiver.url("/sdk-hook"),
                    "UPFRONT_SAMPLE_FILE", sample.toAbsolutePath().toString()), SCRIPT_TIMEOUT);
            assertThat(script.exitCode()).as("webhook-upload.mjs failed:%n%s", script.describe()).isZero();
            JsonNode out = Json.parse(script.lastLine());
            assertThat(out.path("v6Version").asText()).isEqualTo(project.pinnedVersion("imagekit"));
            assertThat(out.path("v7Version").asText()).isEqualTo(project.pinnedVersion("@imagekit/nodejs"));
            for (String sdk : List.of("v6", "v7")) {
                JsonNode result = out.path(sdk);
                assertThat(result.path("status").asInt()).as(sdk + ": " + result).isEqualTo(200);
                String fileId = result.path("fileId").asText();
                receiver.await(r -> r.path().equals("/sdk-hook") && r.body().contains("\"fileId\":\"" + fileId + "\""), 1, WAIT);
            }
        }
    }

    /** The {@code n}th event of that type (1-based), parsed. */
    private static JsonNode event(WebhookReceiver receiver, String type, int n) throws Exception {
        return Json.parse(receiver.await(ofType(type), n, WAIT).get(n - 1).body());
    }

    private static void send(TestServer server, String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("Authorization", TestServer.basic());
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> r = server.send(b.build());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 204);
    }

    /** Polls {@code /metrics} (bounded) until it has {@code line}; returns the text. */
    static String awaitMetric(TestServer server, String line) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = server.get("/metrics").body();
            if (text.contains(line)) {
                return text;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/metrics never showed " + line + ":\n" + text);
    }
}

package dev.upfront.webhooks;

import static dev.upfront.testing.WebhookReceiver.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.TestServer;
import dev.upfront.testing.WebhookReceiver;
import dev.upfront.testing.WebhookReceiver.Received;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A committed upload's event survives a crash at any moment after the commit: concurrent uploads (committed
 * together by the group commit) answer 200 while the webhook receiver is down, the server process is SIGKILLed
 * right after the last answer, the receiver comes up, the server starts again on the same database, and every
 * upload's {@code file.created} arrives exactly once, carrying that upload's own {@code x-request-id}.
 *
 * <p>On the embedded default, SQLite, whose file the killed process wrote: the crash is its own. (PostgreSQL
 * outlives a killed instance; that an event's row commits in its change's transaction there is shown by
 * {@code OutboxEventLogTest}.) The kill usually lands while the sender is trying the refused receiver, holding its
 * claims: the restarted process frees them at start (its database is its own), so the events go out at once.
 */
class WebhookCrashTest {
    private static final int UPLOADS = 6;
    /** Starting again and the first attempts; far below the 90 s lease of a claim the killed sender held. */
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    @Test
    void aKillRightAfterTheAnswersStillDeliversEveryEventExactlyOnce() throws Exception {
        int port = WebhookReceiver.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("UPFRONT_WEBHOOK_URL", WebhookReceiver.url(port, "/crash"));
        env.put("UPFRONT_FETCH_ALLOW_PRIVATE", "true");
        env.put("UPFRONT_WEBHOOK_RETRY_DELAY", "1");
        Path log = ServerProcess.targetDir().resolve("webhook-crash-server.log");

        Map<String, String> requestIds = new HashMap<>(); // file name -> the x-request-id its upload was answered with
        try (ServerProcess server = ServerProcess.start(dir, env, List.of(), log)) {
            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                answers.add(upload(client, server, "crash-" + i + ".png"));
            }
            for (int i = 0; i < UPLOADS; i++) {
                HttpResponse<String> r = answers.get(i).join();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                requestIds.put("crash-" + i + ".png", r.headers().firstValue("x-request-id").orElseThrow());
            }
            server.kill();
        }
        assertThat(requestIds.values()).doesNotHaveDuplicates();

        try (WebhookReceiver receiver = WebhookReceiver.start(port);
             ServerProcess again = ServerProcess.start(dir, env, List.of(), log)) {
            List<Received> events = receiver.await(ofType("file.created"), UPLOADS, WAIT);
            // A second delivery of any of them would come a retry delay (1 s) after an attempt: none may come.
            Thread.sleep(4_000);
            assertThat(receiver.received()).as("each event once").hasSize(UPLOADS);
            assertThat(events).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates();
            Map<String, String> delivered = new HashMap<>();
            for (Received r : events) {
                assertThat(r.answered()).isEqualTo(200);
                JsonNode event = Json.parse(r.body());
                delivered.put(event.path("data").path("name").asText(), event.path("request").path("x_request_id").asText());
            }
            assertThat(delivered).as("every upload's event, with that upload's request id").isEqualTo(requestIds);
            assertThat(again.isAlive()).isTrue();
        }
    }

    private static CompletableFuture<HttpResponse<String>> upload(HttpClient client, ServerProcess server, String name) {
        Multipart form = new Multipart().field("fileName", name).field("useUniqueFileName", "false")
                .file("file", name, "image/png", Images.png(16, 16));
        return client.sendAsync(HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .header("Authorization", TestServer.basic()).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }
}

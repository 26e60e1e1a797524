package dev.upfront.webhooks;

import static dev.upfront.testing.WebhookReceiver.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.TestServer;
import dev.upfront.testing.WebhookReceiver;
import dev.upfront.testing.WebhookReceiver.Received;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox is durable: the real server, as a process, fails its first attempt (the receiver answers 500), is
 * stopped before the retry and started again on the same data folder; the restarted server delivers the event
 * exactly once more, with the same webhook-id, signed with the secret the first start generated and kept.
 */
class WebhookRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern SECRET_LINE = Pattern.compile("webhook secret: (whsec_\\S+)");

    @TempDir
    Path dir;

    @Test
    void aRestartBetweenAttemptsStillDeliversTheEventExactlyOnce() throws Exception {
        Path log = ServerProcess.targetDir().resolve("webhook-restart-server.log");
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(500)) {
            Map<String, String> env = Map.of("UPFRONT_WEBHOOK_URL", receiver.url("/durable"),
                    "UPFRONT_FETCH_ALLOW_PRIVATE", "true", "UPFRONT_WEBHOOK_RETRY_DELAY", "5");
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            try (ServerProcess server = ServerProcess.start(dir, env, List.of(), log)) {
                upload(server);
                receiver.await(ofType("file.created"), 1, WAIT);
                awaitMetric(server, "upfront_webhook_deliveries_total{result=\"retry\"} 1.0");
                server.stop();
            }
            String firstRun = Files.readString(log).substring((int) logStart);
            Matcher m = SECRET_LINE.matcher(firstRun);
            assertThat(m.find()).as("the first start prints the secret it generated:%n%s", firstRun).isTrue();
            String secret = m.group(1);

            long secondStart = Files.size(log);
            try (ServerProcess again = ServerProcess.start(dir, env, List.of(), log)) {
                List<Received> attempts = receiver.await(ofType("file.created"), 2, WAIT);
                // Another retry would come 5 s after a failure; the event was acknowledged, so none may come.
                Thread.sleep(6_000);
                assertThat(receiver.received()).hasSize(2);
                assertThat(attempts.get(0).answered()).isEqualTo(500);
                assertThat(attempts.get(1).answered()).isEqualTo(200);
                assertThat(attempts.get(1).header("webhook-id")).isEqualTo(attempts.get(0).header("webhook-id"));
                for (Received r : attempts) {
                    assertThat(r.header("x-ik-signature")).isEqualTo(legacySignature(r, secret));
                }
                assertThat(Files.readString(log).substring((int) secondStart)).doesNotContain("webhook secret:");
            }
        }
    }

    private static void upload(ServerProcess server) throws Exception {
        Multipart form = new Multipart().field("fileName", "durable.png").file("file", "durable.png", "image/png", Images.png(32, 32));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .header("Authorization", TestServer.basic()).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void awaitMetric(ServerProcess server, String line) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = client.send(HttpRequest.newBuilder(server.uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (text.contains(line)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/metrics never showed " + line + ":\n" + text);
    }

    /** {@code t=<ms>,v1=<hex>} as imagekit 6's verifyWebhookEvent recomputes it (checked with the SDK itself elsewhere). */
    private static String legacySignature(Received r, String secret) throws Exception {
        String t = r.header("x-ik-signature").replaceAll("^t=(\\d+),.*$", "$1");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
    }
}

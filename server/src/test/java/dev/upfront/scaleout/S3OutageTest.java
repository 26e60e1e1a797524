package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.json.Json;
import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.RandomContent;
import dev.upfront.testing.S3;
import dev.upfront.testing.StreamedMultipart;
import dev.upfront.testing.TestServer;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The S3 server stopped under a running server, first in the middle of a streamed 300 MB upload: it and the
 * uploads sent during the outage (one PutObject, or multipart) answer 503 {@code STORAGE_UNAVAILABLE} quickly and
 * record nothing, no object becomes visible, {@code /readyz} says 503 within its 2 s while {@code /healthz} stays
 * 200; once S3 is back on the same port, the same server stores again without a restart, and the janitor (a 3 s
 * lease here) removes the multipart upload that could not be aborted during the outage.
 */
class S3OutageTest {
    @Test
    void anOutageIsA503AndRecoveryNeedsNoRestart(@TempDir Path s3Store) throws Exception {
        try (S3 s3 = S3.start(s3Store, 0)) {
            String bucket = s3.freshBucket();
            Map<String, String> env = new HashMap<>(s3.env(bucket));
            env.put("UPFRONT_MAX_FILE_SIZE", "400MB");
            env.put("UPFRONT_BLOB_LEASE", "3");
            env.put("UPFRONT_JANITOR_INTERVAL", "1");
            try (TestServer server = TestServer.start(env); S3Client client = s3.client()) {
                assertThat(upload(server, "before.txt", "before".getBytes()).statusCode()).isEqualTo(200);
                assertThat(Readyz.ask(server).statusCode()).isEqualTo(200);

                // 300 MB streamed from a generator (never held in memory): 50 MiB go through, then S3 stops.
                long size = 300L * 1024 * 1024;
                PacedBody big = new PacedBody(new RandomContent(3, size), 50L * 1024 * 1024, 0);
                StreamedMultipart form = new StreamedMultipart(Map.of("fileName", "big.bin", "useUniqueFileName", "false"),
                        "big.bin", big, size);
                CompletableFuture<HttpResponse<String>> bigUpload = HttpClient.newHttpClient().sendAsync(
                        HttpRequest.newBuilder(server.uri("/api/v1/files/upload")).timeout(Duration.ofMinutes(2))
                                .header("Authorization", TestServer.basic()).header("Content-Type", form.contentType())
                                .POST(form.publisher()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(big.reached(60)).isTrue();
                awaitMultipartUpload(client, bucket);
                s3.stop();
                big.release();
                HttpResponse<String> cut = bigUpload.get(120, TimeUnit.SECONDS);
                assertThat(cut.statusCode()).as(cut.body()).isEqualTo(503);
                assertThat(Json.parse(cut.body()).get("code").asText()).isEqualTo("STORAGE_UNAVAILABLE");

                long started = System.nanoTime();
                for (byte[] body : List.of("during".getBytes(), new byte[12 * 1024 * 1024])) {
                    HttpResponse<String> refused = upload(server, "during-" + body.length + ".bin", body);
                    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                    assertThat(Json.parse(refused.body()).get("code").asText()).isEqualTo("STORAGE_UNAVAILABLE");
                    assertThat(refused.body()).doesNotContain(S3.SECRET_KEY);
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused without hanging").isLessThan(Duration.ofSeconds(30));
                long askedAt = System.nanoTime();
                HttpResponse<String> notReady = Readyz.ask(server);
                assertThat(notReady.statusCode()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - askedAt)).isLessThan(Duration.ofSeconds(3));
                assertThat(server.get("/healthz").statusCode()).isEqualTo(200);

                s3.start();
                Readyz.await(server, "S3");
                assertThat(upload(server, "after.txt", "after".getBytes()).statusCode()).isEqualTo(200);
                List<String> names = new ArrayList<>();
                Json.parse(server.get("/v1/files", "Authorization", TestServer.basic()).body()).forEach(f -> names.add(f.get("name").asText()));
                assertThat(names).as("nothing of the refused uploads").containsExactlyInAnyOrder("before.txt", "after.txt");
                assertThat(client.listObjectsV2(r -> r.bucket(bucket).prefix("blobs/")).contents())
                        .as("no object of the refused uploads").hasSize(2);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while ((!uploads(client, bucket).isEmpty() || DataDirCheck.pendingBlobs(server.dataDir()) > 0) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(uploads(client, bucket)).as("the janitor aborted what the outage left").isEmpty();
                assertThat(DataDirCheck.pendingBlobs(server.dataDir())).as("refused uploads discarded: no entry left").isZero();
            }
        }
    }

    private static void awaitMultipartUpload(S3Client client, String bucket) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (uploads(client, bucket).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(uploads(client, bucket)).as("the big upload streams into a multipart upload").hasSize(1);
    }

    private static List<MultipartUpload> uploads(S3Client client, String bucket) {
        return client.listMultipartUploads(r -> r.bucket(bucket)).uploads();
    }

    private static HttpResponse<String> upload(TestServer server, String name, byte[] body) {
        return server.upload(new Multipart().field("fileName", name).field("useUniqueFileName", "false")
                .file("file", name, "application/octet-stream", body), "Authorization", TestServer.basic());
    }
}

package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.json.Json;
import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.S3;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 server stopped under a running server: uploads (one PutObject, or multipart) answer 503
 * {@code STORAGE_UNAVAILABLE} quickly and record nothing, {@code /readyz} says 503 within its 2 s while
 * {@code /healthz} stays 200; once S3 is back on the same port, the same server stores again without a restart.
 */
class S3OutageTest {
    @Test
    void anOutageIsA503AndRecoveryNeedsNoRestart() throws Exception {
        try (S3 s3 = S3.start(Files.createTempDirectory("upfront-s3-outage-"), 0)) {
            String bucket = s3.freshBucket();
            try (TestServer server = TestServer.start(s3.env(bucket))) {
                assertThat(upload(server, "before.txt", "before".getBytes()).statusCode()).isEqualTo(200);
                assertThat(Readyz.ask(server).statusCode()).isEqualTo(200);

                s3.stop();
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
                try (S3Client client = s3.client()) {
                    assertThat(client.listObjectsV2(r -> r.bucket(bucket).prefix("blobs/")).contents()).hasSize(2);
                }
                assertThat(DataDirCheck.pendingBlobs(server.dataDir())).as("refused uploads discarded: no entry left").isZero();
            }
        }
    }

    private static HttpResponse<String> upload(TestServer server, String name, byte[] body) {
        return server.upload(new Multipart().field("fileName", name).field("useUniqueFileName", "false")
                .file("file", name, "application/octet-stream", body), "Authorization", TestServer.basic());
    }
}

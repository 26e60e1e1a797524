package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.json.Json;
import dev.upfront.testing.Postgres;
import dev.upfront.testing.RandomContent;
import dev.upfront.testing.S3;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.StreamedMultipart;
import dev.upfront.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * SIGKILL of one instance in the middle of a streamed upload while the other has its own upload in flight, on one
 * PostgreSQL and one bucket with a lease of 3 s and a janitor every second: the janitor (on the survivor) removes
 * the dead instance's multipart upload and its pending entry, never the survivor's upload, which completes and is
 * served whole; neither upload is ever listed or served while it is incomplete.
 */
class CrashCleanUpTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final long MIB = 1024 * 1024;

    @Test
    void theJanitorRemovesTheKilledInstancesOrphanButNotTheOthersUploadInFlight() throws Exception {
        S3 s3 = S3.shared();
        String bucket = s3.freshBucket();
        String database = Postgres.freshDatabaseUrl();
        Map<String, String> env = s3.distributedEnv(bucket, database);
        env.put("UPFRONT_BLOB_LEASE", "3");
        env.put("UPFRONT_JANITOR_INTERVAL", "1");
        env.put("UPFRONT_MAX_FILE_SIZE", "100MB");
        List<ServerProcess> pair = TwoInstancesTest.pair(env, "crash");
        ServerProcess victim = pair.get(0);
        ServerProcess survivor = pair.get(1);
        // Both stay alive (a trickle) until the test says otherwise: a stalled upload would look dead after the lease.
        PacedBody dying = new PacedBody(new RandomContent(1, 40 * MIB), 12 * MIB, 32 * 1024);
        PacedBody trickling = new PacedBody(new RandomContent(2, 24 * MIB), 10 * MIB, 32 * 1024);
        try (S3Client client = s3.client()) {
            // The victim's upload: past its first 8 MiB part (a multipart upload exists), then slow.
            upload(victim, "crash-a.bin", dying, 40 * MIB);
            assertThat(dying.reached(60)).isTrue();
            String orphan = awaitUploads(client, bucket, 1).getFirst();

            // The survivor's upload: past its first part too, then alive but slow, across the janitor's runs.
            CompletableFuture<HttpResponse<String>> live = upload(survivor, "crash-b.bin", trickling, 24 * MIB);
            assertThat(trickling.reached(60)).isTrue();
            List<String> both = awaitUploads(client, bucket, 2);
            String inFlight = both.stream().filter(k -> !k.equals(orphan)).findFirst().orElseThrow();

            victim.kill();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<String> uploads;
            do {
                assertNothingPartialOn(survivor);
                uploads = uploadKeys(client, bucket);
                assertThat(uploads).as("the survivor's upload in flight is never touched").contains(inFlight);
                Thread.sleep(200);
            } while (uploads.contains(orphan) && System.nanoTime() < deadline);
            assertThat(uploads).as("the janitor aborted the killed instance's multipart upload").doesNotContain(orphan);
            assertThat(objectExists(client, bucket, orphan)).isFalse();
            assertThat(pendingKeys(database)).as("its pending entry went with it").doesNotContain(blobKey(orphan)).contains(blobKey(inFlight));

            trickling.release();
            HttpResponse<String> done = live.get(120, TimeUnit.SECONDS);
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            assertThat(names(survivor)).containsExactly("crash-b.bin");
            assertThat(md5(survivor, "/media/crash-b.bin")).isEqualTo(RandomContent.md5Of(2, 24 * MIB));
            assertThat(uploadKeys(client, bucket)).isEmpty();
            assertThat(client.listObjectsV2(r -> r.bucket(bucket).prefix("blobs/")).contents()).extracting(S3Object::key)
                    .containsExactly(inFlight);
            assertThat(pendingKeys(database)).isEmpty();
        } finally {
            dying.release();
            trickling.release();
            victim.close();
            survivor.close();
        }
    }

    /** While uploads are in flight (or dead), the survivor lists and serves neither. */
    private static void assertNothingPartialOn(ServerProcess server) throws Exception {
        assertThat(names(server)).isEmpty();
        for (String name : List.of("crash-a.bin", "crash-b.bin")) {
            assertThat(CLIENT.send(HttpRequest.newBuilder(server.uri("/media/" + name)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        }
    }

    private static CompletableFuture<HttpResponse<String>> upload(ServerProcess server, String name, InputStream content, long length) {
        StreamedMultipart body = new StreamedMultipart(Map.of("fileName", name, "useUniqueFileName", "false"), name, content, length);
        return CLIENT.sendAsync(HttpRequest.newBuilder(server.uri("/api/v1/files/upload")).timeout(Duration.ofMinutes(3))
                .header("Authorization", TestServer.basic()).header("Content-Type", body.contentType())
                .POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the bucket has {@code count} multipart uploads in progress; returns their object names. */
    private static List<String> awaitUploads(S3Client client, String bucket, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> keys = uploadKeys(client, bucket);
        while (keys.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            keys = uploadKeys(client, bucket);
        }
        assertThat(keys).hasSize(count);
        return keys;
    }

    private static List<String> uploadKeys(S3Client client, String bucket) {
        return client.listMultipartUploads(r -> r.bucket(bucket).prefix("blobs/")).uploads().stream().map(MultipartUpload::key).toList();
    }

    private static boolean objectExists(S3Client client, String bucket, String key) {
        try {
            client.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String blobKey(String objectName) {
        return objectName.substring("blobs/".length());
    }

    private static List<String> pendingKeys(String database) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT blob_key FROM pending_blobs")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    private static List<String> names(ServerProcess server) throws Exception {
        HttpResponse<String> listed = CLIENT.send(HttpRequest.newBuilder(server.uri("/v1/files")).header("Authorization", TestServer.basic())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        Json.parse(listed.body()).forEach(f -> names.add(f.get("name").asText()));
        return names;
    }

    private static String md5(ServerProcess server, String path) throws Exception {
        HttpResponse<InputStream> got = CLIENT.send(HttpRequest.newBuilder(server.uri(path)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(got.statusCode()).isEqualTo(200);
        MessageDigest digest = MessageDigest.getInstance("MD5");
        try (InputStream in = new DigestInputStream(got.body(), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}

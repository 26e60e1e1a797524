package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.S3;
import dev.upfront.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The real server with {@code UPFRONT_STORAGE=s3} on a real S3 server (S3Proxy): originals and renderings live in
 * the bucket (under {@code blobs/} and {@code cache/}), none in the data folder; uploads small and multipart-sized,
 * delivery with Range, a new version, transformations and deletion all work through it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3StorageTest {
    private final S3 s3 = S3.shared();
    private final String bucket = s3.freshBucket();
    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(s3.env(bucket));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void filesLiveInTheBucketFromUploadToDeletion() throws Exception {
        JsonNode small = upload("notes.txt", "text/plain", "first version".getBytes());
        String smallV1 = small.get("versionInfo").get("id").asText();
        assertThat(objects("blobs/")).contains("blobs/" + smallV1);
        assertThat(new String(server.getBytes(small.get("url").asText()).body())).isEqualTo("first version");

        byte[] large = new byte[20 * 1024 * 1024 + 333];
        new Random(7).nextBytes(large);
        JsonNode big = upload("big.bin", "application/octet-stream", large);
        assertThat(big.get("size").asLong()).isEqualTo(large.length);
        HttpResponse<byte[]> whole = server.getBytes(big.get("url").asText());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(large);
        HttpResponse<byte[]> range = server.getBytes(big.get("url").asText(), "Range", "bytes=9437180-9437189");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(large, 9437180, 9437190));

        JsonNode second = upload("notes.txt", "text/plain", "second version".getBytes());
        assertThat(second.get("fileId").asText()).isEqualTo(small.get("fileId").asText());
        assertThat(second.get("versionInfo").get("id").asText()).isNotEqualTo(smallV1);
        assertThat(new String(server.getBytes(second.get("url").asText()).body())).isEqualTo("second version");
        assertThat(new String(server.getBytes(second.get("url").asText() + "?ik-obj-version=" + smallV1).body()))
                .isEqualTo("first version");

        JsonNode image = upload("photo.png", "image/png", Images.png(200, 100));
        String imageVersion = image.get("versionInfo").get("id").asText();
        HttpResponse<byte[]> thumb = server.getBytes(image.get("url").asText() + "?tr=w-50");
        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(Images.decode(thumb.body()).size()).isEqualTo("50x25");
        assertThat(objects("cache/")).as("the rendering, stored in the bucket").anyMatch(k -> k.startsWith("cache/" + imageVersion));
        assertThat(Images.decode(server.getBytes(image.get("url").asText() + "?tr=w-50").body()).size()).isEqualTo("50x25");

        for (JsonNode file : List.of(small, big, image)) {
            HttpResponse<String> deleted = server.send(HttpRequest.newBuilder(server.uri("/v1/files/" + file.get("fileId").asText()))
                    .header("Authorization", TestServer.basic()).DELETE().build());
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            assertThat(server.getBytes(file.get("url").asText()).statusCode()).isEqualTo(404);
        }
        assertThat(objects("blobs/")).as("every version's object deleted with its file").isEmpty();
        assertThat(objects("cache/")).as("renderings deleted with their version").isEmpty();
        try (S3Client client = s3.client()) {
            assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("uploads in progress").isEmpty();
        }
        assertThat(filesUnder(server.dataDir().resolve("blobs"))).as("nothing in the data folder").isEmpty();
        assertThat(DataDirCheck.pendingBlobs(server.dataDir())).as("no upload left recorded as in flight").isZero();
        assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void aBucketThatDoesNotExistStopsTheStartNamingTheSetting() {
        Map<String, String> env = new HashMap<>(s3.env(bucket));
        env.put("UPFRONT_S3_BUCKET", "no-such-bucket-typo");
        assertThatThrownBy(() -> TestServer.start(env)).rootCause()
                .hasMessageContaining("UPFRONT_S3_BUCKET").hasMessageContaining("no-such-bucket-typo")
                .hasMessageNotContaining(S3.SECRET_KEY);
        try (S3Client client = s3.client()) {
            assertThat(client.listBuckets().buckets()).as("never created").noneMatch(b -> b.name().equals("no-such-bucket-typo"));
        }
    }

    private JsonNode upload(String name, String type, byte[] bytes) throws Exception {
        HttpResponse<String> r = server.upload(new Multipart().field("fileName", name).field("useUniqueFileName", "false")
                .file("file", name, type, bytes), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    private List<String> objects(String prefix) {
        try (S3Client client = s3.client()) {
            return client.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
        }
    }

    private static List<Path> filesUnder(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}

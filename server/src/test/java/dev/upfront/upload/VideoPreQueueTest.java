package dev.upfront.upload;

import static dev.upfront.testing.WebhookReceiver.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Requirements;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.TestServer;
import dev.upfront.testing.Videos;
import dev.upfront.testing.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queued video {@code pre} is durable: the server, as a process whose ffmpeg is slow (a wrapper script that
 * sleeps, then runs the real one), is SIGKILLed while the job runs and started again with the real ffmpeg; the
 * file appears transcoded and {@code upload.pre-transform.success} arrives exactly once. A job whose ffmpeg fails
 * is announced once as an error and leaves nothing behind, not even its source bytes.
 */
class VideoPreQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;
    private byte[] clip;

    @BeforeEach
    void clip() {
        Requirements.require(Videos.ffmpegPresent(), "ffmpeg and ffprobe (apt-get install ffmpeg)");
        clip = Videos.mp4(320, 240, 2);
    }

    @Test
    void aQueuedVideoSurvivesASigkillAndIsAnnouncedOnce() throws Exception {
        Path started = tmp.resolve("ffmpeg-started");
        Path slow = script("slow-ffmpeg.sh", "touch '" + started + "'\nsleep 120\nexec ffmpeg \"$@\"\n");
        Path data = tmp.resolve("data");
        Path log = ServerProcess.targetDir().resolve("video-pre-queue-server.log");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Map<String, String> env = Map.of("UPFRONT_WEBHOOK_URL", receiver.url("/hooks"), "UPFRONT_FETCH_ALLOW_PRIVATE", "true");
            String requestId;
            try (ServerProcess server = ServerProcess.start(data, with(env, "UPFRONT_FFMPEG", slow.toString()), List.of(), log)) {
                HttpResponse<String> r = upload(server.uri("/api/v1/files/upload"), "queued.mp4");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                requestId = r.headers().firstValue("x-request-id").orElseThrow();
                awaitFile(started);
                assertThat(DataDirCheck.queuedVideos(data)).as("the job is in the database while it runs").isEqualTo(1);
                List<ProcessHandle> children = ProcessHandle.of(server.pid()).map(p -> p.descendants().toList()).orElse(List.of());
                server.kill();
                children.forEach(ProcessHandle::destroyForcibly); // the wrapper the dead server had started
            }
            assertThat(receiver.received()).as("nothing was announced before the crash").isEmpty();

            try (ServerProcess again = ServerProcess.start(data, env, List.of(), log)) {
                JsonNode success = Json.parse(receiver.await(ofType("upload.pre-transform.success"), 1, WAIT).getFirst().body());
                receiver.await(ofType("file.created"), 1, WAIT);
                assertThat(success.path("request").path("x_request_id").asText()).as("the upload's request id, kept").isEqualTo(requestId);
                assertThat(success.path("data").path("width").asInt()).isEqualTo(160);
                assertThat(success.path("data").path("name").asText()).isEqualTo("queued.mp4");

                HttpResponse<String> listed = get(again.uri("/v1/files?searchQuery="
                        + URLEncoder.encode("name = \"queued.mp4\"", StandardCharsets.UTF_8)));
                JsonNode files = Json.parse(listed.body());
                assertThat(files).as(listed.body()).hasSize(1);
                assertThat(files.get(0).path("width").asInt()).isEqualTo(160);
                assertThat(files.get(0).path("fileId").asText()).isEqualTo(success.path("data").path("fileId").asText());

                awaitNoQueuedVideos(data);
                // Anything announced twice would have been queued by now (events go out within about a second).
                Thread.sleep(3_000);
                assertThat(receiver.received().stream().filter(ofType("upload.pre-transform.success"))).hasSize(1);
                assertThat(receiver.received().stream().filter(ofType("file.created"))).hasSize(1);
                assertThat(receiver.received().stream().filter(ofType("upload.pre-transform.error"))).isEmpty();
                assertThat(blobs(data)).as("only the stored file's blob: the source went with the job").hasSize(1);
            }
        }
    }

    @Test
    void aJobWhoseFfmpegFailsIsAnnouncedOnceAndLeavesNothing() throws Exception {
        Path failing = script("failing-ffmpeg.sh", "echo 'simulated failure' >&2\nexit 1\n");
        try (WebhookReceiver receiver = WebhookReceiver.start();
             TestServer server = TestServer.start(tmp.resolve("data"), Map.of("UPFRONT_WEBHOOK_URL", receiver.url("/hooks"),
                     "UPFRONT_FETCH_ALLOW_PRIVATE", "true", "UPFRONT_FFMPEG", failing.toString()), true)) {
            HttpResponse<String> r = upload(server.uri("/api/v1/files/upload"), "fails.mp4");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode error = Json.parse(receiver.await(ofType("upload.pre-transform.error"), 1, WAIT).getFirst().body());
            assertThat(error.path("data").path("name").asText()).isEqualTo("fails.mp4");
            assertThat(error.path("data").path("transformation").path("error").path("reason").asText()).isEqualTo("encoding_failed");
            awaitNoQueuedVideos(server.dataDir());
            Thread.sleep(3_000);
            assertThat(receiver.received()).as("the error once, and nothing else").hasSize(1);
            assertThat(server.get("/v1/files", "Authorization", TestServer.basic()).body()).isEqualTo("[]");
            assertThat(server.blobFiles()).as("the source is gone with the job").isEmpty();
        }
    }

    private HttpResponse<String> upload(URI uri, String fileName) throws Exception {
        Multipart form = new Multipart().field("fileName", fileName).field("useUniqueFileName", "false")
                .field("transformation", "{\"pre\":\"w-160\"}").file("file", fileName, "video/mp4", clip);
        return HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", TestServer.basic())
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", TestServer.basic()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Path script(String name, String body) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> all = new HashMap<>(env);
        all.put(key, value);
        return all;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file)) {
            assertThat(System.nanoTime()).as("ffmpeg was started").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitNoQueuedVideos(Path data) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (DataDirCheck.queuedVideos(data) > 0) {
            assertThat(System.nanoTime()).as("the job was removed").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Published blobs in the data folder (not staging, not the lock). */
    private static List<Path> blobs(Path data) {
        Path root = data.resolve("blobs");
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> !root.relativize(p).toString().startsWith(".")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

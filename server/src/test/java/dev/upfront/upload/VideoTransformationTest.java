package dev.upfront.upload;

import static dev.upfront.testing.WebhookReceiver.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.inspect.VideoProbe;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.NodeProject;
import dev.upfront.testing.Requirements;
import dev.upfront.testing.TestServer;
import dev.upfront.testing.Videos;
import dev.upfront.testing.WebhookReceiver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Video transformations with the machine's ffmpeg, over a real socket, outcomes seen by a webhook receiver: a
 * video {@code pre} answers ImageKit's 202 and stores the transcoded file later; {@code post} renditions
 * (transformation, thumbnail, HLS, GIF to MP4) land in the cache and decode at their sizes; a failing transcode
 * is announced and stores nothing; without ffmpeg ({@code UPFRONT_FFMPEG=none}) all of it is refused by name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoTransformationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final VideoProbe probe = new VideoProbe("ffprobe", Duration.ofSeconds(30));
    private WebhookReceiver receiver;
    private TestServer server;
    private byte[] clip;

    @BeforeAll
    void start() {
        Requirements.require(Videos.ffmpegPresent(), "ffmpeg and ffprobe (apt-get install ffmpeg)");
        clip = Videos.mp4(320, 240, 2);
        receiver = WebhookReceiver.start();
        server = TestServer.start(Map.of("UPFRONT_WEBHOOK_URL", receiver.url("/hooks"), "UPFRONT_FETCH_ALLOW_PRIVATE", "true",
                "UPFRONT_WEBHOOK_RETRY_DELAY", "1"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private HttpResponse<String> upload(String fileName, byte[] file, String transformation) {
        return server.upload(new Multipart().field("fileName", fileName).field("useUniqueFileName", "false")
                .field("transformation", transformation).file("file", fileName, "application/octet-stream", file),
                "Authorization", TestServer.basic());
    }

    private JsonNode event(String type, String fileName) throws InterruptedException {
        return json(receiver.await(ofType(type).and(r -> r.body().contains(fileName)), 1, WAIT).getFirst().body());
    }

    private static JsonNode json(String body) {
        try {
            return Json.parse(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }

    private VideoProbe.Facts probed(String url) {
        HttpResponse<byte[]> r = server.getBytes(url);
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return probe.probe(() -> new ByteArrayInputStream(r.body())).orElseThrow(() -> new AssertionError("no video at " + url));
    }

    @Test
    void aVideoPreIsQueuedThenStoredTranscodedAndAnnounced() throws Exception {
        HttpResponse<String> r = upload("pre.mp4", clip, "{\"pre\":\"w-160\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(Json.parse(r.body()).path("message").asText()).isEqualTo("The pre-transformation has been queued successfully.");
        String requestId = r.headers().firstValue("x-request-id").orElseThrow();

        JsonNode success = event("upload.pre-transform.success", "pre.mp4");
        assertThat(success.path("request").path("x_request_id").asText()).isEqualTo(requestId);
        assertThat(success.path("request").path("transformation").asText()).isEqualTo("w-160");
        JsonNode data = success.path("data");
        assertThat(data.path("width").asInt()).isEqualTo(160);
        assertThat(data.path("height").asInt()).isEqualTo(120);
        assertThat(event("file.created", "pre.mp4").path("data").path("fileId").asText()).isEqualTo(data.path("fileId").asText());

        HttpResponse<String> metadata = server.get("/v1/files/" + data.path("fileId").asText() + "/metadata",
                "Authorization", TestServer.basic());
        assertThat(Json.parse(metadata.body()).path("width").asInt()).as(metadata.body()).isEqualTo(160);
        assertThat(Json.parse(metadata.body()).path("duration").asInt()).isEqualTo(2);
        VideoProbe.Facts stored = probed(data.path("url").asText());
        assertThat(stored.width()).as("the stored file itself").isEqualTo(160);
        assertThat(stored.media()).containsEntry("videoCodec", "h264").containsEntry("audioCodec", "aac");
    }

    @Test
    void aVideosThumbnailUrlIsListedAndServesAJpeg() throws Exception {
        HttpResponse<String> r = server.upload(new Multipart().field("fileName", "thumb.mp4").field("useUniqueFileName", "false")
                .file("file", "thumb.mp4", "video/mp4", clip), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode uploaded = Json.parse(r.body());
        String thumbnail = uploaded.path("thumbnailUrl").asText();
        assertThat(thumbnail).as(r.body()).isEqualTo(uploaded.path("url").asText() + "/ik-thumbnail.jpg");
        HttpResponse<byte[]> jpeg = server.getBytes(thumbnail);
        assertThat(jpeg.statusCode()).isEqualTo(200);
        assertThat(jpeg.headers().firstValue("content-type")).hasValue("image/jpeg");
        assertThat(Images.decode(jpeg.body()).size()).as("the first frame").isEqualTo("320x240");

        String fileId = uploaded.path("fileId").asText();
        JsonNode details = Json.parse(server.get("/v1/files/" + fileId + "/details", "Authorization", TestServer.basic()).body());
        assertThat(details.path("thumbnail").asText()).isEqualTo(thumbnail);
        JsonNode listed = Json.parse(server.get("/v1/files?searchQuery=" + URLEncoder.encode("name = \"thumb.mp4\"",
                StandardCharsets.UTF_8), "Authorization", TestServer.basic()).body());
        assertThat(listed.get(0).path("thumbnail").asText()).isEqualTo(thumbnail);
    }

    @Test
    void aVideoThatCannotBeTranscodedIsAnnouncedAsAnErrorAndNothingIsStored() throws Exception {
        byte[] truncated = Arrays.copyOf(clip, 600);
        HttpResponse<String> r = upload("broken.mp4", truncated, "{\"pre\":\"w-160\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode error = event("upload.pre-transform.error", "broken.mp4");
        assertThat(error.path("data").path("transformation").path("error").path("reason").asText()).isEqualTo("encoding_failed");
        assertThat(error.path("data").path("path").asText()).isEqualTo("/broken.mp4");
        assertThat(server.get("/v1/files?searchQuery=" + URLEncoder.encode("name = \"broken.mp4\"", StandardCharsets.UTF_8),
                "Authorization", TestServer.basic()).body()).isEqualTo("[]");
    }

    @Test
    void postRenditionsOfAVideoAreAnnouncedAndDecodeAtTheirSizes() throws Exception {
        HttpResponse<String> r = upload("post.mp4", clip, "{\"post\":[{\"type\":\"transformation\",\"value\":\"w-160,f-webm\"},"
                + "{\"type\":\"thumbnail\",\"value\":\"w-80\"},{\"type\":\"abs\",\"value\":\"sr-240_360\",\"protocol\":\"hls\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body()).path("width").asInt()).as("the original is stored unchanged").isEqualTo(320);
        List<JsonNode> events = receiver.await(ofType("upload.post-transform.success").and(e -> e.body().contains("post.mp4")), 3, WAIT)
                .stream().map(e -> json(e.body())).toList();
        Map<String, String> urls = new HashMap<>();
        for (JsonNode e : events) {
            urls.put(e.path("request").path("transformation").path("type").asText(), e.path("data").path("url").asText());
        }

        String webm = urls.get("transformation");
        assertThat(webm).endsWith("/post.mp4?tr=w-160%2Cf-webm");
        assertThat(server.getBytes(webm).headers().firstValue("content-type")).hasValue("video/webm");
        VideoProbe.Facts webmFacts = probed(webm);
        assertThat(webmFacts.width()).isEqualTo(160);
        assertThat(webmFacts.media()).containsEntry("videoCodec", "vp8");

        String thumbnail = urls.get("thumbnail");
        assertThat(thumbnail).endsWith("/post.mp4/ik-thumbnail.jpg?tr=w-80");
        assertThat(Images.decode(server.getBytes(thumbnail).body()).size()).isEqualTo("80x60");

        String master = urls.get("abs");
        assertThat(master).endsWith("/post.mp4/ik-master.m3u8?tr=sr-240_360");
        HttpResponse<byte[]> playlist = server.getBytes(master);
        assertThat(playlist.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
        String text = new String(playlist.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("#EXTM3U").contains("RESOLUTION=320x240").contains("ik-hls-240p.m3u8")
                .as("no representation above the source's 240 lines").doesNotContain("360p");
        String base = master.substring(0, master.lastIndexOf('/') + 1);
        String variant = new String(server.getBytes(base + "ik-hls-240p.m3u8").body(), StandardCharsets.UTF_8);
        String segment = variant.lines().filter(l -> l.endsWith(".ts")).findFirst().orElseThrow();
        HttpResponse<byte[]> ts = server.getBytes(base + segment);
        assertThat(ts.headers().firstValue("content-type")).hasValue("video/mp2t");
        assertThat(probed(base + segment).height()).isEqualTo(240);
    }

    @Test
    void aGifBecomesAnMp4AndAVideoIsTransformedOnDelivery() throws Exception {
        HttpResponse<String> r = upload("anim.gif", Videos.gif(64, 48), "{\"post\":[{\"type\":\"gif-to-video\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String url = event("upload.post-transform.success", "anim.gif").path("data").path("url").asText();
        assertThat(url).endsWith("/anim.gif/ik-gif-video.mp4");
        assertThat(server.getBytes(url).headers().firstValue("content-type")).hasValue("video/mp4");
        assertThat(probed(url).width()).isEqualTo(64);

        HttpResponse<String> plain = upload("plain.mp4", clip, "{\"post\":[{\"type\":\"transformation\",\"value\":\"h-120\"}]}");
        String original = Json.parse(plain.body()).path("url").asText();
        assertThat(probed(original + "?tr=w-96").width()).as("produced on demand").isEqualTo(96);
        assertThat(probed(original.replace("/plain.mp4", "/tr:h-120/plain.mp4")).height()).isEqualTo(120);
        HttpResponse<String> unsupported = server.get(original + "?tr=rt-90");
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(Json.parse(unsupported.body()).path("code").asText()).isEqualTo("VIDEO_TRANSFORMATION_INVALID");
    }

    /**
     * A side alone does not bound a frame: {@code w-3840} of a 1:4 video would be 3840×15360, gigabytes in the
     * encoder for one request. Every produced frame holds at most 4K UHD's pixels; a size asking for more is refused.
     */
    @Test
    void noFrameIsProducedLargerThanFourKUhd() throws Exception {
        HttpResponse<String> r = server.upload(new Multipart().field("fileName", "tall.mp4").field("useUniqueFileName", "false")
                .file("file", "tall.mp4", "video/mp4", Videos.mp4(16, 64, 1)), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String url = Json.parse(r.body()).path("url").asText();
        HttpResponse<byte[]> wide = server.getBytes(url + "/ik-thumbnail.jpg?tr=w-3840");
        assertThat(wide.statusCode()).isEqualTo(200);
        assertThat(Images.decode(wide.body()).size()).as("the width the 4K UHD area allows a 1:4 frame").isEqualTo("1440x5760");
        HttpResponse<byte[]> tall = server.getBytes(url + "/ik-thumbnail.jpg?tr=h-2160");
        assertThat(Images.decode(tall.body()).size()).isEqualTo("540x2160");
        HttpResponse<String> both = server.get(url + "?tr=w-3840,h-3840");
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(Json.parse(both.body()).path("code").asText()).isEqualTo("VIDEO_TRANSFORMATION_INVALID");
    }

    @Test
    void unsupportedVideoParametersAndDashAreRefusedByName() throws Exception {
        HttpResponse<String> rotate = upload("rotate.mp4", clip, "{\"pre\":\"rt-90\"}");
        assertThat(rotate.statusCode()).isEqualTo(400);
        assertThat(Json.parse(rotate.body()).path("message").asText())
                .isEqualTo("The file could not be uploaded because the transformation field is invalid.");
        HttpResponse<String> dash = upload("dash.mp4", clip, "{\"post\":[{\"type\":\"abs\",\"value\":\"sr-240\",\"protocol\":\"dash\"}]}");
        assertThat(dash.statusCode()).isEqualTo(400);
        assertThat(Json.parse(dash.body()).path("code").asText()).isEqualTo("VIDEO_TRANSFORMATION_UNSUPPORTED");
        assertThat(Json.parse(dash.body()).path("message").asText()).contains("abs with protocol dash");
        HttpResponse<String> gifOnVideo = upload("g.mp4", clip, "{\"post\":[{\"type\":\"gif-to-video\"}]}");
        assertThat(Json.parse(gifOnVideo.body()).path("code").asText()).isEqualTo("UPLOAD_TRANSFORMATION_INCOMPATIBLE");
    }

    @Test
    void imagekitNodeSdksSendVideoTransformationsAndPatchAWebhookUrl(@TempDir Path tmp) throws Exception {
        NodeProject project = NodeProject.prepare(tmp);
        Path video = Files.write(tmp.resolve("clip.mp4"), clip);
        Path gif = Files.write(tmp.resolve("anim.gif"), Videos.gif(32, 24));
        NodeProject.ProcessResult script = project.node("video-upload.mjs", Map.of("UPFRONT_URL", server.baseUrl(),
                "UPFRONT_PUBLIC_KEY", TestServer.PUBLIC_KEY, "UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY,
                "UPFRONT_HOOK_URL", receiver.url("/sdk-patch"), "UPFRONT_VIDEO_FILE", video.toString(),
                "UPFRONT_GIF_FILE", gif.toString()), Duration.ofSeconds(90));
        assertThat(script.exitCode()).as("video-upload.mjs failed:%n%s", script.describe()).isZero();
        JsonNode out = Json.parse(script.lastLine());
        for (String sdk : List.of("v6Pre", "v7Pre")) {
            assertThat(out.path(sdk).path("status").asInt()).as(sdk + ": " + out.path(sdk)).isEqualTo(202);
            assertThat(out.path(sdk).path("body").path("message").asText()).isEqualTo("The pre-transformation has been queued successfully.");
        }
        for (String name : List.of("sdk-v6.mp4", "sdk-v7.mp4")) {
            assertThat(event("upload.pre-transform.success", name).path("data").path("width").asInt()).as(name).isEqualTo(160);
        }
        assertThat(out.path("v7Gif").path("status").asInt()).as(out.toString()).isEqualTo(200);
        assertThat(event("upload.post-transform.success", "sdk-v7.gif").path("data").path("url").asText()).endsWith("/ik-gif-video.mp4");
        assertThat(out.path("v7Update").path("status").asInt()).as(out.toString()).isEqualTo(200);
        receiver.await(r -> r.path().equals("/sdk-patch") && r.body().contains("sdk-patched"), 1, WAIT);
    }

    @Test
    void withoutFfmpegVideoTransformationsAreRefusedByName() throws Exception {
        try (TestServer none = TestServer.start(Map.of("UPFRONT_FFMPEG", "none"))) {
            for (String[] c : List.of(new String[] {"pre.mp4", "{\"pre\":\"w-100\"}", "video pre"},
                    new String[] {"a.gif", "{\"post\":[{\"type\":\"gif-to-video\"}]}", "gif-to-video"},
                    new String[] {"abs.mp4", "{\"post\":[{\"type\":\"abs\",\"value\":\"sr-240\",\"protocol\":\"hls\"}]}", "abs"})) {
                byte[] file = c[0].endsWith(".gif") ? Images.gif(8, 8) : clip;
                HttpResponse<String> r = none.upload(new Multipart().field("fileName", c[0]).field("transformation", c[1])
                        .file("file", c[0], "application/octet-stream", file), "Authorization", TestServer.basic());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                JsonNode body = Json.parse(r.body());
                assertThat(body.path("code").asText()).isEqualTo("VIDEO_TOOLCHAIN_MISSING");
                assertThat(body.path("message").asText()).contains(c[2]).contains("ffmpeg");
            }
            HttpResponse<String> stored = none.upload(new Multipart().field("fileName", "kept.mp4")
                    .file("file", "kept.mp4", "video/mp4", clip), "Authorization", TestServer.basic());
            HttpResponse<String> transformed = none.get(Json.parse(stored.body()).path("url").asText() + "?tr=w-100");
            assertThat(transformed.statusCode()).isEqualTo(400);
            assertThat(Json.parse(transformed.body()).path("code").asText()).isEqualTo("VIDEO_TOOLCHAIN_MISSING");
        }
    }
}

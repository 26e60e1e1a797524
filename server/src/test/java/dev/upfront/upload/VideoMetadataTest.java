package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.inspect.ContentType;
import dev.upfront.inspect.MediaInfo;
import dev.upfront.inspect.MediaInspector;
import dev.upfront.inspect.VideoProbe;
import dev.upfront.json.Json;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Requirements;
import dev.upfront.testing.TestServer;
import dev.upfront.testing.Videos;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Video facts from ffprobe: a 2 s 320×240 H.264 + AAC MP4 made by ffmpeg is uploaded; the upload response and
 * {@code GET /v1/files/{id}/metadata} give width, height, duration, bitRate and both codecs, and upload
 * {@code checks} on {@code mediaMetadata.*} pass and fail on them. Without a probe the fields are absent and
 * nothing fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoMetadataTest {
    private TestServer server;
    private byte[] video;

    @BeforeAll
    void start() throws Exception {
        Requirements.require(Videos.ffmpegPresent(), "ffmpeg and ffprobe (apt-get install ffmpeg)");
        video = Videos.mp4(320, 240, 2);
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theUploadResponseAndTheMetadataGiveTheVideosFacts() throws Exception {
        JsonNode up = upload(Map.of("responseFields", "metadata"));
        assertThat(up.path("fileType").asText()).isEqualTo("non-image");
        assertThat(up.path("width").asInt()).isEqualTo(320);
        assertThat(up.path("height").asInt()).isEqualTo(240);
        assertThat(up.path("duration").asInt()).isEqualTo(2);
        assertThat(up.path("videoCodec").asText()).isEqualTo("h264");
        assertThat(up.path("audioCodec").asText()).isEqualTo("aac");
        assertThat(up.path("bitRate").asLong()).as("kbps").isBetween(1L, 20_000L);
        assertThat(up.path("metadata").path("duration").asInt()).isEqualTo(2);
        assertThat(up.path("metadata").path("videoCodec").asText()).isEqualTo("h264");

        HttpResponse<String> r = server.get("/v1/files/" + up.path("fileId").asText() + "/metadata", "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode metadata = Json.parse(r.body());
        assertThat(metadata.path("width").asInt()).isEqualTo(320);
        assertThat(metadata.path("height").asInt()).isEqualTo(240);
        assertThat(metadata.path("duration").asInt()).isEqualTo(2);
        assertThat(metadata.path("bitRate").asLong()).isEqualTo(up.path("bitRate").asLong());
        assertThat(metadata.path("videoCodec").asText()).isEqualTo("h264");
        assertThat(metadata.path("audioCodec").asText()).isEqualTo("aac");
    }

    @Test
    void checksSeeTheVideosFacts() throws Exception {
        upload(Map.of("checks", "\"mediaMetadata.duration\" <= 3 AND \"mediaMetadata.width\" = 320 AND "
                + "\"mediaMetadata.videoCodec\" IN [\"h264\", \"hevc\"] AND \"mediaMetadata.audioCodec\" = \"aac\" AND \"mediaMetadata.bitRate\" > 0"));
        for (String failing : List.of("\"mediaMetadata.duration\" > 10", "\"mediaMetadata.height\" < 100",
                "\"mediaMetadata.videoCodec\" = \"hevc\"", "\"mediaMetadata.audioCodec\" : \"mp3\"")) {
            HttpResponse<String> r = server.upload(new Multipart().field("fileName", "refused.mp4").field("checks", failing)
                    .file("file", "refused.mp4", "video/mp4", video), "Authorization", TestServer.basic());
            assertThat(r.statusCode()).as(failing + ": " + r.body()).isEqualTo(400);
            assertThat(Json.parse(r.body()).path("code").asText()).as(failing).isEqualTo("CHECKS_FAILED");
        }
        HttpResponse<String> list = server.get("/v1/files?searchQuery=" + URLEncoder.encode("name : \"refused\"",
                StandardCharsets.UTF_8), "Authorization", TestServer.basic());
        assertThat(Json.parse(list.body())).as("a refused upload stores nothing").isEmpty();
    }

    @Test
    void withoutAProbeTheFieldsAreAbsentAndNothingFails() {
        MediaInfo none = new MediaInspector().inspect(new ContentType("video/mp4"), () -> new ByteArrayInputStream(video));
        assertThat(none.width()).isNull();
        assertThat(none.media()).isEmpty();
        VideoProbe missing = new VideoProbe("/nonexistent/ffprobe", Duration.ofSeconds(5));
        assertThat(missing.probe(() -> new ByteArrayInputStream(video))).isEmpty();
        VideoProbe real = new VideoProbe("ffprobe", Duration.ofSeconds(30));
        assertThat(real.probe(() -> new ByteArrayInputStream("not a video".getBytes()))).as("garbage gives no facts").isEmpty();
        VideoProbe.Facts facts = real.probe(() -> new ByteArrayInputStream(video)).orElseThrow();
        assertThat(facts.width()).isEqualTo(320);
        assertThat(facts.media()).containsEntry("videoCodec", "h264").containsEntry("duration", 2L);
    }

    private JsonNode upload(Map<String, String> fields) throws Exception {
        HttpResponse<String> r = server.upload(new Multipart().field("fileName", "clip.mp4").fields(fields)
                .file("file", "clip.mp4", "video/mp4", video), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }
}

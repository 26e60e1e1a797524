package dev.upfront.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Requirements;
import dev.upfront.testing.TestServer;
import dev.upfront.transform.vips.VipsBackend;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Delivery on the libvips backend end to end: the formats only it writes, and f-auto by Accept. */
class VipsDeliveryTest {
    @Test
    void libvipsServesWebpAvifAndPicksByAccept() throws Exception {
        Requirements.require(VipsBackend.load().isPresent(), "libvips42 (libvips.so.42), for delivery on the native backend");
        try (TestServer server = TestServer.start(Map.of("UPFRONT_IMAGE_BACKEND", "vips"))) {
            HttpResponse<String> up = server.upload(new Multipart().field("fileName", "v.jpg").field("useUniqueFileName", "false")
                    .file("file", "v.jpg", "image/jpeg", Images.jpeg(800, 600)), "Authorization", TestServer.basic());
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            JsonNode file = Json.parse(up.body());
            String base = server.urlEndpoint();

            HttpResponse<byte[]> webp = server.getBytes(base + "/tr:w-200,f-webp/v.jpg");
            assertThat(webp.statusCode()).isEqualTo(200);
            assertThat(webp.headers().firstValue("content-type")).contains("image/webp");
            assertThat(new String(webp.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
            assertThat(new String(webp.body(), 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");

            HttpResponse<byte[]> avif = server.getBytes(base + "/tr:w-200,f-avif/v.jpg");
            assertThat(avif.headers().firstValue("content-type")).contains("image/avif");
            assertThat(new String(avif.body(), 4, 8, StandardCharsets.US_ASCII)).isEqualTo("ftypavif");

            HttpResponse<byte[]> auto = server.getBytes(base + "/v.jpg?tr=w-200", "Accept", "image/avif,image/webp,*/*");
            assertThat(auto.headers().firstValue("content-type")).contains("image/avif");
            assertThat(auto.headers().allValues("vary").toString()).contains("Accept");
            HttpResponse<byte[]> plain = server.getBytes(base + "/v.jpg?tr=w-200", "Accept", "*/*");
            assertThat(plain.headers().firstValue("content-type")).contains("image/jpeg");
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(plain.body()));
            assertThat(decoded.getWidth()).isEqualTo(200);
            assertThat(decoded.getHeight()).isEqualTo(150);

            HttpResponse<byte[]> thumb = server.getBytes(file.get("thumbnailUrl").asText());
            assertThat(thumb.statusCode()).isEqualTo(200);
            BufferedImage t = ImageIO.read(new ByteArrayInputStream(thumb.body()));
            assertThat(t.getWidth()).isEqualTo(400);
            assertThat(t.getHeight()).isEqualTo(300);
        }
    }
}

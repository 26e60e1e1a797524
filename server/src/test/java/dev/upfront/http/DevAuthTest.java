package dev.upfront.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.protocol.Hmac;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Emulator mode's {@code /dev/auth}: its credentials are accepted by the same server's upload API; it is absent
 * unless {@code UPFRONT_DEV_AUTH=true}.
 */
class DevAuthTest {
    @Test
    void v1ParametersAndV2TokensFromDevAuthUpload() throws Exception {
        try (TestServer server = TestServer.start(Map.of("UPFRONT_DEV_AUTH", "true"))) {
            HttpResponse<String> r = server.get("/dev/auth", "Origin", "http://app.example");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
            JsonNode p = Json.parse(r.body());
            HttpResponse<String> v1 = server.upload(Multipart.of(Map.of("publicKey", TestServer.PUBLIC_KEY, "fileName", "dev1.png",
                    "token", p.get("token").asText(), "expire", p.get("expire").asText(), "signature", p.get("signature").asText()))
                    .file(Images.png(8, 8)));
            assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);

            JsonNode fixed = Json.parse(server.get("/dev/auth?token=t1&expire=1800000000").body());
            assertThat(fixed.get("signature").asText()).isEqualTo(Hmac.sha1Hex(TestServer.PRIVATE_KEY, "t1" + "1800000000"));
            assertThat(server.get("/dev/auth?expire=later").statusCode()).isEqualTo(400);

            String body = "{\"uploadPayload\":{\"fileName\":\"dev2.png\",\"folder\":\"/dev\"},\"expire\":120,\"publicKey\":\""
                    + TestServer.PUBLIC_KEY + "\"}";
            HttpResponse<String> t = server.send(HttpRequest.newBuilder(server.uri("/dev/auth"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
            String token = Json.parse(t.body()).get("token").asText();
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
            assertThat(header).isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + TestServer.PUBLIC_KEY + "\"}");
            HttpResponse<String> v2 = server.post("/api/v2/files/upload",
                    Multipart.of(Map.of("fileName", "dev2.png", "folder", "/dev", "token", token)).file(Images.png(8, 8)));
            assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
            assertThat(Json.parse(v2.body()).get("filePath").asText()).startsWith("/dev/dev2");

            for (String bad : List.of("{\"uploadPayload\":{},\"expire\":3601}", "{\"expire\":60}", "[]",
                    "{\"uploadPayload\":{},\"expire\":60,\"publicKey\":\"public_other\"}")) {
                HttpResponse<String> refused = server.send(HttpRequest.newBuilder(server.uri("/dev/auth"))
                        .POST(HttpRequest.BodyPublishers.ofString(bad)).build());
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            }
        }
    }

    @Test
    void absentByDefault() {
        try (TestServer server = TestServer.start()) {
            assertThat(server.get("/dev/auth").statusCode()).isEqualTo(404);
        }
    }
}

package dev.upfront.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.upfront.client.UpfrontClient;
import dev.upfront.client.UploadRequest;
import dev.upfront.protocol.AuthenticationParameters;
import dev.upfront.protocol.Hmac;
import dev.upfront.testing.Images;
import dev.upfront.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example backend in front of a real server: the credentials it hands out are accepted by the server, the v2
 * token is made as the guide's jsonwebtoken sample makes it, CORS answers the sample clients' preflights, and the
 * pages are served.
 */
class ExampleBackendTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static UpfrontClient client;
    static ExampleBackend backend;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = UpfrontClient.builder().publicKey(TestServer.PUBLIC_KEY).privateKey(TestServer.PRIVATE_KEY)
                .urlEndpoint(server.urlEndpoint()).baseUrl(server.baseUrl()).build();
        backend = ExampleBackend.start(0, server.baseUrl(), client, SessionCheck.ACCEPT_ALL);
    }

    @AfterAll
    static void stop() {
        backend.close();
        server.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        return server.send(request.build());
    }

    static HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path));
    }

    @Test
    void getAuthHandsOutV1ParametersTheServerAccepts() throws Exception {
        HttpResponse<String> r = send(to("/auth").header("Authorization", "Bearer sample").header("CustomHeader", "x"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("token", "expire", "signature");
        long now = System.currentTimeMillis() / 1000;
        assertThat(body.get("expire").asLong()).isBetween(now + 1700, now + 1900);

        AuthenticationParameters params = new AuthenticationParameters(body.get("token").asText(), body.get("expire").asLong(),
                body.get("signature").asText());
        JsonNode uploaded = client.upload(UploadRequest.of(new ByteArrayInputStream(Images.png(8, 8)), "example-v1.png")
                .folder("/example").authenticationParameters(params).build());
        assertThat(uploaded.get("filePath").asText()).startsWith("/example/example-v1");
    }

    @Test
    void getAuthHonoursTokenAndExpire() throws Exception {
        JsonNode body = JSON.readTree(send(to("/auth?token=my-token&expire=1800000000")).body());
        assertThat(body.get("token").asText()).isEqualTo("my-token");
        assertThat(body.get("expire").asLong()).isEqualTo(1800000000L);
        assertThat(body.get("signature").asText()).isEqualTo(Hmac.sha1Hex(TestServer.PRIVATE_KEY, "my-token1800000000"));
        assertThat(send(to("/auth?expire=soon")).statusCode()).isEqualTo(400);
    }

    @Test
    void postAuthSignsTheSeedsPayloadAsJsonwebtokenDoesAndTheServerAcceptsIt() throws Exception {
        String request = "{\"uploadPayload\":{\"fileName\":\"example-v2.png\",\"folder\":\"/example\",\"useUniqueFileName\":\"false\"},"
                + "\"expire\":600,\"publicKey\":\"" + TestServer.PUBLIC_KEY + "\"}";
        // The guide's jQuery sample posts JSON labelled as a form.
        HttpResponse<String> r = send(to("/auth").header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(request)));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        String token = JSON.readTree(r.body()).get("token").asText();
        String[] parts = token.split("\\.");
        assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + TestServer.PUBLIC_KEY + "\"}");
        JsonNode claims = JSON.readTree(decode(parts[1]));
        assertThat(claims.fieldNames()).toIterable().containsExactly("fileName", "folder", "useUniqueFileName", "iat", "exp");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(600);

        JsonNode uploaded = client.upload(UploadRequest.of(new ByteArrayInputStream(Images.png(8, 8)), "example-v2.png")
                .folder("/example").option("useUniqueFileName", "false").uploadToken(token).build());
        assertThat(uploaded.get("filePath").asText()).isEqualTo("/example/example-v2.png");
    }

    @Test
    void postAuthRefusesWhatItCannotSign() {
        for (String body : List.of("not json", "{\"expire\":60}", "{\"uploadPayload\":{},\"expire\":3601}",
                "{\"uploadPayload\":{},\"expire\":\"60\"}", "{\"uploadPayload\":{\"exp\":1},\"expire\":60}",
                "{\"uploadPayload\":{},\"expire\":60,\"publicKey\":\"public_other\"}")) {
            assertThat(send(to("/auth").POST(HttpRequest.BodyPublishers.ofString(body))).statusCode()).as(body).isEqualTo(400);
        }
    }

    @Test
    void preflightAllowsTheSampleClientsHeaders() {
        HttpResponse<String> r = send(to("/auth").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://app.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,customheader,content-type"));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("GET", "POST");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("Authorization", "CustomHeader", "Content-Type");
    }

    @Test
    void servesThePagesAndTheirConfiguration() throws Exception {
        HttpResponse<String> index = send(to("/"));
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(index.body()).contains("/auth");
        JsonNode config = JSON.readTree(send(to("/config")).body());
        assertThat(config.get("publicKey").asText()).isEqualTo(TestServer.PUBLIC_KEY);
        assertThat(config.get("serverUrl").asText()).isEqualTo(server.baseUrl());
        assertThat(config.toString()).doesNotContain(TestServer.PRIVATE_KEY);
        for (String page : List.of("/jquery-v1.html", "/jquery-v2.html")) {
            HttpResponse<String> jquery = send(to(page));
            assertThat(jquery.statusCode()).as(page).isEqualTo(200);
            assertThat(jquery.body()).as(page).contains("<script src=\"" + server.baseUrl() + "/sdk/imagekit-redirect.js\"></script>")
                    .contains("\"" + TestServer.PUBLIC_KEY + "\"").doesNotContain("__UPFRONT_").doesNotContain(TestServer.PRIVATE_KEY);
        }
        HttpResponse<String> jquery = send(to("/vendor/jquery-3.7.1.min.js"));
        assertThat(jquery.statusCode()).isEqualTo(200);
        assertThat(jquery.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(jquery.body()).startsWith("/*! jQuery v3.7.1 |");
        assertThat(send(to("/../pom.xml")).statusCode()).isEqualTo(404);
        assertThat(send(to("/missing.html")).statusCode()).isEqualTo(404);
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}

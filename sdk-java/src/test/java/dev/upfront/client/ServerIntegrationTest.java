package dev.upfront.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.protocol.AuthenticationParameters;
import dev.upfront.protocol.ErrorCodes;
import dev.upfront.testing.Images;
import dev.upfront.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK against a real Upfront server (in-process, real socket, fresh data folder): uploads with each kind of
 * credential, the media API, and delivery URLs fetched back, signed and unsigned.
 */
class ServerIntegrationTest {
    static TestServer server;
    static UpfrontClient client;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = UpfrontClient.builder()
                .publicKey(TestServer.PUBLIC_KEY)
                .privateKey(TestServer.PRIVATE_KEY)
                .urlEndpoint(server.urlEndpoint())
                .baseUrl(server.baseUrl())
                .build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void serverSideUploadStreamsAPathAndReportsProgress() throws Exception {
        byte[] jpeg = Images.jpeg(320, 240);
        Path file = Files.write(tmp.resolve("photo.jpg"), jpeg);
        List<long[]> progress = new ArrayList<>();
        JsonNode uploaded = client.upload(UploadRequest.of(file).folder("/sdk/server-side").useUniqueFileName(false)
                .tags(List.of("a", "b")).progress((sent, total) -> {
                    synchronized (progress) {
                        progress.add(new long[] {sent, total});
                    }
                }).build());

        assertThat(uploaded.get("filePath").asText()).isEqualTo("/sdk/server-side/photo.jpg");
        assertThat(uploaded.get("size").asLong()).isEqualTo(jpeg.length);
        assertThat(client.files().details(uploaded.get("fileId").asText()).get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        long[] last = progress.getLast();
        assertThat(last[0]).isEqualTo(last[1]).isGreaterThan(jpeg.length);
        assertThat(server.getBytes(uploaded.get("url").asText()).body()).isEqualTo(jpeg);
    }

    @Test
    void serverSideUploadStreamsAnInputStreamToV2() {
        byte[] png = Images.png(64, 48);
        AtomicLong total = new AtomicLong();
        JsonNode uploaded = client.upload(UploadRequest.of(new ByteArrayInputStream(png), "stream.png").folder("/sdk/v2")
                .version(ApiVersion.V2).progress((sent, length) -> total.set(length)).build());
        assertThat(uploaded.get("size").asLong()).isEqualTo(png.length);
        assertThat(total.get()).isEqualTo(-1); // a stream's length is unknown: sent chunked
        assertThat(client.files().details(uploaded.get("fileId").asText()).get("filePath").asText())
                .isEqualTo(uploaded.get("filePath").asText());
    }

    @Test
    void v1ClientSideParametersWorkOnceThenTheTokenIsBurned() {
        AuthenticationParameters params = client.getAuthenticationParameters();
        UploadRequest request = UploadRequest.of(new ByteArrayInputStream(Images.png(8, 8)), "v1.png")
                .folder("/sdk/v1").authenticationParameters(params).build();
        assertThat(client.upload(request).get("name").asText()).startsWith("v1");

        UploadRequest again = UploadRequest.of(new ByteArrayInputStream(Images.png(8, 8)), "v1.png")
                .folder("/sdk/v1").authenticationParameters(params).build();
        assertThatThrownBy(() -> client.upload(again)).isInstanceOfSatisfying(UpfrontException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo(ErrorCodes.TOKEN_REUSED);
            assertThat(e.getMessage()).contains("has been used before");
            assertThat(e.requestId()).isNotBlank();
            assertThat(e.toString()).doesNotContain(TestServer.PRIVATE_KEY);
        });
    }

    @Test
    void v2TokenOverTheRequestsOwnFieldsIsAccepted() {
        UploadRequest.Builder builder = UploadRequest.of(new ByteArrayInputStream(Images.png(16, 16)), "v2.png")
                .folder("/sdk/v2-token").useUniqueFileName(false).isPrivateFile(false).tags(List.of("x", "y"))
                .option("responseFields", List.of("tags"));
        String token = client.createUploadToken(builder.build().fields(), Duration.ofMinutes(5));
        JsonNode uploaded = client.upload(builder.uploadToken(token).build());
        assertThat(uploaded.get("filePath").asText()).isEqualTo("/sdk/v2-token/v2.png");
        assertThat(uploaded.get("tags").toString()).isEqualTo("[\"x\",\"y\"]");

        // A token for other fields is refused: the server binds the token to the form.
        String other = client.createUploadToken(Map.of("fileName", "v2.png", "folder", "/elsewhere"), Duration.ofMinutes(5));
        UploadRequest mismatched = UploadRequest.of(new ByteArrayInputStream(Images.png(16, 16)), "v2.png")
                .folder("/sdk/v2-token").uploadToken(other).build();
        assertThatThrownBy(() -> client.upload(mismatched)).isInstanceOfSatisfying(UpfrontException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.JWT_PAYLOAD_MISMATCH));
        assertThatThrownBy(() -> client.createUploadToken(Map.of("fileName", "a"), Duration.ofSeconds(3601)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mediaApiListsSearchesUpdatesVersionsAndDeletes() {
        JsonNode first = uploadTo("/sdk/media", "doc.png", 10);
        JsonNode second = uploadTo("/sdk/media", "doc.png", 12); // same name, no unique suffix: a new version
        String fileId = second.get("fileId").asText();
        assertThat(first.get("fileId").asText()).isEqualTo(fileId);

        JsonNode listed = client.files().list(Map.of("path", "/sdk/media"));
        assertThat(listed).extracting(n -> n.get("fileId").asText()).containsExactly(fileId);
        assertThat(client.files().search("name = \"doc.png\"")).isNotEmpty();

        JsonNode updated = client.files().update(fileId, Map.of("tags", List.of("reviewed")));
        assertThat(updated.get("tags").get(0).asText()).isEqualTo("reviewed");

        JsonNode versions = client.files().versions(fileId);
        assertThat(versions).hasSize(2);
        String oldVersion = first.get("versionInfo").get("id").asText();
        assertThat(client.files().version(fileId, oldVersion).get("versionInfo").get("id").asText()).isEqualTo(oldVersion);
        assertThat(client.files().restoreVersion(fileId, oldVersion).get("versionInfo").get("id").asText()).isEqualTo(oldVersion);

        client.folders().create("made", "/sdk/media");
        assertThat(client.files().list(Map.of("path", "/sdk/media", "type", "folder")))
                .extracting(n -> n.get("name").asText()).contains("made");
        client.folders().delete("/sdk/media/made");

        client.files().delete(fileId);
        assertThatThrownBy(() -> client.files().details(fileId)).isInstanceOfSatisfying(UpfrontException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo(ErrorCodes.FILE_NOT_FOUND);
        });
    }

    @Test
    void customMetadataFields() {
        JsonNode field = client.customMetadataFields().create("sdkPrice", "SDK price", Map.of("type", "Number", "minValue", 0));
        assertThat(client.customMetadataFields().list(false)).extracting(n -> n.get("name").asText()).contains("sdkPrice");
        JsonNode uploaded = client.upload(UploadRequest.of(new ByteArrayInputStream(Images.png(8, 8)), "priced.png")
                .folder("/sdk/meta").customMetadata(Map.of("sdkPrice", 12.5)).build());
        assertThat(client.files().details(uploaded.get("fileId").asText()).get("customMetadata").get("sdkPrice").asDouble())
                .isEqualTo(12.5);
        client.customMetadataFields().delete(field.get("id").asText());
    }

    @Test
    void urlsAreServedAndSignedUrlsOpenPrivateFiles() {
        JsonNode photo = client.upload(UploadRequest.of(new ByteArrayInputStream(Images.jpeg(400, 300)), "u.jpg")
                .folder("/sdk/urls").useUniqueFileName(false).build());
        String path = photo.get("filePath").asText();
        assertThat(client.url(path).build()).isEqualTo(photo.get("url").asText());

        HttpResponse<byte[]> resized = server.getBytes(client.url(path).transformation(Map.of("width", 100)).build());
        assertThat(resized.statusCode()).isEqualTo(200);
        assertThat(Images.decode(resized.body()).size()).isEqualTo("100x75");
        HttpResponse<byte[]> chained = server.getBytes(client.url(path).position(UrlBuilder.Position.QUERY)
                .transformation(Map.of("width", 200)).transformation(Map.of("rotation", 90)).build());
        assertThat(Images.decode(chained.body()).size()).isEqualTo("150x200");

        JsonNode secret = client.upload(UploadRequest.of(new ByteArrayInputStream(Images.png(50, 40)), "s.png")
                .folder("/sdk/urls").isPrivateFile(true).build());
        String secretPath = secret.get("filePath").asText();
        assertThat(server.getBytes(client.url(secretPath).build()).statusCode()).isEqualTo(401);
        assertThat(server.getBytes(client.url(secretPath).signed().build()).statusCode()).isEqualTo(200);
        String expiring = client.url(secretPath).transformation(Map.of("height", 20)).expireSeconds(60).build();
        assertThat(expiring).contains("ik-t=").contains("ik-s=");
        HttpResponse<byte[]> signed = server.getBytes(expiring);
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(Images.decode(signed.body()).size()).isEqualTo("25x20");
        assertThat(server.getBytes(expiring.replace("tr:h-20", "tr:h-21")).statusCode()).isEqualTo(401);
    }

    @Test
    void secretsStayOutOfToString() {
        UploadRequest request = UploadRequest.of(new ByteArrayInputStream(new byte[1]), "x.bin")
                .authenticationParameters(client.getAuthenticationParameters()).build();
        assertThat(client.toString()).contains(TestServer.PUBLIC_KEY).doesNotContain(TestServer.PRIVATE_KEY);
        assertThat(request.toString()).doesNotContain(TestServer.PRIVATE_KEY);
    }

    private static JsonNode uploadTo(String folder, String name, int size) {
        return client.upload(UploadRequest.of(new ByteArrayInputStream(Images.png(size, size)), name)
                .folder(folder).useUniqueFileName(false).build());
    }
}

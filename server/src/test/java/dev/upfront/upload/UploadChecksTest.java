package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.Images;
import dev.upfront.testing.Jwts;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Upload {@code checks} over a real socket: v1 client-side, v2 and server-side uploads, and what a failure leaves. */
class UploadChecksTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createCustomField("price", "{\"type\":\"Number\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> basicUpload(byte[] file, Map<String, String> fields) {
        Multipart m = new Multipart().field("fileName", "c.png").fields(fields).file(file);
        return server.upload(m, "Authorization", TestServer.basic());
    }

    static void assertError(HttpResponse<String> r, String code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(body.get("message").asText()).isEqualTo(message);
    }

    static void assertFailed(HttpResponse<String> r) throws Exception {
        assertError(r, "CHECKS_FAILED", "Your request failed 'checks' validation.");
    }

    static void assertOk(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void failingCheckStoresNothingAndTheTokenStaysBurned() throws Exception {
        int blobsBefore = DataDirCheck.publishedBlobs(server.dataDir()).size();
        Map<String, String> auth = TestServer.v1Auth(600);
        Multipart m = new Multipart().field("fileName", "refused.png").field("checks", "\"file.size\" < 10")
                .fields(auth).file(Images.png(64, 48));
        assertFailed(server.upload(m));

        assertThat(DataDirCheck.publishedBlobs(server.dataDir())).hasSize(blobsBefore);
        assertThat(DataDirCheck.stagingFiles(server.dataDir())).isZero();
        HttpResponse<String> listed = server.get("/v1/files?searchQuery=" + java.net.URLEncoder.encode("name : \"refused\"",
                java.nio.charset.StandardCharsets.UTF_8), "Authorization", TestServer.basic());
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(Json.parse(listed.body())).isEmpty();

        Multipart again = new Multipart().field("fileName", "refused.png").fields(auth).file(Images.png(64, 48));
        HttpResponse<String> reused = server.upload(again);
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(Json.parse(reused.body()).get("code").asText()).isEqualTo("TOKEN_REUSED");
    }

    @Test
    void passingCheckUploadsWithClientSideV1Auth() throws Exception {
        Multipart m = new Multipart().field("fileName", "ok.png").field("checks", "'file.mime' IN ['image/jpeg','image/png']")
                .fields(TestServer.v1Auth(600)).file(Images.png(64, 48));
        assertOk(server.upload(m));
    }

    @Test
    void checksTravelInTheV2TokenAndApply() throws Exception {
        for (String checks : new String[] {"\"mediaMetadata.height\" <= 48", "\"mediaMetadata.height\" > 48"}) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("fileName", "v2.png");
            fields.put("checks", checks);
            Multipart m = new Multipart().file(Images.png(64, 48));
            fields.forEach(m::field);
            m.field("token", Jwts.hs256(Jwts.payload(fields, 600), TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY));
            HttpResponse<String> r = server.post("/api/v2/files/upload", m);
            if (checks.contains("<=")) {
                assertOk(r);
            } else {
                assertFailed(r);
            }
        }
    }

    @Test
    void folderComparesWithoutLeadingOrTrailingSlashes() throws Exception {
        String checks = "\"request.folder\" : \"marketing/\"";
        assertOk(basicUpload(Images.png(8, 8), Map.of("folder", "marketing/summer", "checks", checks)));
        assertOk(basicUpload(Images.png(8, 8), Map.of("folder", "/marketing/summer/", "checks", checks)));
        assertOk(basicUpload(Images.png(8, 8), Map.of("folder", "/marketing", "checks", checks)));
        assertFailed(basicUpload(Images.png(8, 8), Map.of("folder", "/marketingx/", "checks", checks)));
        assertFailed(basicUpload(Images.png(8, 8), Map.of("folder", "/sales/marketing/", "checks", checks)));
        assertOk(basicUpload(Images.png(8, 8), Map.of("folder", "/engineering/", "checks", "\"request.folder\" = \"engineering\"")));
    }

    @Test
    void fileSizeTakesUnits() throws Exception {
        byte[] big = new byte[1536 * 1024];
        new java.util.Random(1).nextBytes(big);
        assertFailed(basicUpload(big, Map.of("checks", "'file.size' < '1MB'")));
        assertOk(basicUpload(big, Map.of("checks", "'file.size' < '2MB' AND \"file.size\" > \"1mb\"")));
        assertOk(basicUpload(big, Map.of("checks", "\"file.size\" >= 1572864")));
        assertFailed(basicUpload(big, Map.of("checks", "\"file.size\" <= \"10kb\"")));
    }

    @Test
    void mediaMetadataWidthComesFromTheBytes() throws Exception {
        assertOk(basicUpload(Images.png(640, 480), Map.of("checks", "\"mediaMetadata.width\" = 640 AND \"mediaMetadata.height\" < 500")));
        assertFailed(basicUpload(Images.png(640, 480), Map.of("checks", "\"mediaMetadata.width\" <= 500")));
        // A non-image has no width: a width check fails rather than passing by default.
        assertFailed(basicUpload("text".getBytes(), Map.of("checks", "\"mediaMetadata.width\" >= 0")));
    }

    @Test
    void customMetadataNumberFieldComparesAsANumber() throws Exception {
        String checks = "\"request.customMetadata.price\" >= 100 AND \"request.customMetadata.price\" < 1000";
        assertOk(basicUpload(Images.png(8, 8), Map.of("customMetadata", "{\"price\": 500}", "checks", checks)));
        assertFailed(basicUpload(Images.png(8, 8), Map.of("customMetadata", "{\"price\": 99.5}", "checks", checks)));
        assertFailed(basicUpload(Images.png(8, 8), Map.of("checks", checks)));
        // A Number field takes no prefix operator, and a field that does not exist cannot be checked.
        assertInvalid(basicUpload(Images.png(8, 8), Map.of("customMetadata", "{\"price\": 5}", "checks", "\"request.customMetadata.price\" : 5")));
        assertInvalid(basicUpload(Images.png(8, 8), Map.of("checks", "\"request.customMetadata.nope\" = 1")));
    }

    @Test
    void unparsableChecksAreRefusedAndStoreNothing() throws Exception {
        int blobsBefore = DataDirCheck.publishedBlobs(server.dataDir()).size();
        assertInvalid(basicUpload(Images.png(8, 8), Map.of("checks", "file.size < 1024")));
        assertInvalid(basicUpload(Images.png(8, 8), Map.of("checks", "\"file.width\" < 1024")));
        assertInvalid(basicUpload(Images.png(8, 8), Map.of("checks", "\"file.size\" < 1024 AND")));
        assertThat(DataDirCheck.publishedBlobs(server.dataDir())).hasSize(blobsBefore);
    }

    static void assertInvalid(HttpResponse<String> r) throws Exception {
        assertError(r, "CHECKS_INVALID", "Your request contains invalid syntax for the checks parameter.");
    }
}

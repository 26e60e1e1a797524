package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.auth.Hmac;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upload fields of PRODUCT.md §3.2 and the response of §3.4, each checked over a real socket. */
class UploadFieldsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        // customMetadata keys must be defined fields (reference §9).
        server.createCustomField("brand", "{\"type\":\"Text\"}");
        server.createCustomField("price", "{\"type\":\"Number\"}");
        server.createCustomField("stock", "{\"type\":\"Number\"}");
        server.createCustomField("onSale", "{\"type\":\"Boolean\"}");
        server.createCustomField("sizes", "{\"type\":\"MultiSelect\",\"selectOptions\":[\"S\",\"M\",\"L\"]}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode upload(Multipart m) throws Exception {
        HttpResponse<String> r = server.upload(m, "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static JsonNode uploadText(String fileName, String content, Map<String, String> fields) throws Exception {
        return upload(new Multipart().field("fileName", fileName).fields(fields).file(content.getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode details(String fileId) throws Exception {
        HttpResponse<String> r = server.get("/v1/files/" + fileId + "/details", "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static Set<String> keys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            out.add(it.next().asText());
        }
        return out;
    }

    // ---- fileName and useUniqueFileName

    @Test
    void fileNameCharactersOutsideTheAllowedSetBecomeUnderscores() throws Exception {
        JsonNode r = uploadText("my file (1)+x#&?=é.txt", "x", Map.of("useUniqueFileName", "false"));
        assertThat(r.get("name").asText()).isEqualTo("my_file__1__x____é.txt");
        assertThat(r.get("filePath").asText()).isEqualTo("/my_file__1__x____é.txt");
        assertThat(server.getBytes(r.get("url").asText()).body()).isEqualTo("x".getBytes());
    }

    @Test
    void dotsDashesAndUnderscoresAreKept() throws Exception {
        JsonNode r = uploadText("a.b-c_d.tar.gz", "x", Map.of("useUniqueFileName", "false"));
        assertThat(r.get("name").asText()).isEqualTo("a.b-c_d.tar.gz");
    }

    @Test
    void uniqueFileNameIsTheDefault() throws Exception {
        JsonNode first = uploadText("a.txt", "one", Map.of());
        JsonNode second = uploadText("a.txt", "two", Map.of());
        assertThat(first.get("name").asText()).matches("a_[A-Za-z0-9_-]{9}\\.txt");
        assertThat(second.get("name").asText()).matches("a_[A-Za-z0-9_-]{9}\\.txt");
        assertThat(first.get("name").asText()).isNotEqualTo(second.get("name").asText());
        assertThat(first.get("fileId").asText()).isNotEqualTo(second.get("fileId").asText());
        assertThat(first.get("filePath").asText()).isEqualTo("/" + first.get("name").asText());
        assertThat(server.getBytes(first.get("url").asText()).body()).isEqualTo("one".getBytes());
        assertThat(server.getBytes(second.get("url").asText()).body()).isEqualTo("two".getBytes());
    }

    @Test
    void uniqueSuffixGoesBeforeTheLastExtensionOrAtTheEnd() throws Exception {
        assertThat(uploadText("archive.tar.gz", "x", Map.of()).get("name").asText()).matches("archive\\.tar_[A-Za-z0-9_-]{9}\\.gz");
        assertThat(uploadText("Test", "x", Map.of("useUniqueFileName", "true")).get("name").asText()).matches("Test_[A-Za-z0-9_-]{9}");
    }

    @Test
    void useUniqueFileNameFalseKeepsTheName() throws Exception {
        JsonNode r = uploadText("kept-name.txt", "x", Map.of("useUniqueFileName", "false"));
        assertThat(r.get("name").asText()).isEqualTo("kept-name.txt");
        assertThat(r.get("filePath").asText()).isEqualTo("/kept-name.txt");
        assertThat(r.get("url").asText()).isEqualTo(server.urlEndpoint() + "/kept-name.txt");
    }

    // ---- tags, folder, flags, coordinates, metadata, description

    @Test
    void tagsAreSplitOnCommasAndTrimmed() throws Exception {
        JsonNode r = uploadText("t.txt", "x", Map.of("tags", " summer , dress,,sale ", "responseFields", "tags"));
        assertThat(texts(r.get("tags"))).containsExactly("summer", "dress", "sale");
        assertThat(texts(details(r.get("fileId").asText()).get("tags"))).containsExactly("summer", "dress", "sale");
    }

    @Test
    void tagsAreOnlyInTheResponseWhenAskedFor() throws Exception {
        JsonNode r = uploadText("t.txt", "x", Map.of("tags", "a,b"));
        assertThat(r.has("tags")).isFalse();
        assertThat(texts(details(r.get("fileId").asText()).get("tags"))).containsExactly("a", "b");
    }

    @Test
    void noTagsIsNull() throws Exception {
        JsonNode r = uploadText("t.txt", "x", Map.of("responseFields", "tags"));
        assertThat(r.has("tags")).isTrue();
        assertThat(r.get("tags").isNull()).isTrue();
    }

    @Test
    void folderIsCreatedAsNeeded() throws Exception {
        JsonNode r = uploadText("name.txt", "in a folder", Map.of("folder", "folder/sub", "useUniqueFileName", "false"));
        assertThat(r.get("filePath").asText()).isEqualTo("/folder/sub/name.txt");
        assertThat(r.get("url").asText()).isEqualTo(server.urlEndpoint() + "/folder/sub/name.txt");
        assertThat(server.getBytes(r.get("url").asText()).body()).isEqualTo("in a folder".getBytes());
        assertThat(details(r.get("fileId").asText()).get("filePath").asText()).isEqualTo("/folder/sub/name.txt");
    }

    @Test
    void folderSlashesAreNormalised() throws Exception {
        for (String folder : List.of("/images/2024/", "images/2024", "//images//2024//", " /images/2024/ ")) {
            JsonNode r = uploadText("n.txt", "x", Map.of("folder", folder));
            assertThat(r.get("filePath").asText()).as(folder).matches("/images/2024/n_[A-Za-z0-9_-]{9}\\.txt");
        }
        JsonNode root = uploadText("n.txt", "x", Map.of("folder", "/"));
        assertThat(root.get("filePath").asText()).matches("/n_[A-Za-z0-9_-]{9}\\.txt");
    }

    @Test
    void folderCharactersOutsideTheAllowedSetBecomeUnderscores() throws Exception {
        JsonNode r = uploadText("n.txt", "x", Map.of("folder", "/my folder/a.b+c/", "useUniqueFileName", "false"));
        assertThat(r.get("filePath").asText()).isEqualTo("/my_folder/a_b_c/n.txt");
    }

    @Test
    void privateFileNeedsASignedUrl() throws Exception {
        JsonNode r = uploadText("secret.txt", "secret", Map.of("isPrivateFile", "true", "responseFields", "isPrivateFile"));
        assertThat(r.get("isPrivateFile").asBoolean()).isTrue();
        String url = r.get("url").asText();
        HttpResponse<String> unsigned = server.get(url);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(Json.parse(unsigned.body()).get("code").asText()).isEqualTo("SIGNED_URL_REQUIRED");

        String signature = Hmac.sha1Hex(TestServer.PRIVATE_KEY, url.substring(server.urlEndpoint().length() + 1) + "9999999999");
        HttpResponse<byte[]> signed = server.getBytes(url + "?ik-s=" + signature);
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.body()).isEqualTo("secret".getBytes());
        assertThat(details(r.get("fileId").asText()).get("isPrivateFile").asBoolean()).isTrue();
    }

    @Test
    void publicIsTheDefault() throws Exception {
        JsonNode r = uploadText("p.txt", "x", Map.of("responseFields", "isPrivateFile,isPublished"));
        assertThat(r.get("isPrivateFile").asBoolean()).isFalse();
        assertThat(r.get("isPublished").asBoolean()).isTrue();
        assertThat(server.get(r.get("url").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void unpublishedFileIsNotDelivered() throws Exception {
        JsonNode r = uploadText("draft.txt", "draft", Map.of("isPublished", "false", "responseFields", "isPublished"));
        assertThat(r.get("isPublished").asBoolean()).isFalse();
        assertThat(server.get(r.get("url").asText()).statusCode()).isEqualTo(404);
        assertThat(details(r.get("fileId").asText()).get("isPublished").asBoolean()).isFalse();
    }

    @Test
    void customCoordinatesRoundTrip() throws Exception {
        JsonNode r = uploadText("c.txt", "x", Map.of("customCoordinates", "10,10,100,100", "responseFields", "customCoordinates"));
        assertThat(r.get("customCoordinates").asText()).isEqualTo("10,10,100,100");
        assertThat(details(r.get("fileId").asText()).get("customCoordinates").asText()).isEqualTo("10,10,100,100");
        JsonNode none = uploadText("c.txt", "x", Map.of("responseFields", "customCoordinates"));
        assertThat(none.get("customCoordinates").isNull()).isTrue();
    }

    @Test
    void aUniqueSuffixNeverPushesANamePastTheLimit() throws Exception {
        String longName = "é".repeat(120) + "-long.txt"; // 249 bytes of UTF-8
        HttpResponse<String> r = server.upload(new Multipart().field("fileName", longName).file("x".getBytes()),
                "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String name = Json.parse(r.body()).get("name").asText();
        assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(name).endsWith(".txt").matches(".*_[A-Za-z0-9_-]{9}\\.txt");
    }

    @Test
    void customMetadataMustUseDefinedFieldsAndFitThem() throws Exception {
        for (String[] c : new String[][] {{"{\"colour\":\"red\"}", "colour"}, {"{\"price\":\"cheap\"}", "price"},
                {"{\"sizes\":[\"XXL\"]}", "sizes"}}) {
            HttpResponse<String> r = server.upload(new Multipart().field("fileName", "cm.txt").field("customMetadata", c[0])
                    .file("x".getBytes()), "Authorization", TestServer.basic());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            JsonNode body = Json.parse(r.body());
            assertThat(body.get("code").asText()).isEqualTo("CUSTOM_METADATA_INVALID");
            assertThat(body.get("message").asText()).contains(c[1]);
            assertThat(body.get("errors").has(c[1])).isTrue();
        }
    }

    @Test
    void customMetadataRoundTrips() throws Exception {
        String metadata = "{\"brand\":\"Nike\",\"price\":12.5,\"stock\":3,\"onSale\":true,\"sizes\":[\"S\",\"M\"]}";
        JsonNode r = uploadText("m.txt", "x", Map.of("customMetadata", metadata, "responseFields", "customMetadata"));
        JsonNode expected = Json.parse(metadata);
        assertThat(r.get("customMetadata")).isEqualTo(expected);
        assertThat(details(r.get("fileId").asText()).get("customMetadata")).isEqualTo(expected);
    }

    @Test
    void noCustomMetadataIsAnEmptyObject() throws Exception {
        JsonNode r = uploadText("m.txt", "x", Map.of("responseFields", "customMetadata"));
        assertThat(r.get("customMetadata").isObject()).isTrue();
        assertThat(r.get("customMetadata").size()).isZero();
    }

    @Test
    void descriptionRoundTrips() throws Exception {
        JsonNode r = uploadText("d.txt", "x", Map.of("description", "Running shoes, größe 42 👟"));
        assertThat(r.get("description").asText()).isEqualTo("Running shoes, größe 42 👟");
        assertThat(details(r.get("fileId").asText()).get("description").asText()).isEqualTo("Running shoes, größe 42 👟");
        assertThat(uploadText("d.txt", "x", Map.of()).get("description").isNull()).isTrue();
    }

    // ---- the response

    @Test
    void defaultImageResponseHasExactlyTheDefaultFields() throws Exception {
        JsonNode r = upload(new Multipart().field("fileName", "photo.png").file("file", "photo.png", "image/png", Images.png(40, 30)));
        assertThat(keys(r)).containsExactlyInAnyOrder("fileId", "name", "size", "versionInfo", "filePath", "url", "fileType",
                "height", "width", "thumbnailUrl", "AITags", "description");
        String fileId = r.get("fileId").asText();
        assertThat(fileId).matches("[0-9a-f]{24}");
        assertThat(r.get("versionInfo").get("id").asText()).isEqualTo(fileId);
        assertThat(r.get("versionInfo").get("name").asText()).isEqualTo("Version 1");
        assertThat(keys(r.get("versionInfo"))).containsExactlyInAnyOrder("id", "name");
        assertThat(r.get("size").asLong()).isEqualTo(Images.png(40, 30).length);
        assertThat(r.get("fileType").asText()).isEqualTo("image");
        assertThat(r.get("width").asInt()).isEqualTo(40);
        assertThat(r.get("height").asInt()).isEqualTo(30);
        String filePath = r.get("filePath").asText();
        assertThat(r.get("url").asText()).isEqualTo(server.urlEndpoint() + filePath);
        assertThat(r.get("thumbnailUrl").asText()).isEqualTo(server.urlEndpoint() + "/tr:n-ik_ml_thumbnail" + filePath);
        assertThat(r.get("AITags").isNull()).isTrue();
        assertThat(r.get("description").isNull()).isTrue();
    }

    @Test
    void nonImageResponseHasNoOptionalFields() throws Exception {
        JsonNode r = uploadText("notes.txt", "just text", Map.of());
        assertThat(r.get("fileType").asText()).isEqualTo("non-image");
        assertThat(keys(r)).contains("fileId", "name", "size", "versionInfo", "filePath", "url", "fileType", "AITags", "description");
        assertThat(keys(r)).doesNotContain("tags", "customCoordinates", "isPrivateFile", "isPublished", "customMetadata",
                "embeddedMetadata", "metadata", "height", "width");
    }

    @Test
    void everyResponseFieldCanBeAskedFor() throws Exception {
        JsonNode r = upload(new Multipart().field("fileName", "all.png")
                .field("responseFields", "tags,customCoordinates,isPrivateFile,embeddedMetadata,isPublished,customMetadata,metadata")
                .file("file", "all.png", "image/png", Images.png(5, 6)));
        assertThat(keys(r)).contains("tags", "customCoordinates", "isPrivateFile", "embeddedMetadata", "isPublished",
                "customMetadata", "metadata");
        assertThat(r.get("metadata").get("width").asInt()).isEqualTo(5);
        assertThat(r.get("metadata").get("height").asInt()).isEqualTo(6);
        assertThat(r.get("metadata").get("format").asText()).isEqualTo("png");
    }

    // ---- how the file arrives

    @Test
    void base64DataUriAndBinaryGiveIdenticalBytes() throws Exception {
        byte[] png = Images.png(17, 9);
        String b64 = Base64.getEncoder().encodeToString(png);
        List<JsonNode> results = List.of(
                upload(new Multipart().field("fileName", "bin.png").file("file", "bin.png", "image/png", png)),
                upload(new Multipart().field("fileName", "b64.png").field("file", b64)),
                upload(new Multipart().field("fileName", "uri.png").field("file", "data:image/png;base64," + b64)),
                upload(new Multipart().field("fileName", "mime.png").field("file", Base64.getMimeEncoder().encodeToString(png))),
                upload(new Multipart().field("fileName", "url-safe.png").field("file", Base64.getUrlEncoder().encodeToString(png))));
        for (JsonNode r : results) {
            assertThat(r.get("size").asLong()).as(r.get("name").asText()).isEqualTo(png.length);
            assertThat(r.get("fileType").asText()).isEqualTo("image");
            assertThat(r.get("width").asInt()).isEqualTo(17);
            HttpResponse<byte[]> got = server.getBytes(r.get("url").asText());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).as(r.get("name").asText()).isEqualTo(png);
        }
    }

    @Test
    void dataUriPrefixIsCaseInsensitive() throws Exception {
        byte[] gif = Images.gif(3, 3);
        JsonNode r = upload(new Multipart().field("fileName", "g.gif")
                .field("file", "DATA:image/gif;BASE64," + Base64.getEncoder().encodeToString(gif)));
        assertThat(server.getBytes(r.get("url").asText()).body()).isEqualTo(gif);
    }

    @Test
    void fieldsMayComeInAnyOrder() throws Exception {
        byte[] content = "order does not matter".getBytes();
        Multipart fileFirst = new Multipart().file(content).field("folder", "order").field("tags", "first")
                .field("useUniqueFileName", "false").field("responseFields", "tags").field("fileName", "file-first.txt");
        Multipart fileLast = new Multipart().field("fileName", "file-last.txt").field("folder", "order")
                .field("tags", "last").field("useUniqueFileName", "false").field("responseFields", "tags").file(content);
        Multipart fileMiddle = new Multipart().field("folder", "order").file(content).field("fileName", "file-middle.txt")
                .field("useUniqueFileName", "false");
        JsonNode first = upload(fileFirst);
        JsonNode last = upload(fileLast);
        JsonNode middle = upload(fileMiddle);
        assertThat(first.get("filePath").asText()).isEqualTo("/order/file-first.txt");
        assertThat(last.get("filePath").asText()).isEqualTo("/order/file-last.txt");
        assertThat(middle.get("filePath").asText()).isEqualTo("/order/file-middle.txt");
        assertThat(texts(first.get("tags"))).containsExactly("first");
        assertThat(texts(last.get("tags"))).containsExactly("last");
        for (JsonNode r : List.of(first, last, middle)) {
            assertThat(server.getBytes(r.get("url").asText()).body()).isEqualTo(content);
        }
    }

    @Test
    void clientSideAuthFieldsAfterTheFileWork() throws Exception {
        Multipart m = new Multipart().field("fileName", "late-auth.txt").file("auth last".getBytes()).fields(TestServer.v1Auth(600));
        HttpResponse<String> r = server.upload(m);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(server.getBytes(Json.parse(r.body()).get("url").asText()).body()).isEqualTo("auth last".getBytes());
    }

    // ---- type detection and inspection

    @Test
    void typeComesFromTheBytesNotTheNameOrContentType() throws Exception {
        byte[] png = Images.png(12, 7);
        JsonNode r = upload(new Multipart().field("fileName", "x.txt").file("file", "x.txt", "text/plain", png));
        assertThat(r.get("fileType").asText()).isEqualTo("image");
        assertThat(r.get("name").asText()).matches("x_[A-Za-z0-9_-]{9}\\.txt");
        assertThat(r.get("width").asInt()).isEqualTo(12);
        assertThat(r.get("height").asInt()).isEqualTo(7);
        JsonNode d = details(r.get("fileId").asText());
        assertThat(d.get("mime").asText()).isEqualTo("image/png");
        assertThat(d.get("fileType").asText()).isEqualTo("image");
        HttpResponse<byte[]> got = server.getBytes(r.get("url").asText());
        assertThat(got.headers().firstValue("content-type")).contains("image/png");
        assertThat(got.body()).isEqualTo(png);
    }

    @Test
    void textNamedLikeAnImageIsNotAnImage() throws Exception {
        JsonNode r = upload(new Multipart().field("fileName", "fake.jpg").file("file", "fake.jpg", "image/jpeg",
                "definitely not a jpeg".getBytes()));
        assertThat(r.get("fileType").asText()).isEqualTo("non-image");
        assertThat(r.has("width")).isFalse();
        assertThat(details(r.get("fileId").asText()).get("mime").asText()).isNotEqualTo("image/jpeg");
        assertThat(server.getBytes(r.get("url").asText()).headers().firstValue("content-type").orElse("")).doesNotStartWith("image/");
    }

    @Test
    void dimensionsOfPngJpegAndGif() throws Exception {
        record Sample(String name, byte[] bytes, String mime, int width, int height) {}
        for (Sample s : List.of(new Sample("p.png", Images.png(31, 17), "image/png", 31, 17),
                new Sample("j.jpg", Images.jpeg(64, 48), "image/jpeg", 64, 48),
                new Sample("g.gif", Images.gif(5, 9), "image/gif", 5, 9))) {
            JsonNode r = upload(new Multipart().field("fileName", s.name()).file("file", s.name(), "application/octet-stream", s.bytes()));
            assertThat(r.get("fileType").asText()).as(s.name()).isEqualTo("image");
            assertThat(r.get("width").asInt()).as(s.name()).isEqualTo(s.width());
            assertThat(r.get("height").asInt()).as(s.name()).isEqualTo(s.height());
            JsonNode d = details(r.get("fileId").asText());
            assertThat(d.get("mime").asText()).isEqualTo(s.mime());
            assertThat(d.get("width").asInt()).isEqualTo(s.width());
            assertThat(d.get("height").asInt()).isEqualTo(s.height());
            assertThat(server.getBytes(r.get("url").asText()).headers().firstValue("content-type")).contains(s.mime());
        }
    }

    @Test
    void exifMakeAndModelAppearInEmbeddedMetadata() throws Exception {
        byte[] jpeg = Images.jpegWithExif(20, 10, "Upfront Camera Co", "Model X-100");
        JsonNode r = upload(new Multipart().field("fileName", "exif.jpg").field("responseFields", "embeddedMetadata")
                .file("file", "exif.jpg", "image/jpeg", jpeg));
        JsonNode embedded = r.get("embeddedMetadata");
        assertThat(embedded.get("Make").asText()).isEqualTo("Upfront Camera Co");
        assertThat(embedded.get("Model").asText()).isEqualTo("Model X-100");
        assertThat(r.get("width").asInt()).isEqualTo(20);
        assertThat(r.get("height").asInt()).isEqualTo(10);
        assertThat(details(r.get("fileId").asText()).get("embeddedMetadata").get("Make").asText()).isEqualTo("Upfront Camera Co");
        assertThat(server.getBytes(r.get("url").asText()).body()).isEqualTo(jpeg);
    }

    @Test
    void imageWithoutMetadataHasEmptyEmbeddedMetadata() throws Exception {
        JsonNode r = upload(new Multipart().field("fileName", "plain.png").field("responseFields", "embeddedMetadata")
                .file("file", "plain.png", "image/png", Images.png(4, 4)));
        assertThat(r.get("embeddedMetadata").isObject()).isTrue();
        assertThat(r.get("embeddedMetadata").has("Make")).isFalse();
    }

    /**
     * {@code jpeg} with an EXIF APP1 segment inserted right after its SOI marker: "Exif\0\0", then a big-endian
     * TIFF header and one IFD holding Make (0x010F) and Model (0x0110) as ASCII.
     */
}

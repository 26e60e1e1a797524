package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.RawHttp;
import dev.upfront.testing.TestServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad upload input (PRODUCT.md §3.2, §3.5): every case is a 4xx with a stable code, stores nothing (no blob, an
 * empty staging folder) and leaves the server healthy. Server-side Basic auth throughout, so auth is never what
 * fails. The server runs with a 1 MB file limit so the oversize case is cheap.
 */
class BadInputTest {
    static final int LIMIT = 1024 * 1024;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("UPFRONT_MAX_FILE_SIZE", "1MB"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One request on the wire: a Content-Type and the raw body. */
    record Body(String contentType, byte[] bytes) {
        static Body of(Multipart m) {
            return new Body(m.contentType(), m.bytes());
        }
    }

    /** A table row: what is sent and the error it must get. {@code mentions} must appear in the message. */
    record Case(String name, Supplier<Body> body, int status, String code, String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case bad(String name, Supplier<Body> body, String code, String mentions) {
        return new Case(name, body, 400, code, mentions);
    }

    /** A valid form except for the given field values; the file is a small text file. */
    static Supplier<Body> form(Map<String, String> fields) {
        return () -> {
            Multipart m = new Multipart();
            if (!fields.containsKey("fileName")) {
                m.field("fileName", "bad.txt");
            }
            m.fields(fields);
            return Body.of(m.file("hello".getBytes()));
        };
    }

    static Supplier<Body> form(String name, String value) {
        return form(Map.of(name, value));
    }

    static Supplier<Body> fileName(byte[] rawName) {
        return () -> Body.of(new Multipart().rawField("fileName", rawName).file("hello".getBytes()));
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();

        // The body itself
        cases.add(bad("truncated multipart (no closing boundary)", () -> {
            Multipart m = new Multipart().field("fileName", "a.txt").file("partial content".getBytes());
            return new Body(m.contentType(), m.unterminated());
        }, "MALFORMED_MULTIPART", "closing boundary"));
        cases.add(bad("truncated in the middle of the file part", () -> {
            Multipart m = new Multipart().field("fileName", "a.txt").file(new byte[200_000]);
            byte[] all = m.unterminated();
            return new Body(m.contentType(), Arrays.copyOf(all, all.length - 100_000));
        }, "MALFORMED_MULTIPART", "closing boundary"));
        cases.add(bad("multipart Content-Type without boundary", () -> {
            Multipart m = new Multipart().field("fileName", "a.txt").file("x".getBytes());
            return new Body("multipart/form-data", m.bytes());
        }, "NOT_MULTIPART", "multipart/form-data"));
        cases.add(bad("boundary with an unterminated quote", () -> {
            Multipart m = new Multipart().field("fileName", "a.txt").file("x".getBytes());
            return new Body("multipart/form-data; boundary=\"" + m.boundary(), m.bytes());
        }, "NOT_MULTIPART", "multipart/form-data"));
        cases.add(bad("application/json body", () -> new Body("application/json",
                "{\"fileName\":\"a.txt\",\"file\":\"aGVsbG8=\"}".getBytes(StandardCharsets.UTF_8)), "NOT_MULTIPART", "multipart"));
        cases.add(bad("urlencoded body", () -> new Body("application/x-www-form-urlencoded",
                "fileName=a.txt&file=aGVsbG8%3D".getBytes(StandardCharsets.US_ASCII)), "NOT_MULTIPART", "multipart"));
        cases.add(bad("two fileName parts", () -> Body.of(new Multipart().field("fileName", "a.txt")
                .field("fileName", "b.txt").file("x".getBytes())), "DUPLICATE_FIELD", "fileName"));
        cases.add(bad("two file parts", () -> Body.of(new Multipart().field("fileName", "a.txt")
                .file("first".getBytes()).file("second".getBytes())), "DUPLICATE_FIELD", "file"));
        cases.add(bad("a binary file part and a text file part", () -> Body.of(new Multipart().field("fileName", "a.txt")
                .file("first".getBytes()).field("file", "c2Vjb25k")), "DUPLICATE_FIELD", "file"));
        cases.add(bad("10 000 fields", () -> {
            Multipart m = new Multipart().field("fileName", "a.txt").file("x".getBytes());
            for (int i = 0; i < 10_000; i++) {
                m.field("f" + i, "v");
            }
            return Body.of(m);
        }, "TOO_MANY_FIELDS", "parameters"));
        cases.add(bad("a 1 MB text field", form("description", "d".repeat(1024 * 1024)), "FIELD_TOO_LARGE", "description"));
        cases.add(bad("text fields of 300 KB together", () -> {
            Multipart m = new Multipart().field("fileName", "a.txt");
            for (int i = 0; i < 5; i++) {
                m.field("customField" + i, "v".repeat(60_000));
            }
            return Body.of(m.file("x".getBytes()));
        }, "FIELDS_TOO_LARGE", "262144 bytes"));
        cases.add(bad("a part without a name", () -> {
            Multipart m = new Multipart().field("fileName", "a.txt").file("x".getBytes());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(m.unterminated());
            body.writeBytes(("--" + m.boundary() + "\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n"
                    + "--" + m.boundary() + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return new Body(m.contentType(), body.toByteArray());
        }, "MALFORMED_MULTIPART", "no name"));

        // fileName
        cases.add(bad("CR/LF in fileName", form("fileName", "a\r\nb.txt"), "INVALID_FIELD", "fileName"));
        cases.add(bad("LF in fileName", form("fileName", "a\nb.txt"), "INVALID_FIELD", "fileName"));
        cases.add(bad("NUL byte in fileName", form("fileName", "a\0b.txt"), "INVALID_FIELD", "fileName"));
        cases.add(bad("invalid UTF-8 in fileName", fileName(new byte[] {'a', (byte) 0xC3, (byte) 0x28, '.', 't', 'x', 't'}),
                "INVALID_FIELD", "fileName"));
        cases.add(bad("lone continuation byte in fileName", fileName(new byte[] {'a', (byte) 0x80, '.', 't', 'x', 't'}),
                "INVALID_FIELD", "fileName"));
        cases.add(bad("overlong UTF-8 '/' in fileName", fileName(new byte[] {'a', (byte) 0xC0, (byte) 0xAF, 'b'}),
                "INVALID_FIELD", "fileName"));
        cases.add(bad("../ in fileName", form("fileName", "../etc/passwd"), "INVALID_FIELD", "fileName"));
        cases.add(bad("..\\ in fileName", form("fileName", "..\\boot.ini"), "INVALID_FIELD", "fileName"));
        cases.add(bad("fileName '..'", form("fileName", ".."), "INVALID_FIELD", "fileName"));
        cases.add(bad("fileName too long", form("fileName", "a".repeat(300) + ".txt"), "INVALID_FIELD", "fileName"));
        cases.add(bad("missing fileName", () -> Body.of(new Multipart().file("x".getBytes())), "MISSING_FILE_NAME", "fileName"));
        cases.add(bad("empty fileName", form("fileName", ""), "MISSING_FILE_NAME", "fileName"));

        // folder
        cases.add(bad("../ in folder", form("folder", "a/../../etc"), "INVALID_FIELD", "folder"));
        cases.add(bad("leading .. in folder", form("folder", "../outside"), "INVALID_FIELD", "folder"));
        cases.add(bad("'.' segment in folder", form("folder", "/a/./b/"), "INVALID_FIELD", "folder"));
        cases.add(bad("NUL in folder", form("folder", "/a\0b/"), "INVALID_FIELD", "folder"));
        cases.add(bad("folder nested 51 levels", form("folder", "/" + "d/".repeat(51)), "INVALID_FIELD", "folder"));

        // booleans: exactly "true" or "false"
        for (String field : List.of("useUniqueFileName", "isPrivateFile", "isPublished", "overwriteFile",
                "overwriteAITags", "overwriteTags", "overwriteCustomMetadata")) {
            for (String value : List.of("yes", "TRUE", "True", "1", "0", "", " true", "false ")) {
                cases.add(bad(field + "=\"" + value + "\"", form(field, value), "INVALID_BOOLEAN", field));
            }
        }

        // customMetadata: a JSON object
        for (String value : List.of("{", "[1,2]", "\"x\"", "{\"a\":1} trailing", "null", "42", "", "{\"a\":1,\"a\":2}")) {
            cases.add(bad("customMetadata " + value, form("customMetadata", value), "INVALID_FIELD", "customMetadata"));
        }

        // Fields this server does not implement: refused by name
        cases.add(bad("transformation that is not JSON", form("transformation", "{pre:w-100"), "UPLOAD_TRANSFORMATION_INVALID", "transformation field is invalid"));
        cases.add(bad("transformation of a text file", form("transformation", "{\"pre\":\"w-100\"}"), "UPLOAD_TRANSFORMATION_MEDIA", "only for image and video files"));
        cases.add(bad("checks that do not parse", form("checks", "file.size < \"1mb\""), "CHECKS_INVALID", "invalid syntax for the checks parameter"));
        cases.add(bad("checks that fail", form("checks", "\"file.size\" > \"1mb\""), "CHECKS_FAILED", "failed 'checks' validation"));
        for (String url : List.of("not a url", "ftp://example.com/hook", "/relative/hook", "https://", "javascript:alert(1)")) {
            cases.add(bad("webhookUrl " + url, form("webhookUrl", url), "INVALID_FIELD", "webhookUrl"));
        }
        cases.add(bad("extensions", form("extensions", "[{\"name\":\"google-auto-tagging\"}]"), "FIELD_NOT_SUPPORTED", "extensions"));

        // file
        cases.add(bad("missing file", () -> Body.of(new Multipart().field("fileName", "a.txt")), "MISSING_FILE", "file"));
        cases.add(bad("empty file text", () -> Body.of(new Multipart().field("fileName", "a.txt").field("file", "")),
                "MISSING_FILE", "file"));
        cases.add(bad("invalid base64 file text", () -> Body.of(new Multipart().field("fileName", "a.txt")
                .field("file", "this is not base64!")), "INVALID_FILE", "base64"));
        cases.add(bad("base64 with a bad length", () -> Body.of(new Multipart().field("fileName", "a.txt")
                .field("file", "aGVsbG8gd29ybGQ")), "INVALID_FILE", "base64"));
        cases.add(bad("data: URI that is not base64", () -> Body.of(new Multipart().field("fileName", "a.txt")
                .field("file", "data:text/plain,hello")), "INVALID_FILE", "data: URI"));
        cases.add(bad("data: URI with bad base64", () -> Body.of(new Multipart().field("fileName", "a.png")
                .field("file", "data:image/png;base64,@@@@")), "INVALID_FILE", "base64"));
        cases.add(bad("empty binary file", () -> Body.of(new Multipart().field("fileName", "a.txt").file(new byte[0])),
                "INVALID_FILE", "empty"));
        cases.add(bad("binary file over the size limit (3 MB, limit 1 MB)", () -> Body.of(new Multipart()
                .field("fileName", "big.bin").file(new byte[3 * LIMIT])), "FILE_TOO_LARGE", "exceeds limits"));
        cases.add(bad("PNG over the size limit", () -> Body.of(new Multipart().field("fileName", "big.png")
                .file("file", "big.png", "image/png", padded(Images.png(8, 8), 3 * LIMIT))), "FILE_TOO_LARGE", "exceeds limits"));
        cases.add(bad("base64 file over the size limit", () -> Body.of(new Multipart().field("fileName", "big.bin")
                .field("file", Base64.getEncoder().encodeToString(new byte[3 * LIMIT]))), "FILE_TOO_LARGE", "exceeds limits"));
        cases.add(bad("file just over the size limit", () -> Body.of(new Multipart().field("fileName", "big.bin")
                .file(new byte[LIMIT + 1])), "FILE_TOO_LARGE", "exceeds limits"));
        cases.add(bad("file URL that is not http(s)", () -> Body.of(new Multipart().field("fileName", "a.txt")
                .field("file", "https://")), "FILE_FETCH_FAILED", "URL"));

        // tags, customCoordinates, responseFields
        cases.add(bad("tag with '%'", form("tags", "ok,50%off"), "INVALID_FIELD", "tags"));
        cases.add(bad("tags over 500 characters", form("tags", "t".repeat(250) + "," + "u".repeat(251)), "INVALID_FIELD", "tags"));
        for (String value : List.of("10,10,100", "a,b,c,d", "10,10,100,100,5", "-1,0,10,10", "1.5,0,1,1")) {
            cases.add(bad("customCoordinates " + value, form("customCoordinates", value), "INVALID_FIELD", "customCoordinates"));
        }
        cases.add(bad("unknown responseFields value", form("responseFields", "tags,bogus"), "INVALID_FIELD", "responseFields"));
        cases.add(bad("description over the length limit", form("description", "d".repeat(10_001)), "INVALID_FIELD", "description"));
        return cases.stream();
    }

    /** {@code image} followed by zeros up to {@code size} bytes: still detected as its type by the magic bytes. */
    static byte[] padded(byte[] image, int size) {
        return Arrays.copyOf(image, size);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedAndStoresNothing(Case c) throws Exception {
        Set<Path> before = new HashSet<>(server.blobFiles());
        Body body = c.body().get();
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .header("Content-Type", body.contentType())
                .header("Authorization", TestServer.basic())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build();
        HttpResponse<String> r = server.send(request);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(c.status());
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("code").asText()).as(r.body()).isEqualTo(c.code());
        assertThat(json.get("message").asText()).as(r.body()).contains(c.mentions());
        assertThat(json.get("help").asText()).isNotBlank();
        assertThat(r.headers().firstValue("x-request-id")).isPresent();

        assertThat(new HashSet<>(server.blobFiles())).as("blob files after: " + c).isEqualTo(before);
        assertThat(stagingFiles()).as("staging after: " + c).isEmpty();
        assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    }

    static List<Path> stagingFiles() throws IOException {
        try (Stream<Path> files = Files.list(server.dataDir().resolve("blobs").resolve(".staging"))) {
            return files.toList();
        }
    }

    static HttpResponse<String> upload(Multipart m) {
        return server.upload(m, "Authorization", TestServer.basic());
    }

    /**
     * After an error decided before the body ended, the connection is either still usable for the next request
     * (the rest of the body was read and discarded) or announced as closing: never silently closed under a
     * keep-alive response, which makes the client's next request on it fail.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("earlyErrors")
    void theConnectionSurvivesAnEarlyError(String name, Multipart form, String authorization, int status) throws Exception {
        byte[] body = form.bytes();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                    + "\r\nContent-Type: " + form.contentType() + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String head = readResponse(in);
            assertThat(head).startsWith("HTTP/1.1 " + status + " ");
            assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("connection: close");
            out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200 ");
        }
        assertThat(stagingFiles()).isEmpty();
    }

    /** A body declared larger than any upload may be is refused at once, before a byte of it is read or staged. */
    @Test
    void aBodyDeclaredTooLargeIsRefusedBeforeItIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + TestServer.basic()
                    + "\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 10000000000\r\n\r\n--XX\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(new BufferedInputStream(socket.getInputStream()));
            assertThat(response).startsWith("HTTP/1.1 400 ").contains("FILE_TOO_LARGE");
            assertThat(response.toLowerCase(Locale.ROOT)).contains("connection: close");
        }
        assertThat(stagingFiles()).isEmpty();
    }

    /** A client waiting for 100 Continue that is refused before its body is read is told so, not asked to send it. */
    @Test
    void aRefusedClientWaitingFor100ContinueIsNotAskedForItsBody() throws Exception {
        Multipart form = new Multipart().field("fileName", "a.bin").file(new byte[3 * LIMIT]);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nAuthorization: "
                    + TestServer.basic("private_wrong", "") + "\r\nContent-Type: " + form.contentType()
                    + "\r\nContent-Length: " + form.bytes().length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(new BufferedInputStream(socket.getInputStream()));
            assertThat(response).startsWith("HTTP/1.1 403 ").contains("KEY_UNKNOWN");
            assertThat(response.toLowerCase(Locale.ROOT)).contains("connection: close");
        }
    }

    static Stream<Arguments> earlyErrors() {
        Multipart manyFields = new Multipart().field("fileName", "a.txt").file("x".getBytes());
        for (int i = 0; i < 10_000; i++) {
            manyFields.field("f" + i, "v");
        }
        return Stream.of(
                Arguments.of("file over the limit",
                        new Multipart().field("fileName", "big.bin").file(new byte[3 * LIMIT]), TestServer.basic(), 400),
                Arguments.of("1 MB text field",
                        new Multipart().field("description", "d".repeat(LIMIT)).field("fileName", "a.txt").file("x".getBytes()),
                        TestServer.basic(), 400),
                Arguments.of("10 000 fields", manyFields, TestServer.basic(), 400),
                Arguments.of("wrong private key, body never read",
                        new Multipart().field("fileName", "a.bin").file(new byte[3 * LIMIT]), TestServer.basic("private_wrong", ""), 403));
    }

    static String readResponse(InputStream in) throws IOException {
        return RawHttp.readResponse(in);
    }

    /** A client that hangs up in the middle of the file leaves no staged bytes behind. */
    @Test
    void clientHangingUpMidUploadLeavesNothing() throws Exception {
        Set<Path> before = new HashSet<>(server.blobFiles());
        Multipart form = new Multipart().field("fileName", "cut.bin").file(new byte[LIMIT / 2]);
        byte[] body = form.unterminated();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + TestServer.basic()
                    + "\r\nContent-Type: " + form.contentType() + "\r\nContent-Length: " + (body.length * 2) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length - 1000);
            out.flush();
            long staged = System.nanoTime() + 10_000_000_000L;
            while (stagingFiles().isEmpty() && System.nanoTime() < staged) {
                Thread.sleep(20); // let the server stage some of it: the hang-up must come mid-file
            }
            assertThat(stagingFiles()).as("the server staged part of the file").isNotEmpty();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!stagingFiles().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(stagingFiles()).isEmpty();
        assertThat(new HashSet<>(server.blobFiles())).isEqualTo(before);
        assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void quotedBoundaryAndUppercaseMediaTypeAreAccepted() throws Exception {
        Multipart m = new Multipart().field("fileName", "q.txt").file("quoted".getBytes());
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .header("Content-Type", "Multipart/Form-Data; charset=utf-8; boundary=\"" + m.boundary() + "\"")
                .header("Authorization", TestServer.basic())
                .POST(HttpRequest.BodyPublishers.ofByteArray(m.bytes())).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(server.getBytes(Json.parse(r.body()).get("url").asText()).body()).isEqualTo("quoted".getBytes());
    }

    @Test
    void unicodeNamesAreAcceptedAndPreserved() throws Exception {
        byte[] content = Images.jpeg(4, 3);
        HttpResponse<String> r = upload(new Multipart().field("fileName", "café-日本.jpg").field("useUniqueFileName", "false")
                .file("file", "x.jpg", "image/jpeg", content));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("name").asText()).isEqualTo("café-日本.jpg");
        assertThat(json.get("filePath").asText()).isEqualTo("/café-日本.jpg");
        HttpResponse<byte[]> got = server.getBytes(json.get("url").asText());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(content);
    }

    @Test
    void unicodeNamesKeepTheirLettersWithAUniqueSuffix() throws Exception {
        HttpResponse<String> r = upload(new Multipart().field("fileName", "Ελληνικά привет.txt").file("hi".getBytes()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("name").asText()).matches("Ελληνικά_привет_[A-Za-z0-9_-]{9}\\.txt");
        assertThat(server.getBytes(json.get("url").asText()).body()).isEqualTo("hi".getBytes());
    }

    @Test
    void spacingCombiningMarksAreKept() throws Exception {
        // 'ो' (U+094B) is a spacing mark (Mc), 'ि' (U+093F) too: both are "marks" that ImageKit keeps.
        HttpResponse<String> r = upload(new Multipart().field("fileName", "फ़ोटो-चित्र.txt").field("useUniqueFileName", "false")
                .file("hindi".getBytes()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("name").asText()).isEqualTo("फ़ोटो-चित्र.txt");
        assertThat(server.getBytes(json.get("url").asText()).body()).isEqualTo("hindi".getBytes());
    }

    @Test
    void invisibleFormatCharactersBecomeUnderscores() throws Exception {
        // A zero-width non-joiner is part of ordinary Persian spelling; a right-to-left override could disguise an
        // extension. Neither is a letter, so both become '_' like any other character outside the allowed set.
        HttpResponse<String> r = upload(new Multipart().field("fileName", "می\u200Cخواهم.txt").field("useUniqueFileName", "false")
                .file("fa".getBytes()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body()).get("name").asText()).isEqualTo("می_خواهم.txt");

        HttpResponse<String> spoof = upload(new Multipart().field("fileName", "invoice\u202Etxt.exe").field("useUniqueFileName", "false")
                .field("folder", "a\u200Db").file("x".getBytes()));
        assertThat(spoof.statusCode()).as(spoof.body()).isEqualTo(200);
        assertThat(Json.parse(spoof.body()).get("filePath").asText()).isEqualTo("/a_b/invoice_txt.exe");
    }

    @Test
    void decomposedUnicodeIsStoredComposed() throws Exception {
        HttpResponse<String> r = upload(new Multipart().field("fileName", "cafe\u0301.txt").field("useUniqueFileName", "false")
                .file("nfd".getBytes()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body()).get("name").asText()).isEqualTo("caf\u00e9.txt");
    }

    @Test
    void unicodeFoldersAreAccepted() throws Exception {
        HttpResponse<String> r = upload(new Multipart().field("fileName", "a.txt").field("useUniqueFileName", "false")
                .field("folder", "/फ़ोल्डर/日本/").file("deep".getBytes()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("filePath").asText()).isEqualTo("/फ़ोल्डर/日本/a.txt");
        assertThat(server.getBytes(json.get("url").asText()).body()).isEqualTo("deep".getBytes());
    }

    @Test
    void limitsJustInsideAreAccepted() throws Exception {
        String folder = "/" + "d/".repeat(50);
        String tags = "t".repeat(250) + "," + "u".repeat(249);
        HttpResponse<String> r = upload(new Multipart().field("fileName", "edge.bin").field("folder", folder)
                .field("tags", tags).field("responseFields", "tags").file(new byte[LIMIT]));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("filePath").asText()).startsWith(folder);
        assertThat(json.get("size").asLong()).isEqualTo(LIMIT);
        assertThat(json.get("tags")).hasSize(2);
    }
}

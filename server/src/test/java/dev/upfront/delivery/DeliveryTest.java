package dev.upfront.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.auth.Hmac;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery of originals: conditional GET, ranges, HEAD, versions, private files and signed URLs, active content. */
class DeliveryTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode upload(String name, byte[] content, String... fields) throws Exception {
        Multipart m = new Multipart().field("fileName", name).field("useUniqueFileName", "false");
        for (int i = 0; i < fields.length; i += 2) {
            m.field(fields[i], fields[i + 1]);
        }
        HttpResponse<String> r = server.upload(m.file(content), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    @Test
    void servesTheBytesWithCachingHeaders() throws Exception {
        byte[] content = bytes(1000);
        JsonNode up = upload("delivery-plain.bin", content, "folder", "/d1/");
        HttpResponse<byte[]> r = server.getBytes(up.get("url").asText());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(content);
        assertThat(r.headers().firstValue("etag")).isPresent();
        assertThat(r.headers().firstValue("last-modified")).isPresent();
        assertThat(r.headers().firstValue("cache-control")).isPresent();
        assertThat(r.headers().firstValue("x-content-type-options")).contains("nosniff");
        assertThat(r.headers().firstValue("accept-ranges")).contains("bytes");

        String etag = r.headers().firstValue("etag").orElseThrow();
        assertThat(server.getBytes(up.get("url").asText(), "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(server.getBytes(up.get("url").asText(), "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        String lastModified = r.headers().firstValue("last-modified").orElseThrow();
        assertThat(server.getBytes(up.get("url").asText(), "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
    }

    @Test
    void headSendsHeadersOnly() throws Exception {
        JsonNode up = upload("delivery-head.bin", bytes(500));
        HttpResponse<byte[]> r = server.sendForBytes(HttpRequest.newBuilder(URI.create(up.get("url").asText()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length")).contains("500");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void rangesAreServed() throws Exception {
        byte[] content = bytes(1000);
        String url = upload("delivery-range.bin", content).get("url").asText();
        HttpResponse<byte[]> first = server.getBytes(url, "Range", "bytes=0-9");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.headers().firstValue("content-range")).contains("bytes 0-9/1000");
        assertThat(first.body()).isEqualTo(Arrays.copyOfRange(content, 0, 10));
        HttpResponse<byte[]> open = server.getBytes(url, "Range", "bytes=990-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(content, 990, 1000));
        HttpResponse<byte[]> suffix = server.getBytes(url, "Range", "bytes=-5");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, 995, 1000));
        HttpResponse<byte[]> beyond = server.getBytes(url, "Range", "bytes=5000-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("content-range")).contains("bytes */1000");
        assertThat(server.getBytes(url, "Range", "bytes=0-1,5-6").statusCode()).isEqualTo(200);
        assertThat(server.getBytes(url, "Range", "bytes=-0").statusCode()).as("an empty suffix").isEqualTo(416);
        for (String invalid : List.of("bytes=--1", "bytes=+5-9", "bytes=-", "bytes=5-+9", "bytes= 0x1-2")) {
            assertThat(server.getBytes(url, "Range", invalid).statusCode()).as("%s is ignored", invalid).isEqualTo(200);
        }
    }

    @Test
    void olderVersionsAreServedByVersionId() throws Exception {
        JsonNode v1 = upload("delivery-versions.txt", "first".getBytes(), "folder", "/dv/");
        JsonNode v2 = upload("delivery-versions.txt", "second".getBytes(), "folder", "/dv/");
        assertThat(v2.get("fileId").asText()).isEqualTo(v1.get("fileId").asText());
        assertThat(new String(server.getBytes(v2.get("url").asText()).body())).isEqualTo("second");
        String old = v2.get("url").asText() + "?ik-obj-version=" + v1.get("versionInfo").get("id").asText();
        HttpResponse<byte[]> r = server.getBytes(old);
        assertThat(new String(r.body())).isEqualTo("first");
        assertThat(r.headers().firstValue("cache-control").orElse("")).contains("immutable");
        assertThat(server.getBytes(v2.get("url").asText() + "?ik-obj-version=000000000000000000000000").statusCode()).isEqualTo(404);
    }

    @Test
    void attachmentDisposition() throws Exception {
        String url = upload("delivery-attach.txt", "x".getBytes()).get("url").asText();
        HttpResponse<byte[]> r = server.getBytes(url + "?ik-attachment=true");
        assertThat(r.headers().firstValue("content-disposition").orElse("")).startsWith("attachment");
    }

    @Test
    void activeContentIsSandboxed() throws Exception {
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8);
        JsonNode up = upload("delivery.svg", svg);
        HttpResponse<byte[]> r = server.getBytes(up.get("url").asText());
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("image/svg+xml");
        assertThat(r.headers().firstValue("content-security-policy").orElse("")).contains("sandbox");
        byte[] html = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> h = server.getBytes(upload("delivery-page.html", html).get("url").asText());
        assertThat(h.headers().firstValue("content-security-policy").orElse("")).contains("sandbox");
        assertThat(h.headers().firstValue("x-content-type-options")).contains("nosniff");
    }

    /** Every type but raster images, audio and video could run script somewhere (XML dialects, PDF, saved pages). */
    @Test
    void everythingButRasterAudioAndVideoIsSandboxed() throws Exception {
        Map<String, byte[]> active = Map.of(
                "application/pdf", "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII),
                "application/rss+xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>".getBytes(StandardCharsets.UTF_8),
                "message/rfc822", ("From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> e : active.entrySet()) {
            HttpResponse<byte[]> r = server.getBytes(upload("sandbox-" + e.getKey().replace('/', '-'), e.getValue()).get("url").asText());
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith(e.getKey());
            assertThat(r.headers().firstValue("content-security-policy").orElse("")).as(e.getKey()).contains("sandbox");
        }
        HttpResponse<byte[]> png = server.getBytes(upload("sandbox-raster.png", Images.png(4, 4)).get("url").asText());
        assertThat(png.headers().firstValue("content-type")).contains("image/png");
        assertThat(png.headers().firstValue("content-security-policy")).isEmpty();
    }

    /** A version URL of a private file is signed and may expire: a shared cache must not keep its bytes. */
    @Test
    void privateVersionsAreNeverPubliclyCacheable() throws Exception {
        JsonNode v1 = upload("delivery-private-versions.txt", "first secret".getBytes(), "isPrivateFile", "true", "folder", "/pv/");
        upload("delivery-private-versions.txt", "second secret".getBytes(), "isPrivateFile", "true", "folder", "/pv/");
        String url = v1.get("url").asText() + "?ik-obj-version=" + v1.get("versionInfo").get("id").asText();
        long future = System.currentTimeMillis() / 1000 + 300;
        String signedPart = url.substring(server.urlEndpoint().length() + 1);
        String signed = url + "&ik-t=" + future + "&ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, signedPart + future);
        HttpResponse<byte[]> r = server.getBytes(signed);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body())).isEqualTo("first secret");
        assertThat(r.headers().firstValue("cache-control").orElse("")).startsWith("private").doesNotContain("public", "immutable");
    }

    /**
     * ImageKit's SDKs sign the URL string they build, so the server checks the path exactly as it arrives: a
     * signature over {@code %41} is not one over {@code A}, although both name the same file.
     */
    @Test
    void signaturesCoverThePathAsSentNotItsDecodedForm() throws Exception {
        String url = upload("Asigned.txt", "s".getBytes(), "isPrivateFile", "true", "folder", "/sig/").get("url").asText();
        String encodedUrl = url.replace("/sig/Asigned.txt", "/sig/%41signed.txt");
        String plainPath = url.substring(server.urlEndpoint().length() + 1);
        String encodedPath = encodedUrl.substring(server.urlEndpoint().length() + 1);
        assertThat(encodedPath).isEqualTo("sig/%41signed.txt");

        assertThat(server.getBytes(encodedUrl + "?ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, encodedPath + "9999999999")).statusCode())
                .isEqualTo(200);
        assertThat(server.getBytes(url + "?ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, plainPath + "9999999999")).statusCode())
                .isEqualTo(200);
        HttpResponse<String> crossed = server.get(encodedUrl + "?ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, plainPath + "9999999999"));
        assertThat(crossed.statusCode()).isEqualTo(401);
        assertThat(Json.parse(crossed.body()).get("code").asText()).isEqualTo("SIGNED_URL_INVALID");

        String slashUrl = url.replace("/sig/Asigned.txt", "/sig%2FAsigned.txt");
        String slashPath = slashUrl.substring(server.urlEndpoint().length() + 1);
        HttpResponse<String> ambiguous = server.get(slashUrl + "?ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, slashPath + "9999999999"));
        assertThat(ambiguous.statusCode()).as("an encoded slash is refused, signed or not").isEqualTo(400);
    }

    /**
     * A signature covers the raw path, a file is found by the decoded one: where the two differ (a {@code ;parameter},
     * which Jetty drops, or dot segments, which it resolves) nothing is served, so a URL signed for one file cannot be
     * bent to serve another.
     */
    @Test
    void aSignatureNeverServesAnotherPath() throws Exception {
        upload("bent.txt", "the one signed".getBytes(), "isPrivateFile", "true", "folder", "/bent/");
        upload("bent.txt", "another".getBytes(), "isPrivateFile", "true");
        String endpoint = server.urlEndpoint();
        String signedForFolder = "?ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, "bent/bent.txt9999999999");
        assertThat(new String(server.getBytes(endpoint + "/bent/bent.txt" + signedForFolder).body())).isEqualTo("the one signed");
        // The same signed text after the endpoint, but Jetty reads "/media;bent/bent.txt" as "/media/bent.txt".
        assertThat(server.get(endpoint + ";bent/bent.txt" + signedForFolder).statusCode()).isEqualTo(404);
        String signedThumb = "?ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, "tr:w-10/bent.txt9999999999");
        assertThat(server.get(endpoint + ";tr:w-10/bent.txt" + signedThumb).statusCode()).isEqualTo(404);
        String signedDots = "?ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, "x/../bent.txt9999999999");
        assertThat(server.get(endpoint + "/x/../bent.txt" + signedDots).statusCode()).isEqualTo(404);
        assertThat(server.get(endpoint).statusCode()).as("the endpoint itself names no file").isEqualTo(404);
    }

    @Test
    void privateFilesNeedASignedUrl() throws Exception {
        JsonNode up = upload("delivery-private.txt", "secret".getBytes(), "isPrivateFile", "true", "folder", "/private/");
        String url = up.get("url").asText();
        HttpResponse<String> unsigned = server.get(url);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(Json.parse(unsigned.body()).get("code").asText()).isEqualTo("SIGNED_URL_REQUIRED");

        String path = url.substring(server.urlEndpoint().length() + 1);
        String never = url + "?ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, path + "9999999999");
        assertThat(new String(server.getBytes(never).body())).isEqualTo("secret");

        long future = System.currentTimeMillis() / 1000 + 300;
        String expiring = url + "?ik-t=" + future + "&ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, path + future);
        assertThat(server.getBytes(expiring).statusCode()).isEqualTo(200);

        long past = System.currentTimeMillis() / 1000 - 5;
        String expired = url + "?ik-t=" + past + "&ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, path + past);
        assertThat(server.get(expired).statusCode()).isEqualTo(401);
        assertThat(server.get(never.replace("ik-s=", "ik-s=0")).statusCode()).isEqualTo(401);
        String otherKey = url + "?ik-s=" + Hmac.sha1Hex("private_other", path + "9999999999");
        assertThat(server.get(otherKey).statusCode()).isEqualTo(401);
    }

    @Test
    void signedUrlsWorkForPublicFilesToo() throws Exception {
        String url = upload("delivery-public-signed.txt", "open".getBytes()).get("url").asText();
        String path = url.substring(server.urlEndpoint().length() + 1);
        assertThat(server.getBytes(url + "?ik-s=" + Hmac.sha1Hex(TestServer.PRIVATE_KEY, path + "9999999999")).statusCode()).isEqualTo(200);
        assertThat(server.get(url + "?ik-s=deadbeef").statusCode()).isEqualTo(401);
    }

    @Test
    void unpublishedAndUnknownFilesAre404() throws Exception {
        String url = upload("delivery-draft.txt", "draft".getBytes(), "isPublished", "false").get("url").asText();
        assertThat(server.get(url).statusCode()).isEqualTo(404);
        HttpResponse<String> missing = server.get("/media/no/such/file.jpg");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.parse(missing.body()).get("code").asText()).isEqualTo("FILE_NOT_FOUND");
    }

    @Test
    void nonImagesCannotBeTransformed() throws Exception {
        String url = upload("delivery-tr.txt", "t".getBytes()).get("url").asText();
        String tr = url.replace("/media/", "/media/tr:w-100/");
        HttpResponse<String> r = server.get(tr);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parse(r.body()).get("code").asText()).isEqualTo("IMAGE_UNREADABLE");
        HttpResponse<String> bad = server.get(url.replace("/media/", "/media/tr:zz-1/"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.parse(bad.body()).get("code").asText()).isEqualTo("TRANSFORMATION_INVALID");
        assertThat(Json.parse(bad.body()).get("message").asText()).contains("zz");
    }
}

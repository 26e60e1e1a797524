package dev.upfront.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Images.Decoded;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import dev.upfront.transform.DerivedImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery with transformations over real HTTP on the pure-Java backend: decompression bombs and oversize outputs
 * refused without decoding, conditional GET and ranges on renderings, old versions, cache invalidation on new
 * versions and deletes, single flight under concurrent first hits, format negotiation, files that cannot be
 * transformed, and {@code orig-true}. Renders are counted by the server's derived-image cache.
 */
class TransformDeliveryTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("UPFRONT_IMAGE_BACKEND", "java"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode upload(String name, byte[] content, String... fields) throws Exception {
        Multipart m = new Multipart().field("fileName", name).field("useUniqueFileName", "false").field("folder", "/tr-delivery/");
        for (int i = 0; i < fields.length; i += 2) {
            m.field(fields[i], fields[i + 1]);
        }
        HttpResponse<String> r = server.upload(m.file(content), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static long renders() {
        return server.upfront().derived().renders();
    }

    /** {@code <endpoint>/tr:<tr><filePath>} of an upload response. */
    static String transformed(JsonNode upload, String tr) {
        return server.urlEndpoint() + "/tr:" + tr + upload.get("filePath").asText();
    }

    static HttpResponse<byte[]> get(String url, String... headers) {
        return server.getBytes(url, headers);
    }

    static String code(HttpResponse<byte[]> r) throws IOException {
        return Json.parse(new String(r.body(), StandardCharsets.UTF_8)).path("code").asText();
    }



    /** GETs a URL that must answer 200 with an image; returns it decoded. */
    static Decoded image(String url, String... headers) {
        HttpResponse<byte[]> r = get(url, headers);
        assertThat(r.statusCode()).as("GET %s -> %s", url, new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return Images.decode(r.body());
    }

    // ---- Hand-made files whose headers declare huge images -------------------------------------------------

    /** A PNG whose IHDR (valid CRC) declares {@code width × height} RGBA, followed by a tiny IDAT and IEND. */
    static byte[] pngDeclaring(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[64]);
        deflater.finish();
        byte[] z = new byte[128];
        int n = deflater.deflate(z);
        chunk(out, "IDAT", Arrays.copyOf(z, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A baseline JPEG whose SOF0 declares {@code width × height} (3 components), with a few bytes of scan and EOI. */
    static byte[] jpegDeclaring(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
        byte[] dqt = new byte[2 + 2 + 1 + 64];
        dqt[0] = (byte) 0xFF;
        dqt[1] = (byte) 0xDB;
        dqt[3] = 67;
        Arrays.fill(dqt, 5, dqt.length, (byte) 1);
        out.writeBytes(dqt);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 17, 8,
                (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width, 3,
                1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0});
        out.writeBytes(new byte[] {0x12, 0x34, 0x56});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    /**
     * A GIF whose logical screen is {@code 10 × 10} but whose one frame's image descriptor declares
     * {@code frameWidth × frameHeight}; decoders (ImageIO) size the decoded image by the frame.
     */
    static byte[] gifWithLargeFrame(int frameWidth, int frameHeight) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {10, 0, 10, 0, (byte) 0x80, 0, 0, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        out.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, (byte) frameWidth, (byte) (frameWidth >> 8), (byte) frameHeight,
                (byte) (frameHeight >> 8), 0});
        out.writeBytes(new byte[] {2, 2, 0x4C, 0x01, 0, 0x3B});
        return out.toByteArray();
    }

    /** The transformed GET is refused as too large, fast, and nothing is decoded (no render). */
    static void refusedWithoutDecoding(String url, String expectedCode) throws IOException {
        long before = renders();
        long start = System.nanoTime();
        HttpResponse<byte[]> r = get(url);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).as("GET %s -> %s", url, new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(400);
        assertThat(code(r)).isEqualTo(expectedCode);
        assertThat(renders()).as("no render was attempted for %s", url).isEqualTo(before);
        assertThat(ms).as("refused quickly").isLessThan(2000);
    }

    @Test
    void pngDecompressionBombIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = pngDeclaring(100_000, 100_000);
        assertThat(bomb.length).isLessThan(200);
        JsonNode up = upload("bomb.png", bomb);
        assertThat(up.get("width").asInt()).as("the upload read the header").isEqualTo(100_000);
        assertThat(up.get("height").asInt()).isEqualTo(100_000);
        refusedWithoutDecoding(transformed(up, "w-100"), "IMAGE_TOO_LARGE");
        refusedWithoutDecoding(transformed(up, "n-ik_ml_thumbnail"), "IMAGE_TOO_LARGE");
        refusedWithoutDecoding(up.get("url").asText() + "?tr=rt-90", "IMAGE_TOO_LARGE");
        assertThat(Json.parse(new String(get(transformed(up, "w-100")).body())).path("message").asText())
                .contains("10000000000 pixels");
        assertThat(get(up.get("url").asText()).body()).as("the original is still served as stored").isEqualTo(bomb);
        assertThat(get(transformed(up, "orig-true")).body()).isEqualTo(bomb);
    }

    @Test
    void jpegDecompressionBombIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = jpegDeclaring(60_000, 60_000);
        JsonNode up = upload("bomb.jpg", bomb);
        assertThat(up.get("width").asInt()).isEqualTo(60_000);
        assertThat(up.get("height").asInt()).isEqualTo(60_000);
        refusedWithoutDecoding(transformed(up, "w-100,h-100"), "IMAGE_TOO_LARGE");
        refusedWithoutDecoding(transformed(up, "q-10"), "IMAGE_TOO_LARGE");
    }

    @Test
    void gifFrameLargerThanItsScreenIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = gifWithLargeFrame(9000, 9000);
        JsonNode up = upload("bomb.gif", bomb);
        assertThat(up.get("width").asInt() * (long) up.get("height").asInt()).as("the frame counts, not just the screen")
                .isGreaterThanOrEqualTo(9000L * 9000);
        refusedWithoutDecoding(transformed(up, "rt-90"), "IMAGE_TOO_LARGE");
        refusedWithoutDecoding(transformed(up, "w-5"), "IMAGE_TOO_LARGE");
    }

    @Test
    void outputsOverTheLimitAreRefusedWithoutDecoding() throws Exception {
        JsonNode up = upload("limit.jpg", Images.jpeg(100, 80));
        refusedWithoutDecoding(transformed(up, "w-8193"), "IMAGE_TOO_LARGE");
        refusedWithoutDecoding(transformed(up, "w-5000,dpr-2"), "IMAGE_TOO_LARGE");
        refusedWithoutDecoding(transformed(up, "h-8000"), "IMAGE_TOO_LARGE"); // width 10000
        refusedWithoutDecoding(transformed(up, "w-100:rt-90:w-9000"), "IMAGE_TOO_LARGE");
        assertThat(Json.parse(new String(get(transformed(up, "w-8193")).body())).path("message").asText()).contains("8192");
        assertThat(image(transformed(up, "w-200")).size()).isEqualTo("200x160");
    }

    /** A tiny public image must not buy minutes of CPU: the cost is estimated from the plan and refused first. */
    @Test
    void costlyTransformationsAreRefusedBeforeRendering() throws Exception {
        JsonNode up = upload("costly.png", Images.png(16, 16));
        long before = renders();
        HttpResponse<byte[]> huge = get(transformed(up, "w-8192,h-8192,c-force,bl-100"));
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(code(huge)).isEqualTo("IMAGE_TOO_LARGE");
        HttpResponse<byte[]> blur = get(transformed(up, "w-4000,h-4000,c-force,bl-100"));
        assertThat(blur.statusCode()).isEqualTo(400);
        assertThat(code(blur)).isEqualTo("TRANSFORM_TOO_COSTLY");
        assertThat(renders()).isEqualTo(before);
        assertThat(image(transformed(up, "w-400,h-400,c-force,bl-10")).size()).isEqualTo("400x400");
    }

    /** UPFRONT_RENDER_CACHE_SIZE caps the renderings kept: past it the least recently used one is rendered again. */
    @Test
    void theRenderingCacheIsCappedBySize() throws Exception {
        // The memory delivery cache is off: it would serve the evicted rendering without the render cache.
        try (TestServer small = TestServer.start(Map.of("UPFRONT_IMAGE_BACKEND", "java", "UPFRONT_RENDER_CACHE_SIZE", "6KB",
                "UPFRONT_DELIVERY_CACHE_BYTES", "0"))) {
            HttpResponse<String> up = small.upload(new Multipart().field("fileName", "capped.jpg").field("useUniqueFileName", "false")
                    .file(Images.jpeg(600, 400)), "Authorization", TestServer.basic());
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            String base = small.urlEndpoint() + "/tr:";
            DerivedImages derived = small.upfront().derived();
            List<Integer> sizes = new ArrayList<>();
            for (String tr : List.of("w-300", "w-301", "w-302")) { // each over half the cap: it holds one
                HttpResponse<byte[]> r = small.getBytes(base + tr + "/capped.jpg");
                assertThat(r.statusCode()).isEqualTo(200);
                sizes.add(r.body().length);
            }
            assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(3 * 1024 + 1, 6 * 1024));
            assertThat(derived.cache().evictions()).isPositive();
            assertThat(derived.cache().bytes()).isLessThanOrEqualTo(6 * 1024);
            try (var files = Files.walk(small.dataDir().resolve("cache"))) {
                assertThat(files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum()).isLessThanOrEqualTo(6 * 1024);
            }
            long before = derived.renders();
            assertThat(small.getBytes(base + "w-300/capped.jpg").statusCode()).isEqualTo(200);
            assertThat(derived.renders()).as("the evicted rendering is rendered again").isEqualTo(before + 1);
        }
    }

    @Test
    void invalidTransformationsAre400NamingTheParameter() throws Exception {
        JsonNode up = upload("invalid.jpg", Images.jpeg(40, 30));
        HttpResponse<byte[]> r = get(transformed(up, "w-100,zz-1"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(code(r)).isEqualTo("TRANSFORMATION_INVALID");
        assertThat(Json.parse(new String(r.body())).path("message").asText()).contains("'zz'");
        HttpResponse<byte[]> q = get(up.get("url").asText() + "?tr=w-abc");
        assertThat(q.statusCode()).isEqualTo(400);
        assertThat(code(q)).isEqualTo("TRANSFORMATION_INVALID");
    }

    @Test
    void pathAndQueryTransformationsChain() throws Exception {
        JsonNode up = upload("chain.png", Images.png(400, 200));
        assertThat(image(transformed(up, "w-100")).size()).isEqualTo("100x50");
        assertThat(image(up.get("url").asText() + "?tr=w-100").size()).isEqualTo("100x50");
        assertThat(image(up.get("url").asText() + "?tr=w-100%2Ch-100").size()).as("percent-encoded comma").isEqualTo("100x100");
        assertThat(image(transformed(up, "w-100") + "?tr=rt-90").size()).as("path first, then query").isEqualTo("50x100");
        Decoded d = image(transformed(up, "w-100,h-100,cm-pad_resize"));
        assertThat(d.format()).isEqualTo("png");
        assertThat(d.size()).isEqualTo("100x100");
        assertThat(d.image().getRGB(50, 10) >>> 24).as("PNG pads with transparency").isZero();
    }

    @Test
    void conditionalGetOnATransformedUrl() throws Exception {
        JsonNode up = upload("etag.jpg", Images.jpeg(300, 200));
        String url = transformed(up, "w-150");
        HttpResponse<byte[]> first = get(url);
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.headers().firstValue("etag").orElseThrow();
        String originalEtag = get(up.get("url").asText()).headers().firstValue("etag").orElseThrow();
        assertThat(etag).isNotEqualTo(originalEtag);
        assertThat(get(transformed(up, "w-151")).headers().firstValue("etag")).get().isNotEqualTo(etag);
        assertThat(get(up.get("url").asText() + "?tr=w-150").headers().firstValue("etag")).as("same rendering, same tag").contains(etag);
        assertThat(first.headers().firstValue("cache-control")).isPresent();
        assertThat(first.headers().firstValue("last-modified")).isPresent();
        assertThat(first.headers().firstValue("content-type")).contains("image/jpeg");

        long before = renders();
        HttpResponse<byte[]> again = get(url, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("etag")).contains(etag);
        assertThat(get(url, "If-None-Match", "W/" + etag).statusCode()).as("weak comparison").isEqualTo(304);
        assertThat(get(url, "If-None-Match", "\"other\", " + etag).statusCode()).isEqualTo(304);
        assertThat(get(url, "If-None-Match", originalEtag).statusCode()).as("the original's tag is another entity").isEqualTo(200);
        String lastModified = first.headers().firstValue("last-modified").orElseThrow();
        assertThat(get(url, "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
        assertThat(renders()).as("served from the cache").isEqualTo(before);
    }

    @Test
    void rangesOnATransformedUrl() throws Exception {
        JsonNode up = upload("range.jpg", Images.jpeg(300, 200));
        String url = transformed(up, "w-120,q-90");
        byte[] full = get(url).body();
        assertThat(Images.decode(full).size()).isEqualTo("120x80");
        String etag = get(url).headers().firstValue("etag").orElseThrow();

        HttpResponse<byte[]> head = get(url, "Range", "bytes=0-99");
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.headers().firstValue("content-range")).contains("bytes 0-99/" + full.length);
        assertThat(head.body()).isEqualTo(Arrays.copyOfRange(full, 0, 100));
        HttpResponse<byte[]> tail = get(url, "Range", "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(full, full.length - 10, full.length));
        HttpResponse<byte[]> rest = get(url, "Range", "bytes=100-");
        assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(full, 100, full.length));
        assertThat(get(url, "Range", "bytes=" + full.length + "-").statusCode()).isEqualTo(416);
        assertThat(get(url, "Range", "bytes=0-9", "If-Range", etag).statusCode()).isEqualTo(206);
        assertThat(get(url, "Range", "bytes=0-9", "If-Range", "\"stale\"").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> headOnly = server.sendForBytes(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(headOnly.statusCode()).isEqualTo(200);
        assertThat(headOnly.headers().firstValue("content-length")).contains(Integer.toString(full.length));
    }

    @Test
    void olderVersionsRenderTheirOwnImage() throws Exception {
        JsonNode v1 = upload("versions.jpg", Images.jpeg(300, 200));
        JsonNode v2 = upload("versions.jpg", Images.jpeg(600, 200));
        String oldId = v1.get("versionInfo").get("id").asText();
        assertThat(v2.get("fileId").asText()).isEqualTo(v1.get("fileId").asText());

        assertThat(image(transformed(v2, "w-150")).size()).as("current").isEqualTo("150x50");
        HttpResponse<byte[]> old = get(transformed(v2, "w-150") + "?ik-obj-version=" + oldId);
        assertThat(old.statusCode()).isEqualTo(200);
        assertThat(Images.decode(old.body()).size()).as("old version, path form").isEqualTo("150x100");
        assertThat(old.headers().firstValue("cache-control").orElse("")).contains("immutable");
        assertThat(image(v2.get("url").asText() + "?ik-obj-version=" + oldId + "&tr=w-150").size()).as("query form").isEqualTo("150x100");
        assertThat(image(v2.get("url").asText() + "?tr=w-150&ik-obj-version=" + oldId).size()).isEqualTo("150x100");
        assertThat(image(transformed(v2, "n-ik_ml_thumbnail") + "?ik-obj-version=" + oldId).size()).isEqualTo("300x200");
        assertThat(get(transformed(v2, "w-150") + "?ik-obj-version=000000000000000000000000").statusCode()).isEqualTo(404);
    }

    @Test
    void aNewVersionIsRenderedAfresh() throws Exception {
        JsonNode v1 = upload("replace.jpg", Images.jpeg(300, 200));
        String url = transformed(v1, "w-100");
        HttpResponse<byte[]> first = get(url);
        assertThat(Images.decode(first.body()).size()).isEqualTo("100x67");
        assertThat(image(url).size()).as("cached").isEqualTo("100x67");

        JsonNode v2 = upload("replace.jpg", Images.jpeg(200, 200));
        assertThat(transformed(v2, "w-100")).isEqualTo(url);
        long before = renders();
        HttpResponse<byte[]> second = get(url);
        assertThat(Images.decode(second.body()).size()).as("the same URL shows the new version").isEqualTo("100x100");
        assertThat(second.headers().firstValue("etag")).get().isNotEqualTo(first.headers().firstValue("etag").orElseThrow());
        assertThat(renders()).isEqualTo(before + 1);
        assertThat(get(url, "If-None-Match", first.headers().firstValue("etag").orElseThrow()).statusCode())
                .as("the old tag no longer matches").isEqualTo(200);
    }

    @Test
    void deletingAFileDropsItsRenderings() throws Exception {
        JsonNode up = upload("delete-me.jpg", Images.jpeg(300, 200));
        String versionId = up.get("versionInfo").get("id").asText();
        List<String> urls = List.of(transformed(up, "w-100"), transformed(up, "w-50,h-50"), up.get("url").asText() + "?tr=rt-90");
        for (String url : urls) {
            image(url);
        }
        assertThat(cachedFilesOf(versionId)).hasSize(3);

        HttpResponse<String> del = server.send(HttpRequest.newBuilder(server.uri("/v1/files/" + up.get("fileId").asText()))
                .header("Authorization", TestServer.basic()).DELETE().build());
        assertThat(del.statusCode()).as(del.body()).isEqualTo(204);
        assertThat(cachedFilesOf(versionId)).as("renderings of the deleted version").isEmpty();
        for (String url : urls) {
            HttpResponse<byte[]> r = get(url);
            assertThat(r.statusCode()).as(url).isEqualTo(404);
            assertThat(code(r)).isEqualTo("FILE_NOT_FOUND");
        }
        assertThat(cachedFilesOf(versionId)).isEmpty();
    }

    @Test
    void deletingAnOldVersionDropsOnlyItsRenderings() throws Exception {
        JsonNode v1 = upload("delete-version.jpg", Images.jpeg(300, 200));
        JsonNode v2 = upload("delete-version.jpg", Images.jpeg(200, 200));
        String oldId = v1.get("versionInfo").get("id").asText();
        String newId = v2.get("versionInfo").get("id").asText();
        String url = transformed(v2, "w-100");
        image(url);
        image(url + "?ik-obj-version=" + oldId);
        assertThat(cachedFilesOf(oldId)).hasSize(1);
        assertThat(cachedFilesOf(newId)).hasSize(1);

        HttpResponse<String> del = server.send(HttpRequest.newBuilder(
                        server.uri("/v1/files/" + v2.get("fileId").asText() + "/versions/" + oldId))
                .header("Authorization", TestServer.basic()).DELETE().build());
        assertThat(del.statusCode()).as(del.body()).isEqualTo(204);
        assertThat(cachedFilesOf(oldId)).isEmpty();
        assertThat(cachedFilesOf(newId)).hasSize(1);
        assertThat(get(url + "?ik-obj-version=" + oldId).statusCode()).isEqualTo(404);
        assertThat(image(url).size()).isEqualTo("100x100");
    }

    /** Files in the data folder's derived-image cache whose name starts with the version id. */
    static List<Path> cachedFilesOf(String versionId) throws IOException {
        Path cache = server.dataDir().resolve("cache");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(cache)) {
            try (var walk = Files.walk(cache)) {
                walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(versionId)).forEach(found::add);
            }
        }
        return found;
    }

    @Test
    void concurrentFirstHitsRenderOnce() throws Exception {
        JsonNode up = upload("flight.jpg", Images.jpeg(1600, 1200));
        String url = transformed(up, "w-801,h-601,bl-3");
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
        long before = renders();
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(server.client().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        byte[] first = all.getFirst().join().body();
        for (CompletableFuture<HttpResponse<byte[]>> f : all) {
            HttpResponse<byte[]> r = f.join();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(first);
        }
        assertThat(Images.decode(first).size()).isEqualTo("801x601");
        assertThat(renders()).as("one render for 50 identical first requests").isEqualTo(before + 1);
    }

    @Test
    void autoFormatOnTheJavaBackendIsTheSourceFormatAndVariesOnAccept() throws Exception {
        assertThat(server.upfront().derived().backend().name()).startsWith("java");
        JsonNode jpeg = upload("auto.jpg", Images.jpeg(200, 100));
        HttpResponse<byte[]> r = get(transformed(jpeg, "w-100,f-auto"), "Accept", "image/avif,image/webp,image/*,*/*;q=0.8");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("image/jpeg");
        assertThat(variesOn(r, "Accept")).as("Vary: Accept").isTrue();
        assertThat(Images.decode(r.body()).format()).isEqualTo("jpeg");
        HttpResponse<byte[]> implicit = get(transformed(jpeg, "w-100"), "Accept", "image/webp");
        assertThat(implicit.headers().firstValue("content-type")).as("f-auto is the default").contains("image/jpeg");
        assertThat(variesOn(implicit, "Accept")).isTrue();

        HttpResponse<byte[]> png = get(transformed(upload("auto.png", Images.png(200, 100)), "w-100"), "Accept", "image/webp");
        assertThat(png.headers().firstValue("content-type")).contains("image/png");
        assertThat(Images.decode(png.body()).format()).isEqualTo("png");
        HttpResponse<byte[]> gif = get(transformed(upload("auto.gif", Images.gif(200, 100)), "w-100"));
        assertThat(gif.headers().firstValue("content-type")).as("GIF becomes PNG").contains("image/png");
        assertThat(Images.decode(gif.body()).size()).isEqualTo("100x50");

        HttpResponse<byte[]> explicit = get(transformed(jpeg, "w-100,f-png"), "Accept", "image/webp");
        assertThat(explicit.headers().firstValue("content-type")).contains("image/png");
        assertThat(variesOn(explicit, "Accept")).as("an explicit format does not depend on Accept").isFalse();
        assertThat(Images.decode(explicit.body()).format()).isEqualTo("png");
        assertThat(Images.decode(get(transformed(upload("to-jpeg.png", Images.png(50, 50)), "f-jpg")).body()).format()).isEqualTo("jpeg");
    }

    /** Whether the response's Vary lists {@code field} (as a whole token). */
    static boolean variesOn(HttpResponse<?> r, String field) {
        return r.headers().allValues("vary").stream().flatMap(v -> Arrays.stream(v.split(",")))
                .anyMatch(t -> t.strip().equalsIgnoreCase(field));
    }

    @Test
    void autoFormatKeepsTheCorsVary() throws Exception {
        try (TestServer cors = TestServer.start(Map.of("UPFRONT_IMAGE_BACKEND", "java", "UPFRONT_CORS_ORIGINS", "https://app.example"))) {
            Multipart m = new Multipart().field("fileName", "cors.jpg").field("useUniqueFileName", "false");
            HttpResponse<String> up = cors.upload(m.file(Images.jpeg(80, 60)), "Authorization", TestServer.basic());
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            String url = cors.urlEndpoint() + "/tr:w-40" + Json.parse(up.body()).get("filePath").asText();
            HttpResponse<byte[]> r = cors.getBytes(url, "Origin", "https://app.example", "Accept", "image/webp");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("access-control-allow-origin")).contains("https://app.example");
            assertThat(variesOn(r, "Origin")).as("Vary: Origin (the allowed origin is echoed) in %s", r.headers().map()).isTrue();
            assertThat(variesOn(r, "Accept")).as("Vary: Accept (f-auto) in %s", r.headers().map()).isTrue();
        }
    }

    @Test
    void webpAndAvifNeedLibvips() throws Exception {
        JsonNode up = upload("webp.jpg", Images.jpeg(200, 100));
        long before = renders();
        for (String tr : List.of("w-100,f-webp", "f-avif")) {
            HttpResponse<byte[]> r = get(transformed(up, tr));
            assertThat(r.statusCode()).as(tr).isEqualTo(400);
            assertThat(code(r)).isEqualTo("FORMAT_UNSUPPORTED");
        }
        assertThat(renders()).isEqualTo(before);
    }

    /**
     * Named transformations work unsigned on private files, but the answer says nothing the signed URL would not:
     * a file that cannot be thumbnailed gets the same 401 as its original (not "this file is application/pdf"),
     * and a thumbnail's ETag is not derived from the version id (which is the fileId for version 1).
     */
    @Test
    void unsignedThumbnailsOfPrivateFilesRevealNothing() throws Exception {
        byte[] pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        JsonNode doc = upload("private-doc.pdf", pdf, "isPrivateFile", "true");
        HttpResponse<byte[]> thumb = get(transformed(doc, "n-ik_ml_thumbnail"));
        assertThat(thumb.statusCode()).isEqualTo(401);
        assertThat(code(thumb)).isEqualTo("SIGNED_URL_REQUIRED");
        assertThat(new String(thumb.body(), StandardCharsets.UTF_8)).doesNotContainIgnoringCase("pdf");

        JsonNode photo = upload("private-photo.jpg", Images.jpeg(300, 200), "isPrivateFile", "true");
        HttpResponse<byte[]> ok = get(photo.get("thumbnailUrl").asText());
        assertThat(ok.statusCode()).isEqualTo(200);
        String etag = ok.headers().firstValue("etag").orElseThrow();
        assertThat(etag).doesNotContain(photo.get("fileId").asText()).doesNotContain(photo.get("versionInfo").get("id").asText());
        assertThat(ok.headers().firstValue("cache-control").orElse("")).startsWith("private");
        assertThat(ok.headers().firstValue("last-modified")).as("the upload time is not told").isEmpty();
        assertThat(get(photo.get("thumbnailUrl").asText(), "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void renderingEtagsAreOpaque() throws Exception {
        JsonNode up = upload("opaque-etag.jpg", Images.jpeg(120, 80));
        String etag = get(transformed(up, "w-60")).headers().firstValue("etag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{32}\"").doesNotContain(up.get("fileId").asText());
    }

    @Test
    void filesThatAreNotRasterImagesCannotBeTransformed() throws Exception {
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"
                .getBytes(StandardCharsets.UTF_8);
        byte[] pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        byte[] text = "just some text\n".getBytes(StandardCharsets.UTF_8);
        long before = renders();
        for (JsonNode up : List.of(upload("vector.svg", svg), upload("doc.pdf", pdf), upload("notes.txt", text))) {
            for (String tr : List.of("w-100", "n-ik_ml_thumbnail", "rt-90")) {
                HttpResponse<byte[]> r = get(transformed(up, tr));
                assertThat(r.statusCode()).as("%s with %s", up.get("filePath").asText(), tr).isEqualTo(400);
                assertThat(code(r)).isEqualTo("IMAGE_UNREADABLE");
            }
            assertThat(get(up.get("url").asText() + "?tr=w-100").statusCode()).isEqualTo(400);
            assertThat(get(up.get("url").asText()).statusCode()).as("the original is still served").isEqualTo(200);
        }
        assertThat(renders()).isEqualTo(before);
    }

    @Test
    void corruptImagesAre400() throws Exception {
        byte[] jpeg = Images.jpeg(64, 64);
        byte[] broken = Arrays.copyOf(jpeg, jpeg.length / 3); // header intact, scan cut short
        JsonNode up = upload("broken.png", pngDeclaring(64, 64));
        HttpResponse<byte[]> r = get(transformed(up, "w-10"));
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(400);
        assertThat(code(r)).isEqualTo("IMAGE_UNREADABLE");
        HttpResponse<byte[]> cut = get(transformed(upload("cut.jpg", broken), "w-10"));
        // ImageIO decodes a truncated JPEG's first rows and greys the rest, or refuses it: either way, never a 500.
        assertThat(cut.statusCode()).as(new String(cut.body())).isIn(200, 400);
        if (cut.statusCode() == 200) {
            assertThat(Images.decode(cut.body()).size()).isEqualTo("10x10");
        }
    }

    @Test
    void origTrueReturnsTheOriginalBytes() throws Exception {
        byte[] jpeg = Images.jpeg(320, 240);
        JsonNode up = upload("orig.jpg", jpeg);
        long before = renders();
        HttpResponse<byte[]> plain = get(up.get("url").asText());
        for (String url : List.of(transformed(up, "orig-true"), up.get("url").asText() + "?tr=orig-true",
                transformed(up, "w-100,orig-true"), transformed(up, "w-100:orig-true"))) {
            HttpResponse<byte[]> r = get(url);
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            assertThat(r.body()).as(url).isEqualTo(jpeg);
            assertThat(r.headers().firstValue("content-type")).contains("image/jpeg");
            assertThat(r.headers().firstValue("etag")).isEqualTo(plain.headers().firstValue("etag"));
        }
        assertThat(renders()).isEqualTo(before);
    }

    /**
     * rt-auto turns the image as its EXIF Orientation says, and the geometry after it (w-, h-, crops) applies to the
     * turned image. Quadrant colours (stored: red green / blue white) show where each corner went.
     */
    @Test
    void autoRotationFollowsExifOrientation() throws Exception {
        String[][] displayed = {
                null,
                {"red", "green", "blue", "white"}, // 1: as stored
                {"green", "red", "white", "blue"}, // 2: mirrored left-right
                {"white", "blue", "green", "red"}, // 3: 180
                {"blue", "white", "red", "green"}, // 4: mirrored top-bottom
                {"red", "blue", "green", "white"}, // 5: transposed
                {"blue", "red", "white", "green"}, // 6: 90 clockwise
                {"white", "green", "blue", "red"}, // 7: transversed
                {"green", "white", "red", "blue"}, // 8: 270 clockwise
        };
        for (int orientation = 1; orientation <= 8; orientation++) {
            JsonNode up = upload("orientation-" + orientation + ".jpg", Images.quadrantsJpegWithOrientation(400, 200, orientation));
            boolean turned = orientation >= 5;
            Decoded alone = image(transformed(up, "rt-auto,f-png"));
            assertThat(alone.size()).as("orientation %d, rt-auto", orientation).isEqualTo(turned ? "200x400" : "400x200");
            assertThat(quadrants(alone.image())).as("orientation %d, rt-auto", orientation).containsExactly(displayed[orientation]);
            Decoded resized = image(transformed(up, "rt-auto,w-100,f-png"));
            assertThat(resized.size()).as("orientation %d, rt-auto,w-100", orientation).isEqualTo(turned ? "100x200" : "100x50");
            assertThat(quadrants(resized.image())).as("orientation %d, rt-auto,w-100", orientation).containsExactly(displayed[orientation]);
            Decoded cropped = image(transformed(up, "rt-auto,w-100,h-100,f-png"));
            assertThat(cropped.size()).isEqualTo("100x100");
            assertThat(image(transformed(up, "w-100,f-png")).size()).as("without rt-auto the stored pixels are used").isEqualTo("100x50");
        }
    }

    /** The colour names at the centres of the four quadrants: top-left, top-right, bottom-left, bottom-right. */
    static List<String> quadrants(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        return List.of(colour(img.getRGB(w / 4, h / 4)), colour(img.getRGB(3 * w / 4, h / 4)),
                colour(img.getRGB(w / 4, 3 * h / 4)), colour(img.getRGB(3 * w / 4, 3 * h / 4)));
    }

    static String colour(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (r > 200 && g > 200 && b > 200) {
            return "white";
        }
        if (r > 180 && g < 90 && b < 90) {
            return "red";
        }
        if (g > 180 && r < 90 && b < 90) {
            return "green";
        }
        if (b > 180 && r < 90 && g < 90) {
            return "blue";
        }
        return String.format("#%06x", rgb & 0xFFFFFF);
    }

    @Test
    void renderedImagesHaveTheRequestedGeometry() throws Exception {
        JsonNode up = upload("geometry.jpg", Images.jpeg(400, 300));
        assertThat(image(transformed(up, "w-200,h-200")).size()).isEqualTo("200x200");
        assertThat(image(transformed(up, "w-200,h-200,c-at_max")).size()).isEqualTo("200x150");
        assertThat(image(transformed(up, "w-800,h-800,c-at_max")).size()).isEqualTo("400x300");
        assertThat(image(transformed(up, "w-800,h-800,c-at_max_enlarge")).size()).isEqualTo("800x600");
        assertThat(image(transformed(up, "w-200,h-200,c-at_least")).size()).isEqualTo("267x200");
        assertThat(image(transformed(up, "w-200,h-100,c-force")).size()).isEqualTo("200x100");
        assertThat(image(transformed(up, "cm-extract,w-100,h-50,x-10,y-10")).size()).isEqualTo("100x50");
        assertThat(image(transformed(up, "cm-pad_extract,w-500,h-100")).size()).isEqualTo("500x100");
        assertThat(image(transformed(up, "w-100,dpr-2")).size()).isEqualTo("200x150");
        assertThat(image(transformed(up, "w-0.5")).size()).isEqualTo("200x150");
        assertThat(image(transformed(up, "h-100,ar-1-1")).size()).isEqualTo("100x100");
        assertThat(image(transformed(up, "w-100:rt-N90")).size()).isEqualTo("75x100");
        assertThat(image(transformed(up, "w-100,rt-auto,bl-5,r-max,bg-FF0000,q-30")).size()).isEqualTo("100x75");
        Decoded padded = image(transformed(up, "w-200,h-200,cm-pad_resize,bg-FF0000"));
        assertThat(padded.size()).isEqualTo("200x200");
        int corner = padded.image().getRGB(100, 5);
        assertThat((corner >> 16) & 0xFF).as("red padding").isGreaterThan(200);
        assertThat(corner & 0xFF).isLessThan(60);
    }
}

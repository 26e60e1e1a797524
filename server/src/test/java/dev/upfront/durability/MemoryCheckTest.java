package dev.upfront.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.RandomContent;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.StreamedMultipart;
import dev.upfront.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PRODUCT.md §3.3 "memory use does not grow with file size", measured: the server runs as its own JVM with
 * {@code -Xmx128m} and takes four concurrent 300 MB uploads (generated and hashed on the fly; the test never holds
 * them either), then serves them back concurrently. Every byte must round-trip (MD5), and the child's peak resident
 * set (VmHWM) must stay far below what buffering one file would take. The figure is printed and written to
 * {@code target/memory-check.txt}.
 */
class MemoryCheckTest {
    private static final int FILES = 4;
    private static final long SIZE = 300_000_000L;
    private static final long RSS_LIMIT_MB = 400;

    private record Stored(int index, String md5, String fileId, String url) {}

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void fourConcurrent300MbUploadsFitInASmallHeap(@TempDir Path dataDir) throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the memory check reads /proc/<pid>/status (Linux)");
        Path log = ServerProcess.targetDir().resolve("memory-check-server.log");
        Files.deleteIfExists(log);
        long seedBase = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(FILES);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (ServerProcess server = ServerProcess.start(dataDir, Map.of("UPFRONT_MAX_FILE_SIZE", "400MB"), List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"), log)) {
            AtomicLong maxRssKb = new AtomicLong();
            sampler.scheduleAtFixedRate(() -> server.procStatusKb("VmRSS").ifPresent(kb -> maxRssKb.accumulateAndGet(kb, Math::max)),
                    0, 100, TimeUnit.MILLISECONDS);
            long startRssKb = server.procStatusKb("VmRSS").orElse(0);

            long t0 = System.nanoTime();
            List<Future<Stored>> uploads = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                int index = i;
                uploads.add(pool.submit(() -> upload(server, index, seedBase + index)));
            }
            List<Stored> stored = new ArrayList<>();
            for (Future<Stored> f : uploads) {
                stored.add(f.get(90, TimeUnit.SECONDS));
            }
            double uploadSeconds = (System.nanoTime() - t0) / 1e9;
            long afterUploadHwmKb = server.procStatusKb("VmHWM").orElse(0);

            long t1 = System.nanoTime();
            List<Future<String>> downloads = new ArrayList<>();
            for (Stored s : stored) {
                downloads.add(pool.submit(() -> download(server, s)));
            }
            for (int i = 0; i < FILES; i++) {
                assertThat(downloads.get(i).get(90, TimeUnit.SECONDS)).as("MD5 of file %d served back", i).isEqualTo(stored.get(i).md5());
            }
            double downloadSeconds = (System.nanoTime() - t1) / 1e9;

            long hwmKb = server.procStatusKb("VmHWM").orElseThrow(() -> new AssertionError("no VmHWM in /proc/" + server.pid() + "/status"));
            sampler.shutdownNow();
            assertThat(server.isAlive()).as("server alive after the check").isTrue();
            assertThat(Files.readString(log)).as("server log").doesNotContain("java.lang.OutOfMemoryError");

            double totalMb = FILES * SIZE / 1e6;
            String report = String.format(
                    "MEMORY CHECK: %d x %d MB concurrent uploads, -Xmx128m, peak RSS = %d MB%n"
                            + "  (RSS at start %d MB; peak RSS after the uploads %d MB, after serving them back %d MB;"
                            + " highest sampled RSS %d MB)%n"
                            + "  upload: %.0f MB in %.1f s = %.0f MB/s; download: %.0f MB in %.1f s = %.0f MB/s%n",
                    FILES, SIZE / 1_000_000, hwmKb / 1024, startRssKb / 1024, afterUploadHwmKb / 1024, hwmKb / 1024,
                    maxRssKb.get() / 1024, totalMb, uploadSeconds, totalMb / uploadSeconds, totalMb, downloadSeconds,
                    totalMb / downloadSeconds);
            System.out.print(report);
            Files.writeString(ServerProcess.targetDir().resolve("memory-check.txt"), report, StandardCharsets.UTF_8);
            assertThat(hwmKb / 1024).as("peak RSS (MB) of the server with -Xmx128m").isLessThan(RSS_LIMIT_MB);
        } finally {
            sampler.shutdownNow();
            pool.shutdownNow();
        }
    }

    private Stored upload(ServerProcess server, int index, long seed) throws Exception {
        RandomContent content = new RandomContent(seed, SIZE);
        StreamedMultipart body = new StreamedMultipart(Map.of("fileName", "big-" + index + ".bin"), "big-" + index + ".bin", content, SIZE);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .header("Content-Type", body.contentType())
                .header("Authorization", TestServer.basic())
                .timeout(Duration.ofSeconds(90))
                .POST(body.publisher())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("upload %d: %s", index, r.body()).isEqualTo(200);
        JsonNode json = Json.parse(r.body());
        assertThat(json.get("size").asLong()).as("size of upload %d", index).isEqualTo(SIZE);
        assertThat(content.produced()).isEqualTo(SIZE);
        return new Stored(index, content.md5Hex(), json.get("fileId").asText(), json.get("url").asText());
    }

    private String download(ServerProcess server, Stored s) throws Exception {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(server.rebase(s.url())).timeout(Duration.ofSeconds(90)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        long length;
        try (InputStream in = new DigestInputStream(r.body(), md5)) {
            length = in.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(r.statusCode()).as("GET of file %d", s.index()).isEqualTo(200);
        assertThat(length).as("bytes served for file %d", s.index()).isEqualTo(SIZE);
        return HexFormat.of().formatHex(md5.digest());
    }
}

package dev.upfront.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.RandomContent;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.StreamedMultipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many small concurrent uploads against the server as its own JVM (as many carrier threads as this machine has
 * cores): every one is answered 200 promptly, and the data folder is consistent afterwards. Guards against the
 * stall in which SQLite's native busy wait pinned every virtual-thread carrier while the write lock's holder
 * waited for one, freezing the whole server for the 60 s busy timeout and then failing requests by the dozen.
 */
class ConcurrentUploadsTest {
    private static final int CLIENTS = 48;
    private static final Duration RUN = Duration.ofSeconds(8);
    private static final Duration MAX_LATENCY = Duration.ofSeconds(15);

    @Test
    void manyConcurrentSmallUploadsAllSucceedPromptly(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dataDir) throws Exception {
        Path log = ServerProcess.targetDir().resolve("concurrent-uploads-server.log");
        Files.deleteIfExists(log);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger ok = new AtomicInteger();
        AtomicLong maxMillis = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try (ServerProcess server = ServerProcess.start(dataDir, Map.of(), List.of(), log)) {
            long end = System.nanoTime() + RUN.toNanos();
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                long seed = System.nanoTime() + t;
                clients.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    while (System.nanoTime() < end && failures.isEmpty()) {
                        long size = 1_000 + random.nextInt(50_000);
                        boolean shared = random.nextInt(8) == 0; // a new version of one of 64 shared paths
                        Map<String, String> fields = new LinkedHashMap<>();
                        fields.put("fileName", shared ? "shared.bin" : "small.bin");
                        fields.put("folder", "/c" + random.nextInt(64) + "/");
                        fields.put("useUniqueFileName", Boolean.toString(!shared));
                        StreamedMultipart body = new StreamedMultipart(fields, "small.bin", new RandomContent(random.nextLong(), size), size);
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                                    .header("Content-Type", body.contentType())
                                    .header("Authorization", TestServer.basic())
                                    .timeout(MAX_LATENCY)
                                    .POST(body.publisher())
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                        maxMillis.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> c : clients) {
                c.get(RUN.plus(MAX_LATENCY).plusSeconds(30).toSeconds(), TimeUnit.SECONDS);
            }
            System.out.printf("CONCURRENT UPLOADS: %d clients for %d s: %d uploads answered 200, slowest %d ms, %d failed%n",
                    CLIENTS, RUN.toSeconds(), ok.get(), maxMillis.get(), failures.size());
            assertThat(failures).as("uploads that failed or took longer than %s (server log %s)", MAX_LATENCY, log).isEmpty();
            assertThat(ok.get()).isPositive();
            server.stop();
        } finally {
            pool.shutdownNow();
        }
        assertThat(DataDirCheck.assertConsistent(dataDir)).hasSize(ok.get());
    }
}

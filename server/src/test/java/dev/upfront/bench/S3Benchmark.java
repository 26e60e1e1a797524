package dev.upfront.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Postgres;
import dev.upfront.testing.RandomContent;
import dev.upfront.testing.S3;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Uploads through one instance in the distributed mode: not a unit test (surefire ignores the name), run it with
 * {@code bench/s3.sh}. In this JVM: S3Proxy on loopback (the in-process S3 server the tests use) and embedded
 * PostgreSQL; the server runs as its own JVM ({@link ServerProcess}) so that its peak resident set (VmHWM) is its
 * own. Three phases, each on a fresh server process with the same heap cap:
 * <ol>
 *   <li>30 MB uploads, one after another: MB/s, peak RSS, and the most heap still in use right after a garbage
 *       collection (the server's {@code -Xlog:gc}), which is what the uploads retain rather than garbage;</li>
 *   <li>300 MB uploads, the same way (streamed to S3 as a multipart upload: memory must not grow with the size);</li>
 *   <li>48 KB uploads (one PutObject each), 32 at a time: uploads/s and latency.</li>
 * </ol>
 * Prints a markdown table.
 *
 * <pre>
 *   --big N      300 MB uploads (2)          --medium N   30 MB uploads (3)
 *   --small N    48 KB uploads (1000)        --concurrency N   small uploads in flight (32)
 *   --heap SIZE  the server's -Xmx (192m)    --data DIR   folder for the servers' data folders and logs
 * </pre>
 */
public final class S3Benchmark {
    private static final long MB = 1_000_000L;

    private static final Pattern GC_LINE = Pattern.compile("\\d+M->(\\d+)M\\(\\d+M\\)");

    private record Phase(String label, int count, double seconds, long bytes, long hwmKb, long heapAfterGcMb, double[] latenciesMs,
                         Map<Integer, Integer> refusals) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = ListingBenchmark.options(args);
        int big = Integer.parseInt(opts.getOrDefault("big", "2"));
        int medium = Integer.parseInt(opts.getOrDefault("medium", "3"));
        int small = Integer.parseInt(opts.getOrDefault("small", "1000"));
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "32"));
        String heap = opts.getOrDefault("heap", "192m");
        Path data = Path.of(opts.getOrDefault("data", Files.createTempDirectory("upfront-bench-s3-").toString()));

        System.err.println("bench: starting S3Proxy and embedded PostgreSQL...");
        S3 s3 = S3.start(Files.createDirectories(data.resolve("s3")), 0);
        String bucket = s3.freshBucket();
        Map<String, String> env = s3.distributedEnv(bucket, Postgres.freshDatabaseUrl());
        env.put("UPFRONT_MAX_FILE_SIZE", "400MB");
        List<String> jvm = List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError");

        List<Phase> phases = new ArrayList<>();
        try {
            phases.add(sequential(data, env, jvm, "30 MB uploads, one at a time", medium, 30 * MB));
            phases.add(sequential(data, env, jvm, "300 MB uploads, one at a time", big, 300 * MB));
            phases.add(concurrent(data, env, jvm, small, concurrency));
        } finally {
            s3.close();
        }

        System.out.println();
        System.out.printf("Distributed mode on loopback: embedded PostgreSQL + S3Proxy (in-process), server -Xmx%s, %d cores%n%n",
                heap, Runtime.getRuntime().availableProcessors());
        System.out.println("| scenario | count | throughput | latency p50 / p99 | server peak RSS (VmHWM) | most heap live after a GC | not 200 |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        for (Phase p : phases) {
            double[] sorted = p.latenciesMs().clone();
            Arrays.sort(sorted);
            String throughput = p.bytes() >= 10 * MB * p.count()
                    ? String.format("%.1f MB/s", p.bytes() / (double) MB / p.seconds())
                    : String.format("%.0f uploads/s", p.count() / p.seconds());
            System.out.printf("| %s | %d | %s | %.0f / %.0f ms | %d MB | %d MB | %s |%n", p.label(), p.count(), throughput,
                    ListingBenchmark.percentile(sorted, 50), ListingBenchmark.percentile(sorted, 99),
                    p.hwmKb() / 1024, p.heapAfterGcMb(), p.refusals().isEmpty() ? "none" : p.refusals());
        }
        // The embedded PostgreSQL cluster stops in a shutdown hook; leftover client threads must not keep the JVM up.
        System.exit(0);
    }

    /** {@code count} uploads of {@code size} random bytes, one after another, on a fresh server process. */
    private static Phase sequential(Path data, Map<String, String> env, List<String> jvm, String label, int count, long size)
            throws Exception {
        System.err.println("bench: " + label + " x " + count);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Path gcLog = data.resolve("gc-" + size / MB + "mb.log");
        try (ServerProcess server = start(data, env, withGcLog(jvm, gcLog), label)) {
            double[] latencies = new double[count];
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                RandomContent content = new RandomContent(i * 31L + size, size);
                StreamedMultipart body = new StreamedMultipart(Map.of("fileName", "big-" + i + ".bin"), "big-" + i + ".bin", content, size);
                long t = System.nanoTime();
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                        .header("Content-Type", body.contentType()).header("Authorization", TestServer.basic())
                        .timeout(Duration.ofMinutes(5)).POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
                latencies[i] = (System.nanoTime() - t) / 1e6;
                JsonNode json = ok(r);
                if (json.get("size").asLong() != size) {
                    throw new IllegalStateException("stored " + json.get("size") + " bytes, sent " + size);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Phase(label, count, seconds, count * size, server.procStatusKb("VmHWM").orElse(0), heapAfterGcMb(gcLog),
                    latencies, Map.of());
        }
    }

    /** {@code count} 48 KB uploads, {@code concurrency} at a time, on a fresh server process. */
    private static Phase concurrent(Path data, Map<String, String> env, List<String> jvm, int count, int concurrency) throws Exception {
        String label = "48 KB uploads, " + concurrency + " at a time";
        System.err.println("bench: " + label + " x " + count);
        byte[] file = new byte[48 * 1024];
        new Random(48).nextBytes(file);
        Path gcLog = data.resolve("gc-small.log");
        try (ExecutorService clientThreads = Executors.newFixedThreadPool(4);
             ServerProcess server = start(data, env, withGcLog(jvm, gcLog), label);
             ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();
            for (int i = 0; i < Math.min(100, count); i++) { // warm-up, not counted
                ok(client.send(smallUpload(server, "warm-" + i, file), HttpResponse.BodyHandlers.ofString()));
            }
            double[] latencies = new double[count];
            Map<Integer, Integer> refusals = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < count; ) {
                        long t = System.nanoTime();
                        int status = client.send(smallUpload(server, "small-" + i, file), HttpResponse.BodyHandlers.ofString()).statusCode();
                        latencies[i] = (System.nanoTime() - t) / 1e6;
                        if (status != 200) { // e.g. 503 when writers wait too long for a database connection
                            refusals.merge(status, 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Phase(label, count, seconds, (long) count * file.length, server.procStatusKb("VmHWM").orElse(0),
                    heapAfterGcMb(gcLog), latencies, new TreeMap<>(refusals));
        }
    }

    private static HttpRequest smallUpload(ServerProcess server, String name, byte[] file) {
        Multipart body = new Multipart().field("fileName", name + ".bin")
                .file("file", name + ".bin", "application/octet-stream", file);
        return HttpRequest.newBuilder(server.uri("/api/v1/files/upload")).header("Content-Type", body.contentType())
                .header("Authorization", TestServer.basic()).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
    }

    private static List<String> withGcLog(List<String> jvm, Path gcLog) {
        List<String> all = new ArrayList<>(jvm);
        all.add("-Xlog:gc:file=" + gcLog);
        return all;
    }

    private static ServerProcess start(Path data, Map<String, String> env, List<String> jvm, String label) throws Exception {
        Path dir = Files.createTempDirectory(data, "server-");
        return ServerProcess.start(dir, env, jvm, data.resolve("servers.log"), Duration.ofSeconds(120));
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("upload answered " + r.statusCode() + ": " + r.body());
        }
        return Json.parse(r.body());
    }

    /**
     * The most heap the server held right after a collection (its live data, from {@code -Xlog:gc}, lines such as
     * {@code Pause Young (Normal) (G1 Evacuation Pause) 50M->20M(192M) 3.2ms}), in MB; 0 when it never collected.
     */
    private static long heapAfterGcMb(Path gcLog) throws Exception {
        Matcher m = GC_LINE.matcher(Files.exists(gcLog) ? Files.readString(gcLog) : "");
        long max = 0;
        while (m.find()) {
            max = Math.max(max, Long.parseLong(m.group(1)));
        }
        return max;
    }
}

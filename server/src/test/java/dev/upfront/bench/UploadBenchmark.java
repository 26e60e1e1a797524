package dev.upfront.bench;

import dev.upfront.testing.Postgres;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.TestServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Upload throughput on loopback: not a unit test (surefire ignores the name). Starts the server as its own JVM (so a
 * profiler can be attached with {@code --jvm -XX:StartFlightRecording=...}), then either
 * <ul>
 *   <li>{@code small}: N keep-alive connections each POST a ~48 KB JPEG to {@code /api/v1/files/upload} with Basic
 *       auth (or, with {@code --auth v1}, client-side v1 fields with a fresh token per request), back to back, for a
 *       bounded number of seconds; prints uploads/s, latency percentiles and the server's CPU per upload; or</li>
 *   <li>{@code large}: one upload of {@code --mb} MB at a time, {@code --runs} times; prints MB/s.</li>
 * </ul>
 * The client is raw sockets with the request bytes built once, so the load generator costs little CPU of the two
 * cores the server shares with it.
 *
 * <p>{@code --postgres true} records into a PostgreSQL cluster of the bench's own, durable (fsync and
 * synchronous_commit on); {@code --pgstats true} then also prints what the run cost PostgreSQL per upload: commits,
 * WAL bytes and flushes, and the CPU time of its processes ({@link PostgresCosts}).
 *
 * <pre>
 *   small [--connections 32] [--seconds 10] [--warmup 3] [--auth basic|v1] [--postgres true [--pgstats true]] [--jvm ARG]... [--env K=V]...
 *   large [--mb 300] [--runs 3] [--jvm ARG]... [--env K=V]...
 * </pre>
 */
public final class UploadBenchmark {
    private static final String BOUNDARY = "----upfront-bench-boundary-7d1c";

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "small";
        Map<String, String> opts = new HashMap<>();
        List<String> jvm = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            switch (key) {
                case "jvm" -> jvm.add(args[i + 1]);
                case "env" -> env.put(args[i + 1].substring(0, args[i + 1].indexOf('=')),
                        args[i + 1].substring(args[i + 1].indexOf('=') + 1));
                default -> opts.put(key, args[i + 1]);
            }
        }
        env.putIfAbsent("UPFRONT_MAX_FILE_SIZE", "1GB");
        Path data = opts.containsKey("data") ? Path.of(opts.get("data")) : Files.createTempDirectory("upfront-upload-bench");
        Path log = data.resolveSibling(data.getFileName() + "-server.log");
        Postgres cluster = null;
        Path clusterDir = null;
        try {
            PostgresCosts costs = null;
            if (opts.getOrDefault("postgres", "false").equals("true")) {
                // A cluster of the bench's own with fsync and synchronous_commit on: its commits cost what a real
                // server's do (the tests' shared cluster flushes nothing).
                clusterDir = Files.createTempDirectory("upfront-upload-bench-pg");
                cluster = Postgres.startDurableCluster(clusterDir);
                String url = cluster.createDatabase("upfront_bench");
                env.put("UPFRONT_DATABASE_URL", url);
                costs = new PostgresCosts(cluster, url);
                System.out.println("postgres: durable cluster, " + costs.durability());
            }
            PostgresCosts pgStats = opts.getOrDefault("pgstats", "false").equals("true") ? costs : null;
            try (ServerProcess server = ServerProcess.start(data, env, jvm, log, Duration.ofMinutes(3))) {
                if (mode.equals("large")) {
                    large(server, Integer.parseInt(opts.getOrDefault("mb", "300")), Integer.parseInt(opts.getOrDefault("runs", "3")));
                } else {
                    small(server, Integer.parseInt(opts.getOrDefault("connections", "32")),
                            Integer.parseInt(opts.getOrDefault("seconds", "10")), Integer.parseInt(opts.getOrDefault("warmup", "3")),
                            opts.getOrDefault("auth", "basic").equals("v1"), pgStats);
                }
                server.stop();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
                deleteTree(clusterDir);
            }
            if (!opts.containsKey("data")) {
                deleteTree(data);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    /** @param pgStats the PostgreSQL cluster whose costs are printed too, or null */
    private static void small(ServerProcess server, int connections, int seconds, int warmup, boolean v1,
                              PostgresCosts pgStats) throws Exception {
        byte[] jpeg = jpeg(48 * 1024);
        byte[] basic = request(server.port(), "photo.jpg", jpeg, jpeg.length, Map.of());
        // v1: a fresh token (and its signature) for every request, never one twice, as a browser would send.
        Callable<byte[]> requests = v1 ? () -> request(server.port(), "photo.jpg", jpeg, jpeg.length, TestServer.v1Auth(3000))
                : () -> basic;
        run(server, requests, connections, warmup); // JIT and pools warm up; not counted
        PostgresCosts.Sample pg0 = pgStats == null ? null : pgStats.sample();
        long cpu0 = cpuMillis(server.pid());
        Map<String, Long> threads0 = threadGroupMillis(server.pid());
        Result r = run(server, requests, connections, seconds);
        long cpu = cpuMillis(server.pid()) - cpu0;
        Map<String, Long> threads = threadGroupMillis(server.pid());
        PostgresCosts.Sample pg = pgStats == null ? null : pgStats.sample();
        double uploads = Math.max(1, r.count);
        // CPU per upload is the figure that survives a shared machine: throughput follows the CPU share one gets.
        // The JIT's share shrinks with the uploads a warm-up managed, so the rest is given apart from it.
        System.out.printf("small%s: %d connections, %d B JPEG, %d s: %d uploads, %.0f uploads/s, p50 %.1f ms, p99 %.1f ms,"
                        + " server CPU %.2f ms/upload (JIT %.2f, GC %.2f, other threads %.2f), %d errors%n",
                v1 ? " (v1, fresh tokens)" : "", connections, jpeg.length,
                seconds, r.count, r.count / (double) seconds, r.percentile(50), r.percentile(99),
                cpu / uploads, since(threads0, threads, "jit") / uploads, since(threads0, threads, "gc") / uploads,
                since(threads0, threads, "other") / uploads, r.errors);
        if (pgStats != null) {
            System.out.println(PostgresCosts.perUpload(pg0, pg, uploads));
        }
    }

    private static long since(Map<String, Long> before, Map<String, Long> after, String group) {
        return after.getOrDefault(group, 0L) - before.getOrDefault(group, 0L);
    }

    /**
     * User + system CPU time of the process's threads so far, by group: the JIT compilers, the garbage collector,
     * and all other threads (request handling). Threads that ended in between are missed, which the JVM's few
     * short-lived threads make negligible.
     */
    private static Map<String, Long> threadGroupMillis(long pid) throws IOException {
        Map<String, Long> groups = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long millis = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
                // The serial collector (the launcher's default) collects in the VM thread.
                String group = name.contains("CompilerThre") ? "jit"
                        : name.startsWith("GC ") || name.startsWith("G1 ") || name.equals("VM Thread") ? "gc" : "other";
                groups.merge(group, millis, Long::sum);
            }
        }
        return groups;
    }

    /** User + system CPU time of a process so far, from /proc (Linux). */
    private static long cpuMillis(long pid) throws IOException {
        long[] both = userSystemMillis(pid);
        return both[0] + both[1];
    }

    /** User and system CPU time of a process so far, from /proc (Linux). */
    private static long[] userSystemMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime, stime (fields 14 and 15); USER_HZ is 100 on Linux
        return new long[] {Long.parseLong(f[11]) * 10, Long.parseLong(f[12]) * 10};
    }

    /** The process's peak resident set so far (VmHWM), in MB. */
    private static long peakRssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private record Result(int count, int errors, long[] nanos) {
        double percentile(int p) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            return nanos[Math.min(nanos.length - 1, (int) ((long) nanos.length * p / 100))] / 1e6;
        }
    }

    private static Result run(ServerProcess server, Callable<byte[]> requests, int connections, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                all.add(pool.submit(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
                        s.setSoTimeout(60_000);
                        OutputStream out = s.getOutputStream();
                        InputStream in = s.getInputStream();
                        byte[] buffer = new byte[16 * 1024];
                        while (System.nanoTime() < end) {
                            byte[] request = requests.call();
                            long t0 = System.nanoTime();
                            out.write(request);
                            out.flush();
                            int status = readResponse(in, buffer);
                            if (status == 200) {
                                latencies.add(System.nanoTime() - t0);
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        long[] nanos = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(nanos.length, errors.get(), nanos);
    }

    private static void large(ServerProcess server, int mb, int runs) throws Exception {
        byte[] chunk = new byte[1 << 20];
        new Random(7).nextBytes(chunk);
        long size = (long) mb << 20;
        for (int run = 0; run < runs; run++) {
            byte[] head = request(server.port(), "big.bin", null, size, Map.of());
            byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()));
                s.setSoTimeout(300_000);
                OutputStream out = s.getOutputStream();
                long[] cpu0 = userSystemMillis(server.pid());
                Map<String, Long> threads0 = threadGroupMillis(server.pid());
                long t0 = System.nanoTime();
                out.write(head);
                for (long sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
                }
                out.write(tail);
                out.flush();
                int status = readResponse(s.getInputStream(), new byte[16 * 1024]);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long[] cpu = userSystemMillis(server.pid());
                Map<String, Long> threads = threadGroupMillis(server.pid());
                long user = cpu[0] - cpu0[0];
                long system = cpu[1] - cpu0[1];
                // The JIT is still compiling during the first uploads, more or less of it as the machine is loaded:
                // the other threads' CPU (reading, parsing, hashing, writing) is the upload path's own.
                System.out.printf("large: %d MB in %.2f s: %.0f MB/s, server CPU %.2f ms/MB (user %.2f, system %.2f;"
                                + " JIT %.2f, GC %.2f, other threads %.2f), peak RSS %d MB (status %d)%n", mb, seconds,
                        mb / seconds, (user + system) / (double) mb, user / (double) mb, system / (double) mb,
                        since(threads0, threads, "jit") / (double) mb, since(threads0, threads, "gc") / (double) mb,
                        since(threads0, threads, "other") / (double) mb, peakRssMb(server.pid()), status);
            }
        }
    }

    /**
     * The request bytes: headers and the multipart body. With {@code file == null} only up to the file's first byte
     * (the caller streams {@code fileSize} bytes and the closing boundary). Authenticated by {@code v1Fields}, sent
     * before the file, or with Basic auth when there are none.
     */
    private static byte[] request(int port, String fileName, byte[] file, long fileSize, Map<String, String> v1Fields)
            throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : v1Fields.entrySet()) {
            body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\n" + fileName + "\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long length = body.size() + fileSize + tail.length;
        if (file != null) {
            body.write(file);
            body.write(tail);
        }
        String auth = Base64.getEncoder().encodeToString((TestServer.PRIVATE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        String headers = "POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + (v1Fields.isEmpty() ? "\r\nAuthorization: Basic " + auth : "")
                + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + length + "\r\n\r\n";
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(headers.getBytes(StandardCharsets.US_ASCII));
        body.writeTo(all);
        return all.toByteArray();
    }

    /** Reads one response (Content-Length or chunked body) and returns its status. */
    private static int readResponse(InputStream in, byte[] buffer) throws IOException {
        StringBuilder head = new StringBuilder();
        int prev3 = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.append((char) b);
            prev3 = (prev3 << 8 | b) & 0xFFFFFFFF;
            if (prev3 == 0x0D0A0D0A) {
                break;
            }
        }
        String h = head.toString();
        int status = Integer.parseInt(h.substring(9, 12));
        String lower = h.toLowerCase();
        int cl = lower.indexOf("content-length:");
        if (cl >= 0) {
            long n = Long.parseLong(lower.substring(cl + 15, lower.indexOf('\r', cl)).trim());
            skip(in, n, buffer);
        } else if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) != '\n') {
                    if (b < 0) {
                        throw new IOException("connection closed");
                    }
                    line.append((char) b);
                }
                long n = Long.parseLong(line.toString().trim().split(";")[0], 16);
                skip(in, n + 2, buffer);
                if (n == 0) {
                    break;
                }
            }
        }
        return status;
    }

    private static void skip(InputStream in, long n, byte[] buffer) throws IOException {
        while (n > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (r < 0) {
                throw new IOException("connection closed");
            }
            n -= r;
        }
    }

    /** A JPEG of about {@code bytes}: noise compresses poorly, so a small picture of it reaches the size. */
    static byte[] jpeg(int bytes) throws IOException {
        Random random = new Random(42);
        for (int side = 64; ; side += 8) {
            BufferedImage image = new BufferedImage(side, side * 3 / 4, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt(0x1000000));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", out);
            if (out.size() >= bytes) {
                return Arrays.copyOf(out.toByteArray(), out.size());
            }
        }
    }
}

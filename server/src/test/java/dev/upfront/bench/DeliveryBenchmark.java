package dev.upfront.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.app.Upfront;
import dev.upfront.config.Config;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cached hits of a 400×300 rendering: not a unit test, run it with {@code bench/delivery.sh}. Starts two servers in
 * this JVM on fresh data folders, one with the memory delivery cache off ({@code UPFRONT_DELIVERY_CACHE_BYTES=0}:
 * lookup, render-cache store and a blocking stream per request, as before that cache) and one with the default,
 * plus nginx serving the same bytes as a static file; uploads a 1600×1200 JPEG to each server and renders
 * {@code tr:w-400,h-300} once; then, after one untimed warm-up run each, runs {@code wrk} against the three in turn,
 * round after round (so a busy moment
 * of a shared machine hits all three alike), and prints the median req/s of each and the ratios.
 *
 * <pre>
 *   --rounds N       rounds (5)         --seconds N    wrk duration per run (5)
 *   --connections N  wrk connections (32)
 * </pre>
 */
public final class DeliveryBenchmark {
    static final String PRIVATE_KEY = "private_bench_key_with_enough_entropy_0001";
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = ListingBenchmark.options(args);
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "5"));
        int connections = Integer.parseInt(opts.getOrDefault("connections", "32"));
        byte[] jpeg = Images.jpeg(1600, 1200);
        Map<String, String> targets = new LinkedHashMap<>();
        List<AutoCloseable> running = new ArrayList<>();
        Process nginx = null;
        try {
            byte[] rendering = null;
            for (String cache : List.of("0", "64MB")) {
                Upfront server = start(cache);
                running.add(server);
                String url = upload(server.port(), jpeg) + "?tr=w-400,h-300";
                rendering = get(url);
                get(url);
                targets.put(cache.equals("0") ? "Upfront, memory cache off" : "Upfront, memory cache 64MB", url);
            }
            Path root = Files.createTempDirectory("upfront-nginx-");
            Files.write(root.resolve("rendering.jpg"), rendering);
            int nginxPort = 18_000 + (int) (ProcessHandle.current().pid() % 1000);
            nginx = startNginx(root, nginxPort);
            targets.put("nginx static", "http://127.0.0.1:" + nginxPort + "/rendering.jpg");
            get(targets.get("nginx static"));

            // One untimed run each first: the JIT compiles the hot path (early rounds otherwise measure the compiler).
            for (String url : targets.values()) {
                wrk(url, seconds, connections);
            }
            Map<String, List<Double>> results = new LinkedHashMap<>();
            targets.keySet().forEach(k -> results.put(k, new ArrayList<>()));
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, String> t : targets.entrySet()) {
                    double rps = wrk(t.getValue(), seconds, connections);
                    results.get(t.getKey()).add(rps);
                    System.out.printf("round %d  %-28s %,10.0f req/s%n", round, t.getKey(), rps);
                }
            }
            double nginxMedian = median(results.get("nginx static"));
            System.out.println();
            System.out.printf("%d rounds of %d s, %d connections, %,d-byte rendering; medians (min–max):%n%n", rounds, seconds,
                    connections, rendering.length);
            System.out.println("| target | req/s | ÷ nginx |");
            System.out.println("|---|---:|---:|");
            for (Map.Entry<String, List<Double>> r : results.entrySet()) {
                List<Double> v = r.getValue().stream().sorted().toList();
                System.out.printf("| %s | %,.0f (%,.0f–%,.0f) | %.2f× |%n", r.getKey(), median(v), v.getFirst(), v.getLast(),
                        median(v) / nginxMedian);
            }
        } finally {
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
            for (AutoCloseable c : running) {
                c.close();
            }
        }
        System.exit(0);
    }

    private static Upfront start(String deliveryCacheBytes) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("UPFRONT_PORT", "0");
        env.put("UPFRONT_BIND", "127.0.0.1");
        env.put("UPFRONT_DATA_DIR", Files.createTempDirectory("upfront-bench-").toString());
        env.put("UPFRONT_PUBLIC_KEY", "public_bench_key");
        env.put("UPFRONT_PRIVATE_KEY", PRIVATE_KEY);
        env.put("UPFRONT_DELIVERY_CACHE_BYTES", deliveryCacheBytes);
        return Upfront.start(Config.load(env, List.of()), new PrintStream(PrintStream.nullOutputStream()));
    }

    private static String upload(int port, byte[] jpeg) throws Exception {
        Multipart body = new Multipart().field("fileName", "bench.jpg").field("useUniqueFileName", "false")
                .file("file", "bench.jpg", "image/jpeg", jpeg);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/files/upload"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((PRIVATE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("upload answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode up = Json.parse(r.body());
        return up.get("url").asText().replace("localhost", "127.0.0.1");
    }

    private static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static Process startNginx(Path root, int port) throws Exception {
        Path conf = root.resolve("nginx.conf");
        Files.writeString(conf, """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp;
                    proxy_temp_path %1$s/tmp;
                    fastcgi_temp_path %1$s/tmp;
                    uwsgi_temp_path %1$s/tmp;
                    scgi_temp_path %1$s/tmp;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %1$s;
                        location / { etag on; add_header Cache-Control "public, max-age=0, must-revalidate"; }
                    }
                }
                """.formatted(root, port));
        // nginx's workers may run as another user (nobody, when started as root): they must read the folder.
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root.resolve("rendering.jpg"), PosixFilePermissions.fromString("rw-r--r--"));
        Process p = new ProcessBuilder("nginx", "-c", conf.toString(), "-p", root.toString()).inheritIO().start();
        try {
            for (int i = 0; i < 50; i++) {
                try {
                    get("http://127.0.0.1:" + port + "/rendering.jpg");
                    return p;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            throw new IllegalStateException("nginx did not start on port " + port);
        } catch (Exception e) {
            p.destroy();
            throw e;
        }
    }

    private static double wrk(String url, int seconds, int connections) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        if (out.contains("Non-2xx")) {
            throw new IllegalStateException("wrk saw errors: " + out);
        }
        Matcher m = RPS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no Requests/sec in wrk's output: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

package dev.upfront.bench;

import dev.upfront.app.Upfront;
import dev.upfront.config.Config;
import dev.upfront.db.Database;
import dev.upfront.db.Sql;
import dev.upfront.json.Json;
import dev.upfront.testing.Postgres;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code searchQuery} latency by query shape on a large library: not a unit test, run it with
 * {@code bench/search.sh}. Builds the library of {@link ListingBenchmark} (N files, 2 to 4 of 30 common tags each)
 * and gives 20 of its files a rare tag, starts the whole server on it, and times full HTTP round trips of each shape
 * (tags common, rare and absent, NOT, OR, name prefix, IN lists, dates, numbers, custom metadata), printing the
 * p50 and p95 per shape in a markdown table.
 *
 * <pre>
 *   --files N     files to insert (100000)        --runs N   timed runs per query (60)
 *   --warmup N    untimed runs first (10)         --data DIR data folder (reused when it holds a library)
 *   --postgres true  the library in PostgreSQL (the tests' embedded cluster, its data in DIR/postgres)
 * </pre>
 *
 * Exit status 0 when every p95 is within the goal (50 ms), 1 otherwise.
 */
public final class SearchBenchmark {
    static final double GOAL_MS = 50.0;
    static final int RARE = 20;

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = ListingBenchmark.options(args);
        int files = Integer.parseInt(opts.getOrDefault("files", "100000"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "60"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10"));
        boolean postgres = opts.getOrDefault("postgres", "false").equals("true");
        Postgres cluster = null;
        Map<String, String> env;
        if (postgres) {
            Path data = opts.containsKey("data") ? Path.of(opts.get("data")) : Files.createTempDirectory("upfront-bench-");
            Path clusterDir = data.resolve("postgres");
            boolean fresh = !Files.exists(clusterDir);
            cluster = Postgres.startCluster(clusterDir, 0);
            String url = fresh ? cluster.createDatabase("search") : cluster.url("search");
            if (fresh) {
                long t0 = System.nanoTime();
                try (Database db = Database.openPostgres(url)) {
                    ListingBenchmark.insert(db, files, 100);
                    addRareTag(db, files);
                    // What autovacuum does soon after a bulk load: statistics for the planner.
                    db.withConnection(c -> Sql.update(c, "ANALYZE"));
                }
                System.out.printf("Inserted %,d files into PostgreSQL in %.1f s (%s)%n", files, (System.nanoTime() - t0) / 1e9, clusterDir);
            } else {
                System.out.println("Reusing the PostgreSQL library in " + clusterDir);
            }
            env = ListingBenchmark.serverEnv(data);
            env.put("UPFRONT_DATABASE_URL", url);
        } else {
            env = ListingBenchmark.prepareLibrary(opts, files, 100);
            try (Database db = Database.openSqlite(Path.of(env.get("UPFRONT_DATA_DIR")).resolve("upfront.db"))) {
                addRareTag(db, files);
            }
        }
        List<String> shapes = List.of(
                "tags IN [\"tag-7\"]",
                "tags IN [\"rare\"]",
                "tags = \"absent\"",
                "tags IN [\"rare\", \"absent\"]",
                "tags NOT IN [\"tag-7\"]",
                "tags NOT IN [\"tag-1\", \"tag-2\", \"tag-3\", \"tag-4\", \"tag-5\", \"tag-6\", \"tag-7\", \"tag-8\", \"tag-9\", \"tag-10\"]",
                "tags HAS \"rare\"",
                "tags EXISTS",
                "tags IN [\"absent\"] OR name = \"file-000123.jpg\"",
                "tags IN [\"tag-3\"] OR tags IN [\"tag-4\"]",
                "name = \"file-012345.jpg\"",
                "name = \"absent.jpg\"",
                "name : \"file-0999\"",
                "name : \"absent\"",
                "name IN [\"file-000001.jpg\", \"file-050000.jpg\", \"absent.jpg\"]",
                "name HAS \"absent\"",
                "filePath = \"/folder-042/file-000042.jpg\"",
                "path = \"/folder-042/\" AND tags IN [\"absent\"]",
                "path : \"/folder-04\" AND tags IN [\"rare\"]",
                "width > 4090",
                "width > 100000",
                "size < 10500",
                "createdAt > \"7d\"",
                "createdAt < \"2000-01-01\"",
                "format = \"png\"",
                "customMetadata.rank = 5",
                "customMetadata.rank > 100000",
                "customMetadata.rank IN [1, 2, 3]",
                "customMetadata.rank < 10",
                "customMetadata.rank = 5 OR tags IN [\"rare\"]",
                "embeddedMetadata.Make = \"Canon\"",
                "tags HAS \"tag\"",
                "tags HAS \"tag 7\"",
                "name HAS \"file 012345\"",
                "name HAS \"jpg\"",
                "name HAS \"ab\"",
                "private = true",
                "published = false",
                "type = \"file-version\"");

        List<String[]> rows = new ArrayList<>();
        boolean met = true;
        try (Upfront server = Upfront.start(Config.load(env, List.of()), new PrintStream(PrintStream.nullOutputStream()))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String auth = "Basic " + Base64.getEncoder().encodeToString((ListingBenchmark.PRIVATE_KEY + ":").getBytes(StandardCharsets.UTF_8));
            for (String shape : shapes) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/files?limit=100&searchQuery="
                        + URLEncoder.encode(shape, StandardCharsets.UTF_8))).header("Authorization", auth).GET().build();
                int found = 0;
                for (int i = 0; i < warmup; i++) {
                    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(shape + " answered " + r.statusCode() + ": " + r.body());
                    }
                    found = Json.parse(r.body()).size();
                }
                double[] ms = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long t = System.nanoTime();
                    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                    ms[i] = (System.nanoTime() - t) / 1e6;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(shape + " answered " + r.statusCode());
                    }
                }
                Arrays.sort(ms);
                double p95 = ListingBenchmark.percentile(ms, 95);
                met &= p95 <= GOAL_MS;
                rows.add(new String[] {"`" + shape.replace("|", "\\|") + "`", Integer.toString(found),
                        "%.1f".formatted(ListingBenchmark.percentile(ms, 50)), "%.1f".formatted(p95), p95 <= GOAL_MS ? "yes" : "**no**"});
                System.out.printf("%-100s p50 %6.1f  p95 %6.1f ms%n", shape, ListingBenchmark.percentile(ms, 50), p95);
            }
        }
        System.out.println();
        if (cluster != null) {
            cluster.close();
        }
        System.out.printf("%s, %,d files (2 to 4 of 30 tags each; %d with the tag 'rare'), limit=100, %d timed runs per query after %d "
                + "warm-up runs; full HTTP round trips.%n%n", postgres ? "PostgreSQL" : "SQLite", files, RARE, runs, warmup);
        System.out.println("| searchQuery | rows | p50 ms | p95 ms | p95 ≤ " + (int) GOAL_MS + " ms |");
        System.out.println("|---|---:|---:|---:|:---:|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
        System.exit(met ? 0 : 1);
    }

    /** Gives {@link #RARE} files spread over the library the tag {@code rare} (idempotent: a reused library keeps them). */
    static void addRareTag(Database db, int files) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO version_tags (version_id, tag) "
                    + "SELECT current_version_id, 'rare' FROM files WHERE name = ? ON CONFLICT DO NOTHING")) {
                for (int i = 0; i < RARE; i++) {
                    ps.setString(1, "file-%06d.jpg".formatted(i * (files / RARE)));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }
}

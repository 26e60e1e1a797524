package dev.upfront.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.app.Upfront;
import dev.upfront.config.Config;
import dev.upfront.db.Database;
import dev.upfront.ids.Ids;
import dev.upfront.json.Json;
import dev.upfront.library.FileVersion;
import dev.upfront.library.jdbc.JdbcLibrary;
import dev.upfront.library.Library;
import dev.upfront.library.StoredFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Listing and search latency on a large library: not a unit test (surefire ignores the name), run it with
 * {@code bench/listing.sh}. It writes N files straight into SQLite through the server's own {@link JdbcLibrary}
 * (a few big transactions, over ~100 folders, 2 to 4 of 30 tags each), starts the whole server on that data
 * folder, warms up, then times full HTTP round trips (request, query, JSON) and prints a markdown table.
 *
 * <pre>
 *   --files N     files to insert (100000)        --folders N   folders (100)
 *   --runs N      timed runs per query (200)      --warmup N    untimed runs first (50)
 *   --data DIR    data folder (a fresh temp one; an existing library there is reused)
 * </pre>
 *
 * Exit status 0 when every median is under the goal (20 ms), 1 otherwise.
 */
public final class ListingBenchmark {
    static final String PRIVATE_KEY = "private_bench_key_with_enough_entropy_0001";
    static final double GOAL_MS = 20.0;
    static final int TAGS = 30;

    record Query(String label, String pathAndQuery, Predicate<JsonNode> rowCheck) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int files = Integer.parseInt(opts.getOrDefault("files", "100000"));
        int folders = Integer.parseInt(opts.getOrDefault("folders", "100"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "200"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "50"));
        Map<String, String> env = prepareLibrary(opts, files, folders);
        String folder = "/folder-%03d/".formatted(Math.min(42, folders - 1));
        List<Query> queries = List.of(
                new Query("(a) `GET /v1/files?path=" + folder + "&sort=DESC_CREATED&limit=100`",
                        "/v1/files?path=" + folder + "&sort=DESC_CREATED&limit=100",
                        n -> n.get("filePath").asText().startsWith(folder)),
                new Query("(b) `GET /v1/files?searchQuery=tags IN [\"tag-7\"]&limit=100`",
                        "/v1/files?searchQuery=" + URLEncoder.encode("tags IN [\"tag-7\"]", StandardCharsets.UTF_8) + "&limit=100",
                        n -> n.get("tags").toString().contains("\"tag-7\"")));

        List<String[]> rows = new ArrayList<>();
        boolean met = true;
        try (Upfront server = Upfront.start(Config.load(env, List.of()), new PrintStream(PrintStream.nullOutputStream()))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String auth = "Basic " + Base64.getEncoder().encodeToString((PRIVATE_KEY + ":").getBytes(StandardCharsets.UTF_8));
            String base = "http://127.0.0.1:" + server.port();
            for (Query q : queries) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + q.pathAndQuery())).header("Authorization", auth).GET().build();
                JsonNode first = check(q, client.send(request, HttpResponse.BodyHandlers.ofString()));
                for (int i = 0; i < warmup; i++) {
                    client.send(request, HttpResponse.BodyHandlers.ofString());
                }
                double[] ms = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long t = System.nanoTime();
                    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                    ms[i] = (System.nanoTime() - t) / 1e6;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(q.label() + " answered " + r.statusCode());
                    }
                }
                Arrays.sort(ms);
                double median = percentile(ms, 50);
                met &= median < GOAL_MS;
                rows.add(new String[] {q.label(), Integer.toString(first.size()), "%.2f".formatted(median), "%.2f".formatted(percentile(ms, 95)),
                        "%.2f".formatted(ms[ms.length - 1]), median < GOAL_MS ? "yes" : "**no**"});
            }
        }

        System.out.println();
        System.out.printf("%,d files, %d folders; %d timed runs per query after %d warm-up runs; times are full HTTP round trips.%n%n",
                files, folders, runs, warmup);
        System.out.println("| query | rows | median ms | p95 ms | max ms | median < " + (int) GOAL_MS + " ms |");
        System.out.println("|---|---:|---:|---:|---:|:---:|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
        System.exit(met ? 0 : 1);
    }

    /**
     * The library of {@code --data} (a fresh temp folder when absent), written with {@link #insert} unless one is
     * there already; returns the environment of a server on it with the bench's key pair, on a free port.
     */
    static Map<String, String> prepareLibrary(Map<String, String> opts, int files, int folders) throws IOException {
        Path data = opts.containsKey("data") ? Path.of(opts.get("data")) : Files.createTempDirectory("upfront-bench-");
        Path dbFile = data.resolve("upfront.db");
        if (Files.exists(dbFile)) {
            System.out.println("Reusing the library in " + data);
        } else {
            long t0 = System.nanoTime();
            insert(dbFile, files, folders);
            System.out.printf("Inserted %,d files in %d folders in %.1f s (%s)%n", files, folders, (System.nanoTime() - t0) / 1e9, data);
        }
        return serverEnv(data);
    }

    /** The environment of a server on the data folder {@code data} with the bench's key pair, on a free port. */
    static Map<String, String> serverEnv(Path data) {
        Map<String, String> env = new HashMap<>();
        env.put("UPFRONT_PORT", "0");
        env.put("UPFRONT_BIND", "127.0.0.1");
        env.put("UPFRONT_DATA_DIR", data.toString());
        env.put("UPFRONT_PUBLIC_KEY", "public_bench_key");
        env.put("UPFRONT_PRIVATE_KEY", PRIVATE_KEY);
        return env;
    }

    /** Writes the library through the server's own classes, 10 000 files per transaction. */
    static void insert(Path dbFile, int files, int folders) {
        try (Database db = Database.openSqlite(dbFile)) {
            insert(db, files, folders);
        }
    }

    /** Writes the library into {@code db} (SQLite or PostgreSQL), 10 000 files per transaction. */
    static void insert(Database db, int files, int folders) {
        Random random = new Random(42);
        Instant start = Instant.now().minusSeconds(files * 60L);
        Library library = new JdbcLibrary(db);
        library.write(w -> {
            for (int f = 0; f < folders; f++) {
                w.ensureFolder("/folder-%03d/".formatted(f), start);
            }
            return null;
        });
        int batch = 10_000;
        for (int from = 0; from < files; from += batch) {
            int first = from;
            library.write(w -> {
                for (int i = first; i < Math.min(files, first + batch); i++) {
                    String folder = "/folder-%03d/".formatted(i % folders);
                    String name = "file-%06d.jpg".formatted(i);
                    String id = Ids.objectId();
                    Instant at = start.plusSeconds(i * 60L);
                    Set<String> tags = new LinkedHashSet<>();
                    int count = 2 + random.nextInt(3);
                    while (tags.size() < count) {
                        tags.add("tag-" + random.nextInt(TAGS));
                    }
                    int width = 100 + random.nextInt(4000);
                    int height = 100 + random.nextInt(3000);
                    w.insertFile(new StoredFile(id, folder + name, folder, name, id, 1, at, at));
                    w.insertVersion(new FileVersion(id, id, 1, id, 10_000 + random.nextInt(5_000_000), "%032x".formatted(i),
                            "image/jpeg", "image", width, height, false, List.copyOf(tags), null,
                            Map.of("rank", i % 1000), null, null, false, true, at, at));
                }
                return null;
            });
        }
    }

    static JsonNode check(Query q, HttpResponse<String> r) throws Exception {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(q.label() + " answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode rows = Json.parse(r.body());
        if (rows.size() != 100) {
            throw new IllegalStateException(q.label() + " returned " + rows.size() + " rows, not 100");
        }
        String previous = null;
        boolean descending = q.pathAndQuery().contains("sort=DESC_CREATED");
        for (JsonNode n : rows) {
            if (!q.rowCheck().test(n)) {
                throw new IllegalStateException(q.label() + " returned a row that does not match: " + n);
            }
            String created = n.get("createdAt").asText(); // ISO-8601 UTC with millis: text order is time order
            if (previous != null && (descending ? created.compareTo(previous) > 0 : created.compareTo(previous) < 0)) {
                throw new IllegalStateException(q.label() + " is not in createdAt order at " + n);
            }
            previous = created;
        }
        return rows;
    }

    static double percentile(double[] sorted, int p) {
        double rank = p / 100.0 * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("usage: ListingBenchmark [--files N] [--folders N] [--runs N] [--warmup N] [--data DIR]");
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }
}

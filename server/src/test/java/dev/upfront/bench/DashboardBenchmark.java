package dev.upfront.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.app.Upfront;
import dev.upfront.config.Config;
import dev.upfront.json.Json;
import dev.upfront.testing.Chromium;
import dev.upfront.testing.NodeProject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's folder page on a 100 000-file folder (bench/dashboard.sh; not part of ./upfront test): writes
 * that many files into one folder as {@link ListingBenchmark} does, starts the server on it, signs in once in
 * Chromium and loads {@code /dashboard?path=/folder-000/} {@code --runs} times, each in a fresh tab after
 * {@code --warmup} untimed loads. A load's time is the page's own mark after the frame that drew the first grid
 * (milliseconds since navigation started), next to Chromium's first contentful paint. Exit status 1 when the
 * median misses the 1 s goal. Then a deep page ({@code --deep} files in, newest first) loaded the way the page's Next
 * button addresses it (by key: {@code after=<createdAt>}) and, for comparison in the same run, by offset
 * ({@code skip=<deep>}, what it did before).
 *
 *   --files N (100000)  --runs N (20)  --warmup N (3)  --deep N (files - 100)
 *   --data DIR (a fresh temp one; an existing library is reused)
 */
public final class DashboardBenchmark {
    static final double GOAL_MS = 1000.0;

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = ListingBenchmark.options(args);
        int files = Integer.parseInt(opts.getOrDefault("files", "100000"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "20"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
        int deep = Integer.parseInt(opts.getOrDefault("deep", Integer.toString(Math.max(0, files - 100))));
        Map<String, String> env = ListingBenchmark.prepareLibrary(opts, files, 1);
        JsonNode out;
        try (Upfront server = Upfront.start(Config.load(env, List.of()), new PrintStream(PrintStream.nullOutputStream()))) {
            NodeProject project = NodeProject.prepare(Files.createTempDirectory("upfront-bench-node-"));
            Chromium chromium = Chromium.prepare(project);
            Map<String, String> node = new HashMap<>();
            node.put("UPFRONT_CHROMIUM", chromium.executable().toString());
            node.put("UPFRONT_BASE", "http://127.0.0.1:" + server.port());
            node.put("UPFRONT_PRIVATE_KEY", ListingBenchmark.PRIVATE_KEY);
            node.put("UPFRONT_FOLDER", "/folder-000/");
            node.put("UPFRONT_RUNS", Integer.toString(runs));
            node.put("UPFRONT_WARMUP", Integer.toString(warmup));
            node.put("UPFRONT_DEEP", Integer.toString(deep));
            NodeProject.ProcessResult run = project.node("dashboard-paint.mjs", node, Duration.ofMinutes(10));
            if (!run.ok()) {
                throw new IllegalStateException("dashboard-paint.mjs failed:\n" + run.describe());
            }
            out = Json.parse(run.lastLine());
        }
        if (out.has("failure")) {
            throw new IllegalStateException(out.path("failure").asText());
        }
        double[] painted = sorted(out.path("painted"));
        double[] fcp = sorted(out.path("firstContentfulPaint"));
        double median = ListingBenchmark.percentile(painted, 50);
        System.out.printf("%n%,d files in one folder; %d timed loads after %d warm-up loads; %d grid items on the page.%n%n",
                files, runs, warmup, out.path("gridItems").asInt());
        System.out.println("| measure | median ms | p95 ms | max ms |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf("| folder page: first grid painted | %.0f | %.0f | %.0f |%n", median, ListingBenchmark.percentile(painted, 95),
                painted[painted.length - 1]);
        System.out.printf("| first contentful paint | %.0f | %.0f | %.0f |%n", ListingBenchmark.percentile(fcp, 50),
                ListingBenchmark.percentile(fcp, 95), fcp[fcp.length - 1]);
        row("page %,d files in, by key (Next)".formatted(deep), sorted(out.path("deepByKey")));
        row("page %,d files in, by offset (before)".formatted(deep), sorted(out.path("deepByOffset")));
        System.out.printf("%nGoal: the grid painted within %.0f ms (median): %s%n", GOAL_MS, median < GOAL_MS ? "met" : "MISSED");
        System.exit(median < GOAL_MS ? 0 : 1);
    }

    private static void row(String measure, double[] ms) {
        System.out.printf("| %s: grid painted | %.0f | %.0f | %.0f |%n", measure, ListingBenchmark.percentile(ms, 50),
                ListingBenchmark.percentile(ms, 95), ms[ms.length - 1]);
    }

    private static double[] sorted(JsonNode values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asDouble();
        }
        Arrays.sort(out);
        return out;
    }
}

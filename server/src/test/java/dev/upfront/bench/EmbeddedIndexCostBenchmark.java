package dev.upfront.bench;

import dev.upfront.db.Database;
import dev.upfront.db.Sql;
import dev.upfront.ids.Ids;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Library;
import dev.upfront.library.StoredFile;
import dev.upfront.library.jdbc.JdbcLibrary;
import dev.upfront.testing.Postgres;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the V9 embedded metadata triggers cost an upload's database write: not a unit test, run it with
 * {@code bench/java-bench.sh}'s {@code run_java_bench dev.upfront.bench.EmbeddedIndexCostBenchmark}. Two fresh
 * databases of one kind, one with the trigger and one without, take turns inserting a file whose version carries a
 * camera photo's embedded metadata (60 fields, 4 of them indexed), one transaction each as an upload writes it;
 * prints per round the mean time per insert (SQLite: CPU of the inserting thread, which is SQLite's own; PostgreSQL:
 * wall time, its CPU being in the server process).
 *
 * <pre>
 *   --rounds N   alternating rounds (6)     --inserts N   inserts per database per round (300)
 *   --postgres true   PostgreSQL (the tests' embedded cluster) instead of SQLite
 *   --drop false      keep the trigger in both (an A/A run: how much the two sides differ by themselves)
 * </pre>
 */
public final class EmbeddedIndexCostBenchmark {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = ListingBenchmark.options(args);
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "6"));
        int inserts = Integer.parseInt(opts.getOrDefault("inserts", "300"));
        boolean postgres = opts.getOrDefault("postgres", "false").equals("true");
        Path dir = Files.createTempDirectory("upfront-exif-cost-");
        Database with = postgres ? Database.openPostgres(Postgres.freshDatabaseUrl()) : Database.openSqlite(dir.resolve("with.db"));
        Database without = postgres ? Database.openPostgres(Postgres.freshDatabaseUrl()) : Database.openSqlite(dir.resolve("without.db"));
        if (!opts.getOrDefault("drop", "true").equals("false")) { // --drop false: an A/A run, both with the trigger
            without.withConnection(c -> Sql.update(c, postgres ? "DROP TRIGGER version_embedded_insert ON file_versions"
                    : "DROP TRIGGER version_embedded_insert"));
        }
        Map<String, Object> exif = exif();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Library> libraries = List.of(new JdbcLibrary(with), new JdbcLibrary(without));
        for (Library library : libraries) { // warm-up
            insert(library, exif, inserts / 3);
        }
        System.out.println("| round | with trigger µs/insert | without µs/insert |");
        System.out.println("|---:|---:|---:|");
        for (int r = 1; r <= rounds; r++) {
            double[] micros = new double[2];
            for (int i = 0; i < 2; i++) {
                int which = r % 2 == 0 ? i : 1 - i; // who goes first alternates
                Library library = libraries.get(which);
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                insert(library, exif, inserts);
                long spent = postgres ? System.nanoTime() - wall : threads.getCurrentThreadCpuTime() - cpu;
                micros[which] = spent / 1e3 / inserts;
            }
            System.out.printf("| %d | %.0f | %.0f |%n", r, micros[0], micros[1]);
        }
        long rows = with.withConnection(c -> Sql.queryOne(c, "SELECT COUNT(*) FROM version_embedded", rs -> rs.getLong(1)).orElse(0L));
        System.out.printf("%s, %s; version_embedded rows in the database with the trigger: %,d%n", postgres ? "PostgreSQL (wall time)"
                : "SQLite (thread CPU)", "one transaction per insert", rows);
        with.close();
        without.close();
        System.exit(0);
    }

    private static void insert(Library library, Map<String, Object> exif, int n) {
        Instant at = Instant.now();
        for (int i = 0; i < n; i++) {
            String id = Ids.objectId();
            library.write(w -> {
                w.ensureFolder("/cost/", at);
                w.insertFile(new StoredFile(id, "/cost/" + id + ".jpg", "/cost/", id + ".jpg", id, 1, at, at));
                w.insertVersion(new FileVersion(id, id, 1, id, 48_000, "%032x".formatted(0), "image/jpeg", "image", 4000, 3000, false,
                        List.of(), null, Map.of(), exif, null, false, true, at, at));
                return null;
            });
        }
    }

    /** A camera JPEG's fields as the inspector stores them: 4 of the indexed keys, and 56 others. */
    private static Map<String, Object> exif() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Make", "Canon");
        m.put("Model", "Canon EOS 5D Mark IV");
        m.put("Orientation", 1);
        m.put("Software", "Adobe Photoshop Lightroom Classic 12.0");
        m.put("ExposureTime", 0.004);
        m.put("FNumber", 8.0);
        m.put("ISOSpeedRatings", 100);
        m.put("FocalLength", 35);
        m.put("LensModel", "EF24-70mm f/2.8L II USM");
        m.put("DateTimeOriginal", "2024:06:01 10:11:12");
        for (int i = 0; i < 50; i++) {
            m.put("Field" + i, i % 2 == 0 ? (Object) i : "value " + i);
        }
        return m;
    }
}

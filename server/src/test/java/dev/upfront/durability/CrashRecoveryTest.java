package dev.upfront.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.RandomContent;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.StreamedMultipart;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * PRODUCT.md §3.3 under SIGKILL: the server runs as its own JVM, takes concurrent streamed uploads (16 from 100 KB
 * to 20 MB, and 32 from 100 KB to 1 MB; some of them new versions of one shared path) and is killed with SIGKILL while they are in flight, at a
 * different moment in each round. After every restart on the same data folder: every upload that was answered 200
 * is intact (bytes, details, record), nothing is left in staging, every blob file has its record and every record
 * its blob file (same size, same checksum). The data folder is kept when the test fails (see the server log in
 * target/crash-recovery-server.log).
 */
class CrashRecoveryTest {
    private static final long MIN_SIZE = 100_000;
    private static final String FOLDER = "/crash/";
    private static final String SHARED_NAME = "shared.bin";
    private static final Map<String, String> ENV = Map.of("UPFRONT_MAX_FILE_SIZE", "64MB");

    /** When a round's SIGKILL is sent: {@link #await} returns at that moment. */
    private interface KillPoint {
        String description();

        void await(Round round) throws Exception;

        static KillPoint afterMillis(long ms) {
            return new KillPoint() {
                public String description() {
                    return ms + " ms after the uploads start";
                }

                public void await(Round r) throws InterruptedException {
                    Thread.sleep(ms);
                }
            };
        }

        static KillPoint afterAcks(int n) {
            return new KillPoint() {
                public String description() {
                    return "as soon as " + n + " upload(s) got 200";
                }

                public void await(Round r) throws InterruptedException {
                    r.awaitAcks(n);
                }
            };
        }

        /** While bytes stream into staging, before anything of this round is published. */
        static KillPoint whenStaging(int files) {
            return new KillPoint() {
                public String description() {
                    return "when " + files + " uploads are streaming into staging";
                }

                public void await(Round r) throws Exception {
                    r.poll(() -> DataDirCheck.stagingFiles(r.dataDir()) >= files);
                }
            };
        }

        /** Right after a blob's atomic rename: likely before its record commits (an orphan for the sweep). */
        static KillPoint whenPublished() {
            return new KillPoint() {
                public String description() {
                    return "as soon as a new blob file is published";
                }

                public void await(Round r) throws Exception {
                    int before = r.publishedAtStart();
                    r.poll(() -> DataDirCheck.publishedBlobs(r.dataDir()).size() > before);
                }
            };
        }
    }

    /** What a kill point can watch. */
    private record Round(Path dataDir, Semaphore acks, int publishedAtStart, BooleanSupplier allDone, long deadline) {
        void awaitAcks(int n) throws InterruptedException {
            assertThat(acks.tryAcquire(n, deadline - System.nanoTime(), TimeUnit.NANOSECONDS))
                    .as("%d uploads answered in time", n).isTrue();
        }

        /** Until {@code condition} holds (or every upload is over: then there is nothing left to interrupt). */
        void poll(java.util.concurrent.Callable<Boolean> condition) throws Exception {
            while (!condition.call() && !allDone.getAsBoolean()) {
                assertThat(System.nanoTime()).as("kill point reached in time").isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
    }

    private record Upload(int index, long seed, long size, boolean shared) {
        String fileName() {
            return shared ? SHARED_NAME : "crash-" + index + ".bin";
        }
    }

    /** An upload the server answered 200: from then on it must survive anything. */
    private record Acked(int round, Upload upload, String md5, String checksum, String fileId, String versionId, String url, long size) {}

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** How many uploads run at once in a round, and the largest of them. */
    private int concurrent;
    private long maxSize;

    /**
     * Two loads: 16 uploads up to 20 MB (large files mid-body when the kill comes), and 32 small ones (up to 1 MB)
     * that mostly end together and so share group commits when the kill comes.
     */
    @ParameterizedTest(name = "{0} concurrent uploads up to {1} bytes")
    @CsvSource({"16, 20000000", "32, 1000000"})
    void acknowledgedUploadsSurviveSigkillAndNothingElseRemains(int uploads, long maxSize,
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dataDir) throws Exception {
        this.concurrent = uploads;
        this.maxSize = maxSize;
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("CRASH RECOVERY: seed " + seed + " (rerun with -Dcrash.seed=" + seed + "), data " + dataDir);
        Path log = ServerProcess.targetDir().resolve("crash-recovery-server.log");
        Files.deleteIfExists(log);

        List<KillPoint> plan = List.of(
                KillPoint.whenStaging(concurrent / 4),
                KillPoint.afterAcks(1),
                KillPoint.whenPublished(),
                KillPoint.afterAcks(concurrent / 2),
                KillPoint.afterMillis(100 + random.nextInt(700)));
        List<Acked> acked = new ArrayList<>();
        int interruptedTotal = 0;
        long started = System.nanoTime();
        ServerProcess server = ServerProcess.start(dataDir, ENV, List.of(), log);
        try {
            for (int round = 1; round <= plan.size(); round++) {
                KillPoint kill = plan.get(round - 1);
                RoundResult r = runAndKill(server, dataDir, round, kill, random);
                acked.addAll(r.acked());
                interruptedTotal += concurrent - r.acked().size();

                int staging = DataDirCheck.stagingFiles(dataDir);
                int published = DataDirCheck.publishedBlobs(dataDir).size();
                server = ServerProcess.start(dataDir, ENV, List.of(), log);
                Map<String, Path> afterSweep = DataDirCheck.publishedBlobs(dataDir);
                System.out.printf("CRASH RECOVERY: round %d killed %s (at %d ms): %d/%d answered 200, %d mid-body,"
                                + " %d sent in full and awaiting their answer; before restart %d staging file(s), %d published"
                                + " blob(s); the restart swept %d orphaned blob(s)%n",
                        round, kill.description(), r.killedAtMillis(), r.acked().size(), concurrent, r.midBody(),
                        r.awaitingAnswer(), staging, published, published - afterSweep.size());

                verifyAcknowledged(server, acked);
                checkStore(dataDir, acked);
            }
            assertThat(interruptedTotal).as("uploads cut off by a kill, over all rounds").isPositive();

            // After all those crashes the server still takes and serves uploads.
            Upload last = new Upload(99, random.nextLong(), 1_234_567, false);
            Acked after = upload(server, 0, last, new RandomContent(last.seed(), last.size()), () -> false);
            assertThat(after).as("an upload after the last recovery").isNotNull();
            acked.add(after);
            verifyAcknowledged(server, acked);
        } finally {
            server.close();
        }
        // One more restart, then a graceful stop: the database and the folder are checked at rest.
        server = ServerProcess.start(dataDir, ENV, List.of(), log);
        try {
            verifyAcknowledged(server, acked);
            server.stop();
        } finally {
            server.close();
        }
        checkStore(dataDir, acked);
        System.out.printf("CRASH RECOVERY: %d rounds, %d uploads answered 200 and intact, %d cut off; %.1f s%n",
                plan.size(), acked.size(), interruptedTotal, (System.nanoTime() - started) / 1e9);
    }

    private record RoundResult(List<Acked> acked, long killedAtMillis, int midBody, int awaitingAnswer) {}

    private RoundResult runAndKill(ServerProcess server, Path dataDir, int round, KillPoint kill, Random random) throws Exception {
        List<Upload> uploads = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            // log-uniform sizes: many small files, a few large ones
            long size = Math.round(MIN_SIZE * Math.pow((double) maxSize / MIN_SIZE, random.nextDouble()));
            uploads.add(new Upload(round * 100 + i, random.nextLong(), size, i % 4 == 0));
        }
        List<RandomContent> contents = uploads.stream().map(u -> new RandomContent(u.seed(), u.size())).toList();
        Semaphore acks = new Semaphore(0);
        AtomicBoolean killed = new AtomicBoolean();
        int publishedAtStart = DataDirCheck.publishedBlobs(dataDir).size();
        ExecutorService pool = Executors.newFixedThreadPool(concurrent);
        try {
            long t0 = System.nanoTime();
            List<Future<Acked>> futures = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                Upload u = uploads.get(i);
                RandomContent content = contents.get(i);
                futures.add(pool.submit(() -> {
                    Acked a = upload(server, round, u, content, killed::get);
                    if (a != null) {
                        acks.release();
                    }
                    return a;
                }));
            }
            kill.await(new Round(dataDir, acks, publishedAtStart,
                    () -> futures.stream().allMatch(Future::isDone), t0 + TimeUnit.SECONDS.toNanos(30)));
            int midBody = 0;
            int awaiting = 0;
            for (int i = 0; i < concurrent; i++) {
                long sent = contents.get(i).produced();
                if (sent > 0 && sent < uploads.get(i).size()) {
                    midBody++;
                } else if (sent == uploads.get(i).size() && !futures.get(i).isDone()) {
                    awaiting++;
                }
            }
            killed.set(true);
            server.kill();
            long killedAt = (System.nanoTime() - t0) / 1_000_000;
            List<Acked> acked = new ArrayList<>();
            for (Future<Acked> f : futures) {
                Acked a = f.get(60, TimeUnit.SECONDS);
                if (a != null) {
                    acked.add(a);
                }
            }
            return new RoundResult(acked, killedAt, midBody, awaiting);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Sends one upload; its {@link Acked} on 200, null when the connection broke after {@code killed} turned true.
     * Any other answer, or a broken connection with no kill, fails the test.
     */
    private Acked upload(ServerProcess server, int round, Upload u, RandomContent content, BooleanSupplier killed) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("fileName", u.fileName());
        fields.put("folder", FOLDER);
        fields.put("useUniqueFileName", u.shared() ? "false" : "true");
        StreamedMultipart body = new StreamedMultipart(fields, u.fileName(), content, u.size());
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .header("Content-Type", body.contentType())
                .header("Authorization", TestServer.basic())
                .timeout(Duration.ofSeconds(60))
                .POST(body.publisher())
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (!killed.getAsBoolean()) {
                throw new AssertionError("upload " + u.index() + " (" + u.size() + " bytes) broke with no kill", e);
            }
            return null; // cut off by the kill: it may or may not have been stored, both are fine
        }
        assertThat(response.statusCode()).as("upload %d (%d bytes): %s", u.index(), u.size(), response.body()).isEqualTo(200);
        assertThat(content.produced()).as("a 200 before the whole body was sent").isEqualTo(u.size());
        JsonNode json = Json.parse(response.body());
        assertThat(json.get("size").asLong()).isEqualTo(u.size());
        return new Acked(round, u, content.md5Hex(), content.checksum(), json.get("fileId").asText(),
                json.get("versionInfo").get("id").asText(), json.get("url").asText(), u.size());
    }

    private void verifyAcknowledged(ServerProcess server, List<Acked> acked) throws Exception {
        for (Acked a : acked) {
            String what = "upload " + a.upload().index() + " of round " + a.round() + " (" + a.size() + " bytes, file "
                    + a.fileId() + ", version " + a.versionId() + ")";
            URI url = server.rebase(a.url() + (a.upload().shared() ? "?ik-obj-version=" + a.versionId() : ""));
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String md5;
            long length;
            try (InputStream in = r.body()) {
                MessageDigest digest = MessageDigest.getInstance("MD5");
                length = new DigestInputStream(in, digest).transferTo(java.io.OutputStream.nullOutputStream());
                md5 = HexFormat.of().formatHex(digest.digest());
            }
            assertThat(r.statusCode()).as("GET %s of %s", url, what).isEqualTo(200);
            assertThat(length).as("bytes served for %s", what).isEqualTo(a.size());
            assertThat(md5).as("MD5 of the bytes served for %s", what).isEqualTo(a.md5());

            HttpResponse<String> d = client.send(HttpRequest.newBuilder(server.uri("/v1/files/" + a.fileId() + "/details"))
                    .header("Authorization", TestServer.basic()).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(d.statusCode()).as("details of %s: %s", what, d.body()).isEqualTo(200);
            JsonNode details = Json.parse(d.body());
            assertThat(details.get("fileId").asText()).isEqualTo(a.fileId());
            if (!a.upload().shared()) {
                assertThat(details.get("versionInfo").get("id").asText()).as("version of %s", what).isEqualTo(a.versionId());
            }
            if (details.get("versionInfo").get("id").asText().equals(a.versionId())) {
                assertThat(details.get("size").asLong()).as("size in the details of %s", what).isEqualTo(a.size());
            }
        }
    }

    /** The data folder agrees with the database, and every acknowledged version is recorded as it was sent. */
    private static void checkStore(Path dataDir, List<Acked> acked) throws Exception {
        Map<String, DataDirCheck.VersionRow> versions = DataDirCheck.assertConsistent(dataDir);
        for (Acked a : acked) {
            DataDirCheck.VersionRow v = versions.get(a.versionId());
            assertThat(v).as("record of acknowledged version %s", a.versionId()).isNotNull();
            assertThat(v.fileId()).isEqualTo(a.fileId());
            assertThat(v.size()).isEqualTo(a.size());
            assertThat(v.checksum()).as("recorded checksum of %s", a.versionId()).isEqualTo(a.checksum());
        }
    }
}

package dev.upfront.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.app.MigrateCommand;
import dev.upfront.json.Json;
import dev.upfront.testing.Checksums;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Postgres;
import dev.upfront.testing.S3;
import dev.upfront.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code upfront migrate}: a data folder written by a real server (SQLite + files: folders, versions, tags, custom
 * metadata, a multipart-sized original) is copied into embedded PostgreSQL and S3Proxy, and a server started on that
 * target answers exactly as the old one did. Also: an interrupted run (the S3 server stopped mid-copy) is resumed by
 * running again, without duplicates; a non-empty target is refused; a damaged original is detected and not copied.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrateCommandTest {
    private Path source;
    /** What the source server answered: the file list, and each file's versions, with its URL endpoint masked. */
    private String listing;
    private final Map<String, String> versions = new LinkedHashMap<>();
    private String fields;
    /** Each version's bytes, by version id, and each version's file URL path. */
    private final Map<String, byte[]> bytes = new LinkedHashMap<>();
    private final Map<String, String> paths = new LinkedHashMap<>();
    /** A client-side upload's one-time credentials, burned on the source. */
    private final Map<String, String> burned = TestServer.v1Auth(1800);

    @BeforeAll
    void fillASourceDataFolder() throws Exception {
        try (TestServer server = TestServer.start()) {
            source = server.dataDir();
            server.createCustomField("brand", "{\"type\":\"Text\",\"maxLength\":20}");
            remember(server, "notes.txt", "/docs", "text/plain", "first version".getBytes(), "tags", "draft");
            remember(server, "notes.txt", "/docs", "text/plain", "second version".getBytes(), "tags", "final,docs");
            remember(server, "photo.png", "/photos/2026", "image/png", Images.png(120, 80),
                    "customMetadata", "{\"brand\":\"acme\"}", "tags", "beach");
            byte[] big = new byte[9 * 1024 * 1024 + 17]; // more than one 8 MiB part: a multipart upload to S3
            new Random(3).nextBytes(big);
            remember(server, "big.bin", "/", "application/octet-stream", big);
            remember(server, "readme.md", "/docs", "text/markdown", "# Read me".getBytes());
            byte[] fromBrowser = "uploaded from a browser".getBytes();
            HttpResponse<String> client = server.upload(new Multipart().fields(burned).field("fileName", "client.txt")
                    .field("useUniqueFileName", "false").file("file", "client.txt", "text/plain", fromBrowser));
            JsonNode clientFile = Json.parse(ok(client));
            bytes.put(clientFile.get("versionInfo").get("id").asText(), fromBrowser);
            paths.put(clientFile.get("versionInfo").get("id").asText(), clientFile.get("filePath").asText());
            listing = masked(server, ok(server.get("/v1/files?sort=ASC_CREATED", "Authorization", TestServer.basic())));
            for (JsonNode file : Json.parse(listing)) {
                String id = file.get("fileId").asText();
                versions.put(id, masked(server, ok(server.get("/v1/files/" + id + "/versions", "Authorization", TestServer.basic()))));
            }
            fields = ok(server.get("/v1/customMetadataFields?includeDeleted=true", "Authorization", TestServer.basic()));
        }
        assertThat(bytes).hasSize(6);
    }

    @Test
    void anInterruptedMigrationResumesAndTheTargetServesTheSameLibrary(@TempDir Path s3Store) throws Exception {
        S3 s3 = S3.start(s3Store, 0);
        try {
            String bucket = s3.freshBucket();
            String database = Postgres.freshDatabaseUrl();

            AtomicBoolean stopped = new AtomicBoolean();
            Run interrupted = migrate(source, database, s3, bucket, (done, total) -> {
                if (done == 2 && stopped.compareAndSet(false, true)) {
                    s3.stop(); // an outage in the middle of the copy
                }
            });
            assertThat(interrupted.status()).as(interrupted.err()).isEqualTo(1);
            assertThat(interrupted.err()).contains("interrupted").contains("again to resume");
            assertThat(rows(database, "files")).as("nothing of the library is visible before every original is there").isZero();

            s3.start();
            Run resumed = migrate(source, database, s3, bucket, Migration.Progress.NONE);
            System.out.print(resumed.out()); // what an operator sees, in the test's log
            assertThat(resumed.status()).as(resumed.err()).isZero();
            assertThat(resumed.out()).contains("Resuming").contains("4 copied").contains("2 already copied by the interrupted run")
                    .contains("all 6 read back with the recorded checksum").containsPattern("files: +5 row").containsPattern("used_tokens: +1 row")
                    .contains("file_versions:").contains("custom_metadata_fields:").contains("UPFRONT_KEYS_FILE");
            assertThat(rows(database, "file_versions")).as("no duplicates").isEqualTo(6);
            assertThat(rows(database, "job_leases WHERE name = 'migration'")).as("the marker is gone").isZero();
            assertThat(objects(s3, bucket)).as("one object per version")
                    .containsExactlyInAnyOrderElementsOf(bytes.keySet().stream().map(v -> "blobs/" + v).toList());
            try (S3Client client = s3.client()) {
                assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("no unfinished upload").isEmpty();
            }

            Map<String, String> env = s3.distributedEnv(bucket, database);
            try (TestServer target = TestServer.start(env)) {
                assertThat(masked(target, ok(target.get("/v1/files?sort=ASC_CREATED", "Authorization", TestServer.basic()))))
                        .as("same ids, names, paths, times, tags, custom metadata and order").isEqualTo(listing);
                for (Map.Entry<String, String> file : versions.entrySet()) {
                    assertThat(masked(target, ok(target.get("/v1/files/" + file.getKey() + "/versions", "Authorization",
                            TestServer.basic())))).isEqualTo(file.getValue());
                }
                assertThat(ok(target.get("/v1/customMetadataFields?includeDeleted=true", "Authorization", TestServer.basic())))
                        .isEqualTo(fields);
                for (Map.Entry<String, byte[]> version : bytes.entrySet()) {
                    HttpResponse<byte[]> got = target.getBytes(target.urlEndpoint() + paths.get(version.getKey())
                            + "?ik-obj-version=" + version.getKey());
                    assertThat(got.statusCode()).isEqualTo(200);
                    assertThat(got.body()).as(paths.get(version.getKey())).isEqualTo(version.getValue());
                }
                JsonNode found = Json.parse(ok(target.get("/v1/files?searchQuery=" + URLEncoder.encode(
                        "\"customMetadata.brand\" = \"acme\"", StandardCharsets.UTF_8), "Authorization", TestServer.basic())));
                assertThat(found).hasSize(1);
                assertThat(found.get(0).get("name").asText()).isEqualTo("photo.png");

                HttpResponse<String> replay = target.upload(new Multipart().fields(burned).field("fileName", "again.txt")
                        .file("file", "again.txt", "text/plain", "replayed".getBytes()));
                assertThat(replay.statusCode()).as("a token burned before the move stays burned").isEqualTo(400);
                assertThat(replay.body()).contains("has been used before");

                JsonNode added = upload(target, "after.txt", "/docs", "text/plain", "uploaded after the move".getBytes());
                JsonNode all = Json.parse(ok(target.get("/v1/files?sort=ASC_CREATED", "Authorization", TestServer.basic())));
                assertThat(all).hasSize(6);
                assertThat(all.get(5).get("fileId").asText()).as("new files come after the migrated ones")
                        .isEqualTo(added.get("fileId").asText());
            }

            Run again = migrate(source, database, s3, bucket, Migration.Progress.NONE);
            assertThat(again.status()).isEqualTo(1);
            assertThat(again.err()).contains("not empty");
        } finally {
            s3.close();
        }
    }

    @Test
    void aTargetThatAlreadyHoldsALibraryOrOriginalsIsRefused() throws Exception {
        S3 s3 = S3.shared();
        String bucket = s3.freshBucket();
        String database = Postgres.freshDatabaseUrl();
        Map<String, String> env = s3.distributedEnv(bucket, database);
        try (TestServer used = TestServer.start(env)) {
            upload(used, "there.txt", "/", "text/plain", "already here".getBytes());
        }
        Run refused = migrate(source, database, s3, bucket, Migration.Progress.NONE);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("target database is not empty");
        assertThat(rows(database, "files")).isEqualTo(1);

        String otherBucket = s3.freshBucket();
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket(otherBucket).key("blobs/someoneelses"), RequestBody.fromString("x"));
        }
        String emptyDatabase = Postgres.freshDatabaseUrl();
        Run bucketRefused = migrate(source, emptyDatabase, s3, otherBucket, Migration.Progress.NONE);
        assertThat(bucketRefused.status()).isEqualTo(1);
        assertThat(bucketRefused.err()).contains("bucket already holds originals");
        assertThat(objects(s3, otherBucket)).containsExactly("blobs/someoneelses");
    }

    @Test
    void aDamagedOriginalIsDetectedAndNotCarriedOverUntilItIsRepaired(@TempDir Path copy) throws Exception {
        copy(source, copy);
        String damaged = aLargeVersion();
        Path file = flipTheMiddleByte(copy, damaged);

        S3 s3 = S3.shared();
        String bucket = s3.freshBucket();
        String database = Postgres.freshDatabaseUrl();
        Run run = migrate(copy, database, s3, bucket, Migration.Progress.NONE);
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("1 original(s) could not be carried over").contains(damaged)
                .contains("damaged").contains(paths.get(damaged));
        assertThat(rows(database, "files")).as("no record written").isZero();
        assertThat(objects(s3, bucket)).as("the others copied, not the damaged one").hasSize(5).doesNotContain("blobs/" + damaged);

        Run otherSource = migrate(source, database, s3, bucket, Migration.Progress.NONE);
        assertThat(otherSource.status()).as("the target is the interrupted migration's, from the other folder").isEqualTo(1);
        assertThat(otherSource.err()).contains("interrupted migration from " + copy);

        Files.write(file, bytes.get(damaged)); // the file restored (from a backup, say): running again finishes the job
        Run repaired = migrate(copy, database, s3, bucket, Migration.Progress.NONE);
        assertThat(repaired.status()).as(repaired.err()).isZero();
        assertThat(repaired.out()).contains("1 copied").contains("5 already copied by the interrupted run");
        assertThat(rows(database, "file_versions")).isEqualTo(6);
    }

    @Test
    void aLibraryRecordedWithMd5IsCheckedWithMd5(@TempDir Path copy) throws Exception {
        // Versions uploaded before the checksum change carry an MD5: the migration must check those with MD5.
        copy(source, copy);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("upfront.db"));
             PreparedStatement update = c.prepareStatement("UPDATE file_versions SET checksum = ? WHERE version_id = ?")) {
            for (Map.Entry<String, byte[]> version : bytes.entrySet()) {
                update.setString(1, Checksums.md5(version.getValue()));
                update.setString(2, version.getKey());
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
        }
        String damaged = aLargeVersion();
        flipTheMiddleByte(copy, damaged);

        S3 s3 = S3.shared();
        String bucket = s3.freshBucket();
        Run run = migrate(copy, Postgres.freshDatabaseUrl(), s3, bucket, Migration.Progress.NONE);
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("1 original(s) could not be carried over").contains(damaged).contains("damaged")
                .contains("md5:");
        assertThat(objects(s3, bucket)).as("the others checked with MD5 and copied").hasSize(5)
                .doesNotContain("blobs/" + damaged);
    }

    @Test
    void aDataFolderWithAQueuedVideoIsRefusedUntilItFinishes(@TempDir Path copy) throws Exception {
        copy(source, copy);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("upfront.db"));
             Statement st = c.createStatement()) {
            // What a video upload with transformation.pre leaves while its 202 waits for ffmpeg.
            st.executeUpdate("INSERT INTO video_pre_jobs (job_id, home, source_key, source_size, source_checksum, source_mime, "
                    + "result_key, options, request_id, attempts, created_at, next_attempt_at) VALUES ('job1', '', 'src1', 10, "
                    + "'crc32c:00000000', 'video/mp4', 'res1', '{}', NULL, 0, 0, 0)");
        }
        S3 s3 = S3.shared();
        String bucket = s3.freshBucket();
        String database = Postgres.freshDatabaseUrl();
        Run refused = migrate(copy, database, s3, bucket, Migration.Progress.NONE);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("1 video pre-transformation(s) are still queued");
        assertThat(objects(s3, bucket)).as("nothing copied").isEmpty();
    }

    private String aLargeVersion() {
        return bytes.keySet().stream().filter(v -> bytes.get(v).length > 1000).findFirst().orElseThrow();
    }

    /** Damages {@code versionId}'s original in {@code dataDir}: same size, one byte flipped, so only a checksum can tell. */
    private static Path flipTheMiddleByte(Path dataDir, String versionId) throws IOException {
        Path file = dataDir.resolve("blobs").resolve(versionId.substring(0, 2)).resolve(versionId);
        byte[] content = Files.readAllBytes(file);
        content[content.length / 2] ^= 0x55;
        Files.write(file, content);
        return file;
    }

    private record Run(int status, String out, String err) {}

    private static Run migrate(Path from, String database, S3 s3, String bucket, Migration.Progress progress) {
        Map<String, String> env = s3.distributedEnv(bucket, database);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MigrateCommand.run(List.of("--from", from.toString()), env, new PrintStream(out, true),
                new PrintStream(err, true), progress);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private JsonNode upload(TestServer server, String name, String folder, String type, byte[] content, String... extra)
            throws Exception {
        Multipart body = new Multipart().field("fileName", name).field("folder", folder).field("useUniqueFileName", "false");
        for (int i = 0; i < extra.length; i += 2) {
            body.field(extra[i], extra[i + 1]);
        }
        HttpResponse<String> r = server.upload(body.file("file", name, type, content), "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    /** Uploads into the source folder and remembers the version's bytes and path. */
    private void remember(TestServer server, String name, String folder, String type, byte[] content, String... extra)
            throws Exception {
        JsonNode json = upload(server, name, folder, type, content, extra);
        bytes.put(json.get("versionInfo").get("id").asText(), content);
        paths.put(json.get("versionInfo").get("id").asText(), json.get("filePath").asText());
    }

    private static String ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** The answer with the server's own URL endpoint replaced: the two servers listen on different ports. */
    private static String masked(TestServer server, String body) {
        return body.replace(server.urlEndpoint(), "<endpoint>");
    }

    private static long rows(String database, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> objects(S3 s3, String bucket) {
        try (S3Client client = s3.client()) {
            return client.listObjectsV2(r -> r.bucket(bucket).prefix("blobs/")).contents().stream().map(S3Object::key).toList();
        }
    }

    private static void copy(Path dir, Path copy) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(all::add);
        }
        for (Path p : all) {
            Path to = copy.resolve(dir.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(to);
            } else {
                Files.copy(p, to);
            }
        }
    }
}

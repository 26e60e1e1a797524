package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.json.Json;
import dev.upfront.testing.Jwts;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.RawHttp;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a request without valid credentials can cost. Field order is the client's (ImageKit's SDKs and the seeds'
 * jQuery page send the file first), so: credentials sent before the file are checked before a byte is staged and
 * refused at once; a file sent first is staged within a server-wide budget for unauthenticated bytes; and every early
 * refusal reaches a client that is still sending.
 */
class UnauthenticatedUploadTest {
    static final int LIMIT = 1024 * 1024;
    static final String V1 = "/api/v1/files/upload";
    static final String V2 = "/api/v2/files/upload";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("UPFRONT_MAX_FILE_SIZE", "1MB", "UPFRONT_MAX_VIDEO_FILE_SIZE", "1MB",
                "UPFRONT_MAX_PENDING_BYTES", "1MB"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingIsLeftStaged() throws Exception {
        awaitStaged(0);
        assertThat(stagingFiles()).isEmpty();
    }

    /**
     * The client sends forged credentials, then a 1 MB file slowly. The refusal must come while it is still sending,
     * stage nothing, and the connection must still serve a request once the body is over.
     */
    @Test
    void forgedV1CredentialsBeforeTheFileAreRefusedAtOnce() throws Exception {
        Map<String, String> forged = new LinkedHashMap<>(TestServer.v1Auth(600));
        forged.put("signature", "0".repeat(40));
        Multipart form = Multipart.of(forged).field("fileName", "slow.bin");
        refusedWhileSending(V1, form, "SIGNATURE_INVALID");
    }

    @Test
    void aForgedJwtBeforeTheFileIsRefusedAtOnce() throws Exception {
        Map<String, String> fields = Map.of("fileName", "slow.bin");
        String forged = Jwts.hs256(Jwts.payload(fields, 600), TestServer.PUBLIC_KEY, "private_not_ours");
        Multipart form = new Multipart().field("token", forged).field("fileName", "slow.bin");
        refusedWhileSending(V2, form, "JWT_SIGNATURE_INVALID");
    }

    @Test
    void aReusedTokenBeforeTheFileIsRefusedAtOnce() throws Exception {
        Map<String, String> auth = TestServer.v1Auth(600);
        Multipart first = Multipart.of(auth).field("fileName", "once.txt").file("once".getBytes());
        assertThat(server.upload(first).statusCode()).isEqualTo(200);
        refusedWhileSending(V1, Multipart.of(auth).field("fileName", "twice.bin"), "TOKEN_REUSED");
    }

    private void refusedWhileSending(String path, Multipart fieldsFirst, String code) throws Exception {
        byte[] head = fieldsFirst.file(new byte[0]).unterminated();
        // the file part's header is in head; strip the empty content's CRLF so the file bytes follow it
        head = Arrays.copyOf(head, head.length - 2);
        byte[] tail = ("\r\n--" + fieldsFirst.boundary() + "--\r\n").getBytes();
        int fileBytes = LIMIT;
        long length = head.length + fileBytes + tail.length;
        try (RawHttp http = RawHttp.connect(server.port());
             ExecutorService sender = Executors.newSingleThreadExecutor()) {
            http.post(path, fieldsFirst.contentType(), length).send(head);
            AtomicLong sent = new AtomicLong();
            Future<?> sending = sender.submit(() -> {
                byte[] chunk = new byte[16 * 1024];
                for (int i = 0; i < fileBytes / chunk.length; i++) {
                    http.send(chunk);
                    sent.addAndGet(chunk.length);
                    Thread.sleep(50);
                }
                http.send(tail);
                return null;
            });
            String response = http.readResponse();
            long sentWhenAnswered = sent.get();
            assertThat(response).startsWith("HTTP/1.1 400 ");
            assertThat(Json.parse(response.substring(response.indexOf("\r\n\r\n") + 4)).get("code").asText()).isEqualTo(code);
            assertThat(sentWhenAnswered).as("file bytes sent before the answer came").isLessThan(fileBytes / 2);
            assertThat(stagingFiles()).as("nothing staged for a refused request").isEmpty();
            sending.get(30, TimeUnit.SECONDS);
            assertThat(RawHttp.closes(response)).isFalse();
            String next = http.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readResponse();
            assertThat(next).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void fileFirstUploadsWork() throws Exception {
        Multipart v1 = new Multipart().file("file first".getBytes()).fields(TestServer.v1Auth(600)).field("fileName", "ff.txt");
        assertThat(server.upload(v1).statusCode()).isEqualTo(200);
        Map<String, String> fields = Map.of("fileName", "ff2.txt");
        Multipart v2 = new Multipart().file("file first".getBytes()).field("fileName", "ff2.txt")
                .field("token", Jwts.hs256(Jwts.payload(fields, 600), TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY));
        assertThat(server.post(V2, v2).statusCode()).isEqualTo(200);
    }

    @Test
    void aFileFirstUploadRefusedAfterItsBodyLeavesNothing() throws Exception {
        Map<String, String> forged = new LinkedHashMap<>(TestServer.v1Auth(600));
        forged.put("signature", "0".repeat(40));
        Multipart form = new Multipart().file(new byte[LIMIT / 2]).fields(forged).field("fileName", "f.bin");
        var r = server.upload(form);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(stagingFiles()).isEmpty();
        assertThat(server.post(V2, new Multipart().file(new byte[LIMIT / 2]).field("fileName", "f.bin")).statusCode())
                .isEqualTo(401);
        assertThat(stagingFiles()).isEmpty();
    }

    /**
     * One unauthenticated upload holds the whole budget (1 MB staged, credentials still to come): the next
     * file-first upload is told to retry later before any of its bytes is staged, an authenticated one goes through,
     * and once the first upload authenticates, the budget is free again.
     */
    @Test
    void theBudgetForUnauthenticatedBytesIsShared() throws Exception {
        Multipart holder = new Multipart().file(new byte[LIMIT]);
        byte[] head = holder.unterminated();
        holder.fields(TestServer.v1Auth(600)).field("fileName", "held.bin");
        byte[] all = holder.bytes();
        try (RawHttp held = RawHttp.connect(server.port())) {
            held.post(V1, holder.contentType(), all.length).send(head);
            awaitStaged(LIMIT);

            Multipart next = new Multipart().file(new byte[1000]).fields(TestServer.v1Auth(600)).field("fileName", "next.bin");
            byte[] nextBody = next.bytes();
            try (RawHttp other = RawHttp.connect(server.port())) {
                String busy = other.post(V1, next.contentType(), nextBody.length).send(nextBody).readResponse();
                assertThat(busy).startsWith("HTTP/1.1 503 ").containsIgnoringCase("\r\nRetry-After: ").contains("PENDING_UPLOADS_FULL");
                assertThat(busy.toLowerCase()).doesNotContain("x-should-retry: false");
            }
            assertThat(stagingFiles()).hasSize(1);

            var basic = server.upload(new Multipart().file(new byte[1000]).field("fileName", "basic.bin"),
                    "Authorization", TestServer.basic());
            assertThat(basic.statusCode()).as("authenticated uploads do not count").isEqualTo(200);

            String done = held.send(Arrays.copyOfRange(all, head.length, all.length)).readResponse();
            assertThat(done).startsWith("HTTP/1.1 200 ");
        }
        assertThat(server.upload(new Multipart().file(new byte[1000]).fields(TestServer.v1Auth(600))
                .field("fileName", "after.bin")).statusCode()).isEqualTo(200);
    }

    /**
     * Text fields are held in memory while a form arrives at its client's pace, before anyone knows whether it is
     * authenticated. Forms that each hold a lot of text and then stall are refused (503, retry later) once together
     * they hold the server-wide bound, and the bound is free again once they are gone.
     */
    @Test
    void textHeldByFormsInFlightIsBoundedServerWide() throws Exception {
        Multipart heavy = new Multipart();
        for (int i = 0; i < 4; i++) {
            heavy.field("text" + i, "t".repeat(65_000)); // each under the 64 KB a field may hold, 260 KB together
        }
        byte[] stalled = heavy.field("more", "to come").unterminated();
        int holders = (int) (16L * 1024 * 1024 / 260_000) + 2; // more than the 16 MB bound holds
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < holders; i++) {
                held.add(RawHttp.connect(server.port()).post(V1, heavy.contentType(), stalled.length + 100_000L).send(stalled));
            }
            Multipart probe = new Multipart();
            for (int i = 0; i < 4; i++) {
                probe.field("text" + i, "t".repeat(65_000));
            }
            byte[] probeBody = probe.file(new byte[10]).fields(TestServer.v1Auth(600)).field("fileName", "probe.bin").bytes();
            String busy = "";
            for (int attempt = 0; attempt < 50 && !busy.contains("UPLOADS_BUSY"); attempt++) {
                try (RawHttp one = RawHttp.connect(server.port())) {
                    busy = one.post(V1, probe.contentType(), probeBody.length).send(probeBody).readResponse();
                }
                Thread.sleep(100);
            }
            assertThat(busy).startsWith("HTTP/1.1 503 ").containsIgnoringCase("\r\nRetry-After: ").contains("UPLOADS_BUSY");
        } finally {
            for (RawHttp h : held) {
                h.close();
            }
        }
        Multipart fine = new Multipart();
        for (int i = 0; i < 4; i++) {
            fine.field("text" + i, "t".repeat(65_000));
        }
        fine.file(new byte[10]).fields(TestServer.v1Auth(600)).field("fileName", "after-text.bin");
        int status = 0;
        for (int attempt = 0; attempt < 50 && status != 200; attempt++) {
            status = server.upload(fine).statusCode();
            Thread.sleep(100);
        }
        assertThat(status).as("the bound is free once the stalled forms are gone").isEqualTo(200);
    }

    /** Waits (bounded) until the staging folder holds exactly {@code bytes}. */
    static void awaitStaged(long bytes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stagedBytes() != bytes && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stagedBytes()).isEqualTo(bytes);
    }

    static long stagedBytes() throws IOException {
        long total = 0;
        for (Path p : stagingFiles()) {
            try {
                total += Files.size(p);
            } catch (java.nio.file.NoSuchFileException gone) {
                // deleted meanwhile
            }
        }
        return total;
    }

    static List<Path> stagingFiles() throws IOException {
        try (Stream<Path> files = Files.list(server.dataDir().resolve("blobs").resolve(".staging"))) {
            return files.toList();
        }
    }
}

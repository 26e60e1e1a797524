package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.Jwts;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Postgres;
import dev.upfront.testing.RandomContent;
import dev.upfront.testing.StreamedMultipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A one-time credential is burned in the transaction that records its upload (the group commit), not by a commit
 * of its own. The contract stays: an upload that fails in that transaction still spends its credential, and of two
 * instances that both accepted one credential before either committed, the database lets one upload through and
 * the other leaves nothing behind, no record and no blob.
 */
class TokenBurnAtCommitTest {
    private static final int MIB = 1024 * 1024;

    @Test
    void aCredentialWhoseUploadFailsInTheCommitIsStillBurned() throws Exception {
        try (TestServer server = TestServer.start()) {
            Map<String, String> taken = Map.of("fileName", "taken.txt", "folder", "/burn/", "useUniqueFileName", "false");
            assertThat(server.upload(Multipart.of(taken).file("first".getBytes()), "Authorization", TestServer.basic()).statusCode())
                    .isEqualTo(200);

            // The path is taken and overwriting is off: the upload is refused inside the shared transaction.
            Map<String, String> auth = TestServer.v1Auth(600);
            Map<String, String> refused = new HashMap<>(taken);
            refused.put("overwriteFile", "false");
            refused.putAll(auth);
            assertCode(server.upload(Multipart.of(refused).file("second".getBytes())), 400, "FILE_EXISTS");
            Map<String, String> elsewhere = new HashMap<>(auth);
            elsewhere.put("fileName", "free.txt");
            assertCode(server.upload(Multipart.of(elsewhere).file("third".getBytes())), 400, "TOKEN_REUSED");

            Map<String, String> bound = new HashMap<>(refused);
            bound.keySet().removeAll(auth.keySet());
            String jwt = Jwts.hs256(Jwts.payload(bound, 600), TestServer.PUBLIC_KEY, TestServer.PRIVATE_KEY);
            Map<String, String> v2 = new HashMap<>(bound);
            v2.put("token", jwt);
            assertCode(server.post("/api/v2/files/upload", Multipart.of(v2).file("fourth".getBytes())), 400, "FILE_EXISTS");
            assertCode(server.post("/api/v2/files/upload", Multipart.of(v2).file("fifth".getBytes())), 400, "JWT_REUSED");
            assertThat(server.usedTokens()).isEqualTo(2);
        }
    }

    /**
     * Both requests send the credential before the file, so each instance checks it (nobody has burned it yet) when
     * the file begins; the files are held until both did, so the duplicate can only be found where both burn it.
     */
    @Test
    void aDuplicateFoundAtCommitLeavesNoRecordAndNoBlob() throws Exception {
        Map<String, String> env = Map.of("UPFRONT_DATABASE_URL", Postgres.freshDatabaseUrl());
        try (TestServer a = TestServer.start(env); TestServer b = TestServer.start(env)) {
            Map<String, String> auth = TestServer.v1Auth(600);
            PacedBody first = new PacedBody(new RandomContent(1, 2 * MIB), MIB / 4, 0);
            PacedBody second = new PacedBody(new RandomContent(2, 2 * MIB), MIB / 4, 0);
            try {
                CompletableFuture<HttpResponse<String>> toA = upload(a, "dup-a.bin", auth, first);
                CompletableFuture<HttpResponse<String>> toB = upload(b, "dup-b.bin", auth, second);
                assertThat(first.reached(60)).isTrue();
                assertThat(second.reached(60)).isTrue();
                Thread.sleep(500); // both servers have read the fields and the start of the file
                // Had either found the credential burned when it checked it, it would have answered already.
                assertThat(toA.isDone() || toB.isDone()).as("both accepted the credential").isFalse();
                first.release();
                second.release();
                List<HttpResponse<String>> answers = List.of(toA.get(60, TimeUnit.SECONDS), toB.get(60, TimeUnit.SECONDS));

                assertThat(answers).filteredOn(r -> r.statusCode() == 200).hasSize(1);
                HttpResponse<String> loser = answers.stream().filter(r -> r.statusCode() != 200).findFirst().orElseThrow();
                assertCode(loser, 400, "TOKEN_REUSED");
                TestServer winner = answers.get(0).statusCode() == 200 ? a : b;
                TestServer other = winner == a ? b : a;
                JsonNode files = Json.parse(winner.get("/v1/files?path=/dup/", "Authorization", TestServer.basic()).body());
                assertThat(files).hasSize(1);
                assertThat(DataDirCheck.publishedBlobs(winner.dataDir())).hasSize(1);
                assertThat(DataDirCheck.publishedBlobs(other.dataDir())).as("the duplicate's blob is deleted").isEmpty();
            } finally {
                first.release();
                second.release();
            }
        }
    }

    private static CompletableFuture<HttpResponse<String>> upload(TestServer server, String name, Map<String, String> auth,
                                                                  PacedBody body) {
        Map<String, String> fields = new HashMap<>(auth);
        fields.put("fileName", name);
        fields.put("folder", "/dup/");
        fields.put("useUniqueFileName", "false");
        StreamedMultipart form = new StreamedMultipart(fields, name, body, 2 * MIB);
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                .header("Content-Type", form.contentType()).POST(form.publisher()).build();
        return server.client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertCode(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Json.parse(r.body()).get("code").asText()).as(r.body()).isEqualTo(code);
    }
}

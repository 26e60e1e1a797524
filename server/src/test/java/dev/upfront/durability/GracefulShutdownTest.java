package dev.upfront.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.ServerProcess;
import dev.upfront.testing.StreamedMultipart;
import dev.upfront.testing.TestServer;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM while an upload streams in: the upload finishes with 200, then the process exits; the file survives. */
class GracefulShutdownTest {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 48; // 3 MB, sent over about 2.4 s

    /** A body that arrives slowly, so the upload is still in flight when the server is told to stop. */
    private static final class SlowContent extends InputStream {
        private int sent;
        private int inChunk = CHUNK;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (sent == CHUNKS) {
                return -1;
            }
            if (inChunk == CHUNK) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inChunk = 0;
            }
            int n = Math.min(len, CHUNK - inChunk);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (sent * 31 + inChunk + i);
            }
            inChunk += n;
            if (inChunk == CHUNK) {
                sent++;
            }
            return n;
        }
    }

    private static boolean isEmpty(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return true;
        }
        try (var files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }

    @Test
    void anInFlightUploadFinishesBeforeTheProcessExits(@TempDir Path dir) throws Exception {
        Path log = ServerProcess.targetDir().resolve("graceful-server.log");
        StreamedMultipart body = new StreamedMultipart(Map.of("fileName", "slow.bin", "useUniqueFileName", "false"), "slow.bin",
                new SlowContent(), (long) CHUNK * CHUNKS);
        String fileId;
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), List.of(), log)) {
            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> upload = client.sendAsync(HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                    .header("Authorization", TestServer.basic()).header("Content-Type", body.contentType())
                    .POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
            // SIGTERM once the server is staging the body: a fixed sleep lost that race on a loaded machine, and a
            // request that reaches the server after SIGTERM gets 503, as it should.
            Path staging = dir.resolve("blobs").resolve(".staging");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (isEmpty(staging) && !upload.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(upload).as("still streaming when SIGTERM is sent").isNotDone();
            server.stop(); // SIGTERM, then waits for the process to exit
            HttpResponse<String> r = upload.join();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode file = Json.parse(r.body());
            assertThat(file.get("size").asLong()).isEqualTo((long) CHUNK * CHUNKS);
            fileId = file.get("fileId").asText();
            assertThat(Files.readString(log)).contains("Upfront stopped");
        }
        try (ServerProcess again = ServerProcess.start(dir, Map.of(), List.of(), log)) {
            HttpResponse<byte[]> bytes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(again.uri("/media/slow.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.statusCode()).isEqualTo(200);
            byte[] expected = new SlowContent().readAllBytes();
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes.body())))
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(expected)));
            HttpResponse<String> details = HttpClient.newHttpClient().send(HttpRequest.newBuilder(again.uri("/v1/files/" + fileId + "/details"))
                    .header("Authorization", TestServer.basic()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(details.statusCode()).isEqualTo(200);
        }
    }
}

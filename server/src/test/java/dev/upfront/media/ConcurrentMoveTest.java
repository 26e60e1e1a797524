package dev.upfront.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent renames and moves of one file: each either happens or is refused; the file is never lost. */
class ConcurrentMoveTest {
    @Test
    void concurrentRenamesAndMovesNeverLoseTheFile() throws Exception {
        try (TestServer server = TestServer.start()) {
            byte[] content = "keep me".getBytes();
            for (int v = 0; v < 3; v++) {
                assertThat(server.upload(new Multipart().field("fileName", "moving.txt").field("useUniqueFileName", "false")
                        .field("folder", "/start/").file(content), "Authorization", TestServer.basic()).statusCode()).isEqualTo(200);
            }
            String fileId = Json.parse(server.get("/v1/files?path=/start/", "Authorization", TestServer.basic()).body()).get(0)
                    .get("fileId").asText();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
                for (int i = 0; i < 12; i++) {
                    int n = i;
                    results.add(pool.submit(() -> {
                        go.await();
                        String body = n % 2 == 0
                                ? "{\"filePath\":\"/start/moving.txt\",\"newFileName\":\"renamed-" + n + ".txt\"}"
                                : "{\"sourceFilePath\":\"/start/moving.txt\",\"destinationPath\":\"/elsewhere-" + n + "/\"}";
                        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(n % 2 == 0 ? "/v1/files/rename" : "/v1/files/move"))
                                .header("Authorization", TestServer.basic()).header("Content-Type", "application/json");
                        b = n % 2 == 0 ? b.PUT(HttpRequest.BodyPublishers.ofString(body)) : b.POST(HttpRequest.BodyPublishers.ofString(body));
                        return server.send(b.build()).statusCode();
                    }));
                }
                go.countDown();
                int done = 0;
                for (Future<Integer> f : results) {
                    int status = f.get();
                    assertThat(status).isIn(200, 204, 404);
                    if (status != 404) {
                        done++;
                    }
                }
                assertThat(done).as("exactly one operation found the file at its original path").isEqualTo(1);
            }
            HttpResponse<String> details = server.get("/v1/files/" + fileId + "/details", "Authorization", TestServer.basic());
            assertThat(details.statusCode()).isEqualTo(200);
            JsonNode file = Json.parse(details.body());
            assertThat(file.get("filePath").asText()).isNotEqualTo("/start/moving.txt");
            assertThat(new String(server.getBytes(file.get("url").asText()).body())).isEqualTo("keep me");
            JsonNode versions = Json.parse(server.get("/v1/files/" + fileId + "/versions", "Authorization", TestServer.basic()).body());
            assertThat(versions.size()).isEqualTo(3);
            JsonNode all = Json.parse(server.get("/v1/files", "Authorization", TestServer.basic()).body());
            assertThat(all.size()).as("one file, not zero and not two").isEqualTo(1);
        }
    }
}

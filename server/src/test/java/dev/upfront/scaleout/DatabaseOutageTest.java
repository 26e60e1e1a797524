package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.json.Json;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.Postgres;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a running server: uploads answer 503 {@code DATABASE_UNAVAILABLE} and store nothing,
 * {@code /readyz} says 503 while {@code /healthz} stays 200; once the database is back, the same server serves
 * again without a restart.
 */
class DatabaseOutageTest {
    @Test
    void anOutageIsA503AndRecoveryNeedsNoRestart(@TempDir Path clusterDir) throws Exception {
        // JUnit deletes the cluster (a few hundred MB) after the test.
        try (Postgres pg = Postgres.startCluster(clusterDir, 0);
             TestServer server = TestServer.start(Map.of("UPFRONT_DATABASE_URL", pg.createDatabase("outage")))) {
            assertThat(upload(server, "before.txt").statusCode()).isEqualTo(200);
            assertThat(Readyz.ask(server).statusCode()).isEqualTo(200);

            pg.close();
            HttpResponse<String> refused = upload(server, "during.txt");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(Json.parse(refused.body()).get("code").asText()).isEqualTo("DATABASE_UNAVAILABLE");
            HttpResponse<String> token = server.upload(new Multipart().field("fileName", "token.txt").fields(TestServer.v1Auth(60))
                    .file("file", "token.txt", "text/plain", "t".getBytes()));
            assertThat(token.statusCode()).as("the token store is down too: " + token.body()).isEqualTo(503);
            assertThat(token.body()).contains("DATABASE_UNAVAILABLE");
            assertThat(server.get("/v1/files", "Authorization", TestServer.basic()).statusCode()).isEqualTo(503);
            HttpResponse<String> notReady = Readyz.ask(server);
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("NOT_READY");
            assertThat(server.get("/healthz").statusCode()).isEqualTo(200);

            pg.start();
            Readyz.await(server, "the database");
            assertThat(upload(server, "after.txt").statusCode()).isEqualTo(200);
            List<String> names = new ArrayList<>();
            Json.parse(server.get("/v1/files", "Authorization", TestServer.basic()).body()).forEach(f -> names.add(f.get("name").asText()));
            assertThat(names).as("nothing of the refused upload").containsExactlyInAnyOrder("before.txt", "after.txt");
        }
    }

    private static HttpResponse<String> upload(TestServer server, String name) {
        return server.upload(new Multipart().field("fileName", name).field("useUniqueFileName", "false")
                .file("file", name, "text/plain", name.getBytes()), "Authorization", TestServer.basic());
    }
}

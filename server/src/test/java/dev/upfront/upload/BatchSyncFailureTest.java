package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.DataDirCheck;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;

/**
 * The uploads of one group commit are made durable together, before their records: when that fails for one of
 * them, every upload of the batch is answered 503 STORAGE_UNAVAILABLE, none is recorded, and their blobs are gone.
 *
 * <p>How the batch is formed over HTTP: the test holds SQLite's write lock, so the first upload's batch (synced
 * already) waits in its transaction while four more uploads publish their blobs and queue behind it, all in the next
 * batch. One of those four blobs is then deleted by hand (its folder emptied, as an operator or a failing disk
 * might), which is a real failure of that batch's sync: the blob is no longer there to be made durable.
 */
class BatchSyncFailureTest {
    private static final int QUEUED = 4;

    @Test
    void aBatchWhoseSyncFailsAnswers503ForEveryUploadAndRecordsNone() throws Exception {
        try (TestServer server = TestServer.start();
             ExecutorService clients = Executors.newFixedThreadPool(1 + QUEUED)) {
            Path data = server.dataDir();
            Future<HttpResponse<String>> first;
            List<Future<HttpResponse<String>>> queued = new ArrayList<>();
            String firstKey;
            try (Connection db = new SQLiteConfig().createConnection("jdbc:sqlite:" + data.resolve("upfront.db"));
                 Statement st = db.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                first = clients.submit(() -> upload(server, "first.txt"));
                await(() -> published(data).size() == 1);
                firstKey = published(data).iterator().next();
                Thread.sleep(300); // its batch (it alone) is synced and waits for the write lock
                for (int i = 0; i < QUEUED; i++) {
                    String name = "queued-" + i + ".txt";
                    queued.add(clients.submit(() -> upload(server, name)));
                }
                await(() -> published(data).size() == 1 + QUEUED);
                Thread.sleep(300); // each, just after its rename, has queued for the next batch
                assertThat(first).isNotDone();
                assertThat(queued).noneMatch(Future::isDone);
                String victim = published(data).stream().filter(k -> !k.equals(firstKey)).findFirst().orElseThrow();
                Files.delete(DataDirCheck.publishedBlobs(data).get(victim));
                st.execute("ROLLBACK");
            }

            assertThat(first.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            for (Future<HttpResponse<String>> f : queued) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.body()).contains("\"STORAGE_UNAVAILABLE\"");
            }
            HttpResponse<String> list = server.get("/v1/files?type=file", "Authorization", TestServer.basic());
            assertThat(list.body()).contains("first.txt").doesNotContain("queued-");
            assertThat(published(data)).containsExactly(firstKey);
            DataDirCheck.assertConsistent(data);
        }
    }

    private static HttpResponse<String> upload(TestServer server, String name) {
        return server.upload(Multipart.of(Map.of("fileName", name, "useUniqueFileName", "false")).file(name.getBytes()),
                "Authorization", TestServer.basic());
    }

    private static Set<String> published(Path data) {
        try {
            return DataDirCheck.publishedBlobs(data).keySet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as("reached within 30 s").isTrue();
    }
}

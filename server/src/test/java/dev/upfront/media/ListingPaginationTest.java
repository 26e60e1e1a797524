package dev.upfront.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Paging with skip/limit in the default order (ASC_CREATED) while other clients keep uploading to the same folder:
 * new files sort after every existing one, so the pages together hold each file that existed before paging began
 * exactly once, with no gap and no duplicate.
 */
class ListingPaginationTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String upload(String folder, String name) throws Exception {
        Multipart m = new Multipart().field("fileName", name).field("folder", folder).field("useUniqueFileName", "true")
                .file("file", name, "text/plain", ("content of " + name).getBytes());
        HttpResponse<String> r = server.upload(m, "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body()).get("fileId").asText();
    }

    static List<String> page(String folder, int skip) throws Exception {
        HttpResponse<String> r = server.get("/v1/files?path=" + folder + "&limit=7&skip=" + skip, "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode n : Json.parse(r.body())) {
            ids.add(n.get("fileId").asText());
        }
        return ids;
    }

    @Test
    void pagesStayStableWhileFilesAreAdded() throws Exception {
        String folder = "/paging/";
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            before.add(upload(folder, "before-" + i + ".txt"));
        }

        AtomicBoolean paging = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> added = new ConcurrentLinkedQueue<>();
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            running.add(writers.submit(() -> {
                int n = 0;
                while (paging.get()) {
                    added.add(upload(folder, "during-" + writer + "-" + n++ + ".txt"));
                    // another folder too: inserts elsewhere must not disturb this listing either
                    upload("/elsewhere/", "noise-" + writer + "-" + n + ".txt");
                }
                return null;
            }));
        }
        List<String> seen = new ArrayList<>();
        int pages = 0;
        try {
            while (added.size() < 3) {
                Thread.sleep(5); // make sure the writers are under way before the first page
            }
            for (int skip = 0; ; skip += 7) {
                List<String> page = page(folder, skip);
                seen.addAll(page);
                pages++;
                if (page.size() < 7 || seen.size() >= before.size() + 14) {
                    break;
                }
                Thread.sleep(10); // let uploads land between pages
            }
        } finally {
            paging.set(false);
            for (Future<?> f : running) {
                f.get();
            }
            writers.shutdown();
        }

        assertThat(pages).isGreaterThan(14);
        assertThat(added.size()).as("uploads during paging").isGreaterThan(pages / 2);
        assertThat(new HashSet<>(seen)).as("no duplicates").hasSameSizeAs(seen);
        assertThat(seen.subList(0, before.size())).as("every earlier file once, in upload order").containsExactlyElementsOf(before);
        Set<String> newOnes = new HashSet<>(added);
        assertThat(seen.subList(before.size(), seen.size())).as("then only files added meanwhile").allMatch(newOnes::contains);
    }
}

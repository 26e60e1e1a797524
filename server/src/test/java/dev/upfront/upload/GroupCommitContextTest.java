package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.library.jdbc.JdbcLibrary;
import dev.upfront.storage.fs.FilesystemBlobStore;
import dev.upfront.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/**
 * A work in a group commit runs with the logging context of the upload that queued it, not the leader's: the
 * events it records carry that upload's request id. The first upload's work holds its batch open until every
 * other upload has queued, so they all go into the next batch, which the committer thread runs.
 */
class GroupCommitContextTest {
    private static final int UPLOADS = 8;

    @Test
    void everyWorkSeesTheRequestIdOfItsOwnUpload(@TempDir Path blobs) throws Exception {
        try (TestDatabases databases = TestDatabases.sqlite();
             ExecutorService threads = Executors.newFixedThreadPool(UPLOADS)) {
            GroupCommit commits = new GroupCommit(new JdbcLibrary(databases.open()), new FilesystemBlobStore(blobs));
            CountDownLatch firstRunning = new CountDownLatch(1);
            CountDownLatch othersQueued = new CountDownLatch(UPLOADS - 1);
            List<Future<String>> seen = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                int n = i;
                seen.add(threads.submit(() -> {
                    MDC.put("requestId", "req-" + n);
                    try {
                        if (n > 0) {
                            firstRunning.await();
                            othersQueued.countDown();
                        }
                        return commits.commit("/p/" + n, w -> {
                            if (n == 0) {
                                firstRunning.countDown();
                                await(othersQueued);
                                sleep(); // the others' commit calls, just after their count-down, have queued
                            }
                            return MDC.get("requestId");
                        });
                    } finally {
                        MDC.clear();
                    }
                }));
            }
            for (int i = 0; i < UPLOADS; i++) {
                assertThat(seen.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("req-" + i);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

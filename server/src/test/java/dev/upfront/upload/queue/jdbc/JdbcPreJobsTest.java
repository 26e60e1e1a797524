package dev.upfront.upload.queue.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.TestDatabases;
import dev.upfront.upload.UploadOptions;
import dev.upfront.upload.queue.PreJob;
import dev.upfront.upload.queue.PreJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The video pre-transformation queue on each database, with two pools on one database standing for two instances:
 * one claim holds a job until its lease runs out, then another instance takes it and the dead claim can neither
 * renew nor finish it; jobs stay in their home; a restart releases the claims of its own home; the options, request
 * id and keys come back as queued; sources are reported for the sweep.
 */
class JdbcPreJobsTest {
    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(60);

    private abstract static class Contract {
        abstract Supplier<TestDatabases> databases();

        private static PreJob job(String id) {
            UploadOptions options = UploadOptions.parse(Map.of("fileName", "clip " + id + ".mp4", "folder", "/videos/", "tags", "a,b",
                    "customMetadata", "{\"n\":3,\"s\":\"x\"}", "transformation",
                    "{\"pre\":\"w-160\",\"post\":[{\"type\":\"thumbnail\",\"value\":\"w-80\"}]}", "webhookUrl", "http://127.0.0.1/h",
                    "responseFields", "tags,customMetadata", "overwriteFile", "false", "checks", "\"file.size\" < \"1mb\""));
            return new PreJob(id, "src" + id, 1234, "crc32c:" + id, "video/mp4", "res" + id, options, "req-" + id, 0, T0);
        }

        @Test
        void aClaimHoldsAJobUntilItsLeaseRunsOutThenAnotherInstanceTakesIt() {
            try (TestDatabases dbs = databases().get()) {
                PreJobs a = new JdbcPreJobs(dbs.open());
                PreJobs b = new JdbcPreJobs(dbs.open());
                a.add(job("j1"), "", T0);

                List<PreJob> claimed = a.claim("", "claim-a", T0, LEASE, 4);
                assertThat(claimed).hasSize(1);
                PreJob got = claimed.getFirst();
                assertThat(got.attempts()).isEqualTo(1);
                assertThat(got.sourceKey()).isEqualTo("srcj1");
                assertThat(got.resultKey()).isEqualTo("resj1");
                assertThat(got.requestId()).isEqualTo("req-j1");
                UploadOptions o = got.options();
                UploadOptions sent = job("j1").options();
                assertThat(o.fileName()).isEqualTo(sent.fileName());
                assertThat(o.folder()).isEqualTo("/videos/");
                assertThat(o.tags()).containsExactly("a", "b");
                assertThat(o.customMetadata()).isEqualTo(Map.of("n", 3, "s", "x"));
                assertThat(o.responseFields()).containsExactly("tags", "customMetadata");
                assertThat(o.overwriteFile()).isFalse();
                assertThat(o.transformation()).isEqualTo(sent.transformation());
                assertThat(o.webhookUrl()).isEqualTo("http://127.0.0.1/h");
                assertThat(o.checks()).as("evaluated before the job was queued").isNull();

                assertThat(b.claim("", "claim-b", T0.plusSeconds(30), LEASE, 4)).as("held by a").isEmpty();
                assertThat(a.renew("j1", "claim-a", T0.plusSeconds(80))).isTrue();
                assertThat(b.claim("", "claim-b", T0.plusSeconds(70), LEASE, 4)).as("renewed").isEmpty();

                List<PreJob> taken = b.claim("", "claim-b", T0.plusSeconds(81), LEASE, 4);
                assertThat(taken).as("a died: its lease ran out").hasSize(1);
                assertThat(taken.getFirst().attempts()).isEqualTo(2);
                assertThat(a.renew("j1", "claim-a", T0.plusSeconds(200))).as("a's claim is gone").isFalse();
                assertThat(a.finish("j1", "claim-a")).as("only the holder finishes").isFalse();
                assertThat(b.finish("j1", "claim-b")).isTrue();
                assertThat(b.finish("j1", "claim-b")).as("once").isFalse();
                assertThat(a.claim("", "claim-c", T0.plusSeconds(500), LEASE, 4)).isEmpty();
            }
        }

        @Test
        void homesRetriesReleaseAndSources() {
            try (TestDatabases dbs = databases().get()) {
                PreJobs jobs = new JdbcPreJobs(dbs.open());
                jobs.add(job("h1"), "/data/one/blobs", T0);
                jobs.add(job("h2"), "", T0);
                assertThat(jobs.claim("/data/two/blobs", "c0", T0, LEASE, 4)).as("another instance's folder").isEmpty();
                assertThat(jobs.claim("/data/one/blobs", "c1", T0, LEASE, 4)).extracting(PreJob::jobId).containsExactly("h1");

                assertThat(jobs.sources(List.of("srch1", "srch2", "other"))).containsExactlyInAnyOrder("srch1", "srch2");

                assertThat(jobs.releaseAll("/data/one/blobs")).as("a restart on that folder").isEqualTo(1);
                List<PreJob> again = jobs.claim("/data/one/blobs", "c2", T0.plusSeconds(1), LEASE, 4);
                assertThat(again).hasSize(1);
                jobs.retryAt("h1", "c2", T0.plusSeconds(30));
                assertThat(jobs.claim("/data/one/blobs", "c3", T0.plusSeconds(10), LEASE, 4)).as("not yet due").isEmpty();
                assertThat(jobs.claim("/data/one/blobs", "c3", T0.plusSeconds(31), LEASE, 4)).extracting(PreJob::attempts)
                        .containsExactly(3);
                jobs.giveBack("h1", "c3");
                assertThat(jobs.claim("/data/one/blobs", "c4", T0.plusSeconds(32), LEASE, 4)).as("given back: due, not counted")
                        .extracting(PreJob::attempts).containsExactly(3);
                jobs.giveBack("h1", "c3");
                assertThat(jobs.claim("/data/one/blobs", "c5", T0.plusSeconds(33), LEASE, 4)).as("an old claim gives back nothing")
                        .isEmpty();
                assertThat(jobs.finish("h1", "c3")).as("an old claim removes nothing").isFalse();
                assertThat(jobs.finish("h1", "c4")).isTrue();
                assertThat(jobs.sources(Set.of("srch1"))).isEmpty();
            }
        }
    }

    @Nested
    class OnSqlite extends Contract {
        @Override
        Supplier<TestDatabases> databases() {
            return TestDatabases::sqlite;
        }
    }

    @Nested
    class OnPostgres extends Contract {
        @Override
        Supplier<TestDatabases> databases() {
            return TestDatabases::postgres;
        }
    }
}

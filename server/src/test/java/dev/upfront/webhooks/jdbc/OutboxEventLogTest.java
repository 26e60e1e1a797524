package dev.upfront.webhooks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.db.Database;
import dev.upfront.delivery.Urls;
import dev.upfront.http.EventPayloads;
import dev.upfront.ids.Ids;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryEvent;
import dev.upfront.library.LibraryFile;
import dev.upfront.library.StoredFile;
import dev.upfront.library.jdbc.JdbcLibrary;
import dev.upfront.testing.TestDatabases;
import dev.upfront.webhooks.Outbox;
import dev.upfront.webhooks.Webhooks;
import java.net.URI;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * A library change's webhook event is part of the change's transaction, on each database: the real library, outbox
 * and envelope builder. Its outbox row commits with the change, vanishes with a rolled-back one (a whole
 * transaction, or one work's savepoint in a group commit while its neighbours' rows stay), and an event that
 * cannot be stored fails its change. The sender is woken only after a commit.
 */
class OutboxEventLogTest {
    private static final Instant T = Instant.parse("2026-12-06T12:00:00Z");
    private static final String TARGET = "http://127.0.0.1:9/hooks";

    private abstract static class OnDatabase {
        private TestDatabases databases;
        private Database db;
        private Library library;
        private Outbox outbox;
        private final AtomicInteger wakes = new AtomicInteger();

        abstract TestDatabases databases();

        @BeforeEach
        void open() {
            databases = databases();
            db = databases.open();
            outbox = new JdbcOutbox(db);
            EventPayloads payloads = new EventPayloads(new Urls(URI.create("http://localhost:1/media")));
            Webhooks webhooks = new Webhooks(outbox, List.of(TARGET), payloads, InstantSource.fixed(T), wakes::incrementAndGet);
            library = new JdbcLibrary(db, new OutboxEventLog(webhooks));
        }

        @AfterEach
        void close() {
            databases.close();
        }

        @Test
        void anEventCommitsWithItsChangeAndTheSenderIsWokenAfterwards() {
            MDC.put(Webhooks.REQUEST_ID, "req-commit");
            try {
                library.write(create("/outbox/kept.png", null));
            } finally {
                MDC.remove(Webhooks.REQUEST_ID);
            }
            LibraryFile file = library.findByPath("/outbox/kept.png").orElseThrow();
            List<Outbox.Delivery> rows = pending();
            assertThat(rows).hasSize(1);
            assertThat(rows.getFirst().eventType()).isEqualTo("file.created");
            assertThat(rows.getFirst().targetUrl()).isEqualTo(TARGET);
            assertThat(rows.getFirst().body()).contains("\"fileId\":\"" + file.file().fileId() + "\"")
                    .contains("\"x_request_id\":\"req-commit\"");
            assertThat(wakes).hasValue(1);
        }

        @Test
        void aWriteThatFailsAfterItsChangeLeavesNeitherTheChangeNorItsEvent() {
            Function<Library.Writer, LibraryFile> work = create("/outbox/gone.png", null);
            assertThatThrownBy(() -> library.write(w -> {
                work.apply(w);
                throw new IllegalStateException("refused after the change");
            })).hasMessage("refused after the change");
            assertThat(library.findByPath("/outbox/gone.png")).isEmpty();
            assertThat(pending()).as("the event rolled back with its change").isEmpty();
            assertThat(wakes).hasValue(0);
        }

        @Test
        void inAGroupCommitAFailedWorksEventsGoWhileItsNeighboursStay() {
            Function<Library.Writer, LibraryFile> refused = create("/batch/b.png", "http://127.0.0.1:9/own");
            List<Library.Outcome<LibraryFile>> outcomes = library.writeEach(List.of(
                    create("/batch/a.png", null),
                    w -> {
                        refused.apply(w);
                        throw new IllegalStateException("refused");
                    },
                    create("/batch/c.png", null)));
            assertThat(outcomes).extracting(o -> o.failure() == null).containsExactly(true, false, true);
            assertThat(library.findByPath("/batch/b.png")).isEmpty();
            List<Outbox.Delivery> rows = pending();
            assertThat(rows).extracting(Outbox.Delivery::body).hasSize(2)
                    .anySatisfy(b -> assertThat(b).contains("/batch/a.png"))
                    .anySatisfy(b -> assertThat(b).contains("/batch/c.png"))
                    .noneSatisfy(b -> assertThat(b).contains("/batch/b.png"));
            assertThat(rows).extracting(Outbox.Delivery::targetUrl).containsOnly(TARGET);
            assertThat(wakes).hasValue(1);
        }

        @Test
        void anEventThatCannotBeStoredFailsItsChange() throws Exception {
            db.withWriteConnection(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("ALTER TABLE webhook_outbox RENAME TO webhook_outbox_away");
                }
            });
            assertThatThrownBy(() -> library.write(create("/outbox/unrecorded.png", null))).hasMessageContaining("webhook_outbox");
            assertThat(library.findByPath("/outbox/unrecorded.png")).as("no change without its event").isEmpty();
            List<Library.Outcome<LibraryFile>> outcomes = library.writeEach(List.of(create("/outbox/batched.png", null)));
            assertThat(outcomes.getFirst().failure()).isNotNull();
            assertThat(library.findByPath("/outbox/batched.png")).isEmpty();
        }

        private List<Outbox.Delivery> pending() {
            return outbox.claim("test", T.plus(Duration.ofDays(1)), Duration.ofSeconds(90), 100);
        }
    }

    /** Records a new file at {@code path} with its {@code file.created}, as an upload does. */
    private static Function<Library.Writer, LibraryFile> create(String path, String callbackUrl) {
        String id = Ids.objectId();
        String folder = path.substring(0, path.lastIndexOf('/') + 1);
        return w -> {
            StoredFile file = new StoredFile(id, path, folder, path.substring(folder.length()), id, 1, T, T);
            FileVersion version = new FileVersion(id, id, 1, id, 100, "00", "image/png", "image", 1, 1, false, null, null,
                    Map.of(), null, null, false, true, T, T, null);
            w.ensureFolder(folder, T);
            w.insertFile(file);
            w.insertVersion(version);
            w.setCurrentVersion(id, id, 1, T);
            LibraryFile stored = new LibraryFile(file, version);
            w.record(new LibraryEvent.FileCreated(stored, callbackUrl));
            return stored;
        };
    }

    @Nested
    class OnSqlite extends OnDatabase {
        @Override
        TestDatabases databases() {
            return TestDatabases.sqlite();
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        @Override
        TestDatabases databases() {
            return TestDatabases.postgres();
        }
    }
}

package dev.upfront.webhooks.jdbc;

import dev.upfront.testing.TestDatabases;
import dev.upfront.webhooks.Outbox;
import dev.upfront.webhooks.OutboxContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The outbox contract on each database: SQLite (a fresh file) and PostgreSQL (a fresh database), per test. */
class JdbcOutboxTest {
    private abstract static class OnDatabase extends OutboxContract {
        private final List<TestDatabases> opened = new ArrayList<>();

        abstract TestDatabases databases();

        @Override
        protected List<Outbox> freshInstances() {
            TestDatabases databases = databases();
            opened.add(databases);
            return List.of(new JdbcOutbox(databases.open()), new JdbcOutbox(databases.open()));
        }

        @AfterEach
        void close() {
            opened.forEach(TestDatabases::close);
            opened.clear();
        }
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

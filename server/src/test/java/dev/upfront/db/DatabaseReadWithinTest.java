package dev.upfront.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.testing.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Database#readWithin}: a statement that would run for ever is stopped once the limit has passed, on SQLite
 * (its progress handler) and PostgreSQL ({@code statement_timeout}), and the connection goes back to the pool without
 * the limit.
 */
class DatabaseReadWithinTest {
    /** Counts for ever, one row at a time, in constant memory, on both databases. */
    private static final String ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r";
    /** Takes a few hundred milliseconds, far past the limit the endless one had. */
    private static final String LONG = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3000000) SELECT COUNT(*) FROM r";

    private static long count(Connection c, String sql) {
        return Sql.queryOne(c, sql, rs -> rs.getLong(1)).orElseThrow();
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class OnDatabase {
        private final TestDatabases databases = databases();
        private final Database db = databases.open();

        abstract TestDatabases databases();

        @AfterAll
        void close() {
            databases.close();
        }

        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        void aStatementPastTheLimitIsStoppedAndTheNextOneRunsWithoutIt() {
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.readWithin(Duration.ofMillis(300), c -> count(c, ENDLESS)))
                    .isInstanceOfSatisfying(QueryTimeoutException.class, e -> assertThat(e.limit()).isEqualTo(Duration.ofMillis(300)));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
            // The same thread takes the same pooled connection back first: it must have no limit left.
            long afterwards = db.withConnection(c -> count(c, LONG));
            assertThat(afterwards).isEqualTo(3_000_000L);
        }

        @Test
        void aReadWithinTheLimitAnswers() {
            long counted = db.readWithin(Duration.ofSeconds(30), c -> count(c, LONG));
            assertThat(counted).isEqualTo(3_000_000L);
        }

        @Test
        void anotherFailureStaysWhatItWas() {
            assertThatThrownBy(() -> db.readWithin(Duration.ofSeconds(30), c -> Sql.query(c, "SELECT no_such_column FROM files",
                    rs -> rs.getString(1)))).isInstanceOf(DatabaseException.class);
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

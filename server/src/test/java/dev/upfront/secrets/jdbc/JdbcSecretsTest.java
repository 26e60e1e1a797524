package dev.upfront.secrets.jdbc;

import dev.upfront.secrets.Secrets;
import dev.upfront.secrets.SecretsContract;
import dev.upfront.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The secrets contract on each database: SQLite (a fresh file) and PostgreSQL (a fresh database). */
class JdbcSecretsTest {
    private abstract static class OnDatabase extends SecretsContract {
        private final TestDatabases databases = databases();

        abstract TestDatabases databases();

        @Override
        protected Secrets newInstance() {
            return new JdbcSecrets(databases.open());
        }

        @AfterAll
        void close() {
            databases.close();
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

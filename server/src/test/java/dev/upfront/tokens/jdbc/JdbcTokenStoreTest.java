package dev.upfront.tokens.jdbc;

import dev.upfront.testing.TestDatabases;
import dev.upfront.tokens.TokenStore;
import dev.upfront.tokens.TokenStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The token store contract on each database: SQLite (a fresh file) and PostgreSQL (a fresh database). */
class JdbcTokenStoreTest {
    private abstract static class OnDatabase extends TokenStoreContract {
        private final TestDatabases databases = databases();

        abstract TestDatabases databases();

        @Override
        protected TokenStore newInstance() {
            return new JdbcTokenStore(databases.open());
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

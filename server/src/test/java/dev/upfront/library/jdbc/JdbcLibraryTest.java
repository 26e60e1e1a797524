package dev.upfront.library.jdbc;

import dev.upfront.library.Library;
import dev.upfront.library.LibraryContract;
import dev.upfront.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The library contract on each database: SQLite (a fresh file) and PostgreSQL (a fresh database). */
class JdbcLibraryTest {
    private abstract static class OnDatabase extends LibraryContract {
        private final TestDatabases databases = databases();

        abstract TestDatabases databases();

        @Override
        protected Library newInstance() {
            return new JdbcLibrary(databases.open());
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

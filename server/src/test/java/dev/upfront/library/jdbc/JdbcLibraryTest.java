package dev.upfront.library.jdbc;

import dev.upfront.db.Database;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryContract;
import dev.upfront.testing.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The library contract on each database: SQLite (a fresh file) and PostgreSQL (a fresh database), one pool per "instance". */
class JdbcLibraryTest {
    private abstract static class OnDatabase extends LibraryContract {
        private final List<Database> opened = new ArrayList<>();

        abstract Database open();

        @Override
        protected Library newInstance() {
            Database db = open();
            opened.add(db);
            return new JdbcLibrary(db);
        }

        @AfterAll
        void close() {
            opened.forEach(Database::close);
        }
    }

    @Nested
    class OnSqlite extends OnDatabase {
        private final Path file = Files.createTempDirectory("upfront-library-").resolve("library.db");

        OnSqlite() throws IOException {}

        @Override
        Database open() {
            return Database.openSqlite(file);
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        private final String url = Postgres.freshDatabaseUrl();

        @Override
        Database open() {
            return Database.openPostgres(url);
        }
    }
}

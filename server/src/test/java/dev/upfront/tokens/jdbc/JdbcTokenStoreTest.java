package dev.upfront.tokens.jdbc;

import dev.upfront.db.Database;
import dev.upfront.testing.Postgres;
import dev.upfront.tokens.TokenStore;
import dev.upfront.tokens.TokenStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The token store contract on each database: SQLite (a fresh file) and PostgreSQL (a fresh database). */
class JdbcTokenStoreTest {
    private abstract static class OnDatabase extends TokenStoreContract {
        private final List<Database> opened = new ArrayList<>();

        abstract Database open();

        @Override
        protected TokenStore newInstance() {
            Database db = open();
            opened.add(db);
            return new JdbcTokenStore(db);
        }

        @AfterAll
        void close() {
            opened.forEach(Database::close);
        }
    }

    @Nested
    class OnSqlite extends OnDatabase {
        private final Path file = Files.createTempDirectory("upfront-tokens-").resolve("tokens.db");

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

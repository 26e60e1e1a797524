package dev.upfront.library.jdbc;

import dev.upfront.db.Database;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryContract;
import dev.upfront.testing.Postgres;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** The library contract on PostgreSQL (embedded): a fresh database per class, one pool per "instance". */
class PostgresLibraryTest extends LibraryContract {
    private final String url = Postgres.freshDatabaseUrl();
    private final List<Database> opened = new ArrayList<>();

    @Override
    protected Library newInstance() {
        Database db = Database.openPostgres(url);
        opened.add(db);
        return new JdbcLibrary(db);
    }

    @AfterAll
    void close() {
        opened.forEach(Database::close);
    }
}

package dev.upfront.library.jdbc;

import dev.upfront.db.Database;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** The library contract on SQLite (the embedded default): a fresh database file per class. */
class SqliteLibraryTest extends LibraryContract {
    private final Path file;
    private final List<Database> opened = new ArrayList<>();

    SqliteLibraryTest() throws IOException {
        file = Files.createTempDirectory("upfront-library-").resolve("library.db");
    }

    @Override
    protected Library newInstance() {
        Database db = Database.openSqlite(file);
        opened.add(db);
        return new JdbcLibrary(db);
    }

    @AfterAll
    void close() {
        opened.forEach(Database::close);
    }
}

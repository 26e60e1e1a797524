package dev.upfront.testing;

import dev.upfront.db.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One fresh database for a contract suite: each {@link #open()} is another pool on it (another "instance", as a
 * second server process would be); {@link #close()} closes them all.
 */
public final class TestDatabases implements AutoCloseable {
    private final Supplier<Database> opener;
    private final List<Database> opened = new ArrayList<>();

    private TestDatabases(Supplier<Database> opener) {
        this.opener = opener;
    }

    /** A new SQLite file, in a folder deleted when the JVM exits. */
    public static TestDatabases sqlite() {
        Path file = TempFolders.deletedAtExit("upfront-db-", () -> {}).resolve("upfront.db");
        return new TestDatabases(() -> Database.openSqlite(file));
    }

    /** A new database on the shared embedded PostgreSQL. */
    public static TestDatabases postgres() {
        String url = Postgres.freshDatabaseUrl();
        return new TestDatabases(() -> Database.openPostgres(url));
    }

    public Database open() {
        Database db = opener.get();
        opened.add(db);
        return db;
    }

    @Override
    public void close() {
        opened.forEach(Database::close);
    }
}

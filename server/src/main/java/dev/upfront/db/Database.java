package dev.upfront.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.upfront.files.OwnerOnly;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * The metadata database: a connection pool with the schema migrated by Flyway at open. The embedded default is
 * one SQLite file in WAL mode; write transactions start {@code IMMEDIATE} so they never fail on a lock upgrade.
 * Writers of this process queue on a fair Java lock before they touch SQLite's write lock: SQLite waits for a
 * busy lock by sleeping inside native code, which pins a virtual thread to its carrier, and with as few carriers
 * as cores a handful of such waiters could take every carrier while the lock holder itself waited for one: the
 * whole server stalled until the 60 s busy timeout ran out. Parked on the Java lock, waiters free their carrier.
 */
public final class Database implements AutoCloseable {

    /** Work on a connection; SQL failures surface as {@link DatabaseException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource pool;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    public static Database openSqlite(Path file) {
        try {
            OwnerOnly.createDirectories(file.toAbsolutePath().getParent());
            // SQLite creates its file (and gives the -wal and -shm files the same mode) with the umask's 0644.
            OwnerOnly.createFileIfAbsent(file.toAbsolutePath());
        } catch (java.io.IOException e) {
            throw new DatabaseException("cannot create " + file.getParent(), e);
        }
        return openSqlite("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public static Database openSqlite(String jdbcUrl) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setBusyTimeout(60_000);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sqlite.enforceForeignKeys(true);

        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("upfront-db");
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setDataSourceProperties(sqlite.toProperties());
        hikari.setMaximumPoolSize(8);
        hikari.setConnectionTimeout(60_000);
        HikariDataSource pool = new HikariDataSource(hikari);
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration/sqlite")
                .load()
                .migrate();
        return new Database(pool);
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    public <T> T withConnection(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    /** Runs {@code work} in auto-commit mode, as this process's only writer (for single writing statements). */
    public <T> T withWriteConnection(Work<T> work) {
        writeLock.lock();
        try {
            return withConnection(work);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        writeLock.lock();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                    c.setAutoCommit(true);
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                    pool.evictConnection(c); // in an unknown transaction state: never hand it out again
                }
                throw e;
            }
            // Leaving manual-commit mode commits. Not c.commit(): sqlite-jdbc's commit() also begins the next
            // transaction at once (BEGIN IMMEDIATE, a second wait for the write lock), which can fail after the
            // data is committed and so report a committed transaction as failed.
            try {
                c.setAutoCommit(true);
            } catch (SQLException commit) {
                pool.evictConnection(c);
                throw commit;
            }
            return result;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Whether the database answers a trivial query. */
    public boolean ping() {
        try {
            return withConnection(c -> c.isValid(2));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}

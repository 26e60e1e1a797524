package dev.upfront.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.files.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * The metadata database: a connection pool with the schema migrated by Flyway at open, one migration folder per
 * {@link Vendor}.
 *
 * <p>The embedded default is one SQLite file in WAL mode; write transactions start {@code IMMEDIATE} so they never
 * fail on a lock upgrade. Writers of this process queue on a fair Java lock before they touch SQLite's write lock:
 * SQLite waits for a busy lock by sleeping inside native code, which pins a virtual thread to its carrier, and with
 * as few carriers as cores a handful of such waiters could take every carrier while the lock holder itself waited
 * for one: the whole server stalled until the 60 s busy timeout ran out. Parked on the Java lock, waiters free
 * their carrier.
 *
 * <p>PostgreSQL is shared by several server instances, so no Java lock: writers serialise on the database's own
 * locks (see the library). Its timeouts are bounded so that an outage turns into a 503
 * ({@link ErrorCode#DATABASE_UNAVAILABLE}) within seconds rather than requests hanging on the pool.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** SQLite virtual machine steps between two looks at a read's time limit: a few microseconds' work. */
    private static final int PROGRESS_STEPS = 10_000;
    /** PostgreSQL's SQLSTATE for a statement ended by {@code statement_timeout} (or a cancel). */
    private static final String QUERY_CANCELED = "57014";

    /** Which SQL the database speaks. */
    public enum Vendor { SQLITE, POSTGRESQL }

    /** Work on a connection; SQL failures surface as {@link DatabaseException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource pool;
    private final Vendor vendor;
    /** SQLite only: this process is the only writer, and its writers must not wait inside native code. */
    private final ReentrantLock writeLock;
    /** The connection {@link #ping()} uses: the main pool, or (PostgreSQL) a pool of one of its own. */
    private final HikariDataSource probe;
    /** The connection of the transaction ({@link #inTransaction}) that the current thread runs, for {@link #joinTransaction}. */
    private final ScopedValue<Connection> transaction = ScopedValue.newInstance();

    private Database(HikariDataSource pool, HikariDataSource probe, Vendor vendor) {
        this.pool = pool;
        this.probe = probe;
        this.vendor = vendor;
        this.writeLock = vendor == Vendor.SQLITE ? new ReentrantLock(true) : null;
    }

    public static Database openSqlite(Path file) {
        try {
            OwnerOnly.createDirectories(file.toAbsolutePath().getParent());
            // SQLite creates its file (and gives the -wal and -shm files the same mode) with the umask's 0644.
            OwnerOnly.createFileIfAbsent(file.toAbsolutePath());
        } catch (IOException e) {
            throw new DatabaseException("cannot create " + file.getParent(), e);
        }
        return openSqlite("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public static Database openSqlite(String jdbcUrl) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // A group commit gives each upload a savepoint, and SQLite copies every page an upload changes into that
        // savepoint's journal first: with temporary files on disk, that was about 50 pwrite calls per upload
        // (strace) on the batch's serial path. In memory the copy is a memcpy; the journal holds one batch's pages.
        sqlite.setTempStore(SQLiteConfig.TempStore.MEMORY);
        sqlite.setBusyTimeout(60_000);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sqlite.enforceForeignKeys(true);
        // Otherwise every INSERT also runs "SELECT last_insert_rowid()" (and a regex on its SQL) for generated keys,
        // which nothing here reads.
        sqlite.setGetGeneratedKeys(false);

        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("upfront-db");
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setDataSourceProperties(sqlite.toProperties());
        hikari.setMaximumPoolSize(8);
        hikari.setConnectionTimeout(60_000);
        HikariDataSource pool = migrated(hikari, "db/migration/sqlite");
        return new Database(pool, pool, Vendor.SQLITE);
    }

    /**
     * A PostgreSQL database ({@code jdbc:postgresql://host:port/db?user=...&password=...}), migrated when empty.
     * Flyway takes a lock in the database while it migrates, so instances starting together migrate once.
     *
     * @throws DatabaseException when the database cannot be reached or migrated
     */
    public static Database openPostgres(String jdbcUrl) {
        Properties driver = new Properties();
        // JSON columns are bound as strings; untyped string parameters let the server cast them to jsonb.
        driver.setProperty("stringtype", "unspecified");
        driver.setProperty("connectTimeout", "2");
        driver.setProperty("socketTimeout", "60");
        driver.setProperty("tcpKeepAlive", "true");
        driver.setProperty("ApplicationName", "upfront");

        HikariConfig hikari = postgresPool("upfront-db", jdbcUrl, driver);
        hikari.setMaximumPoolSize(16);
        hikari.setMinimumIdle(2); // the database's connection slots are shared by every instance
        // Writers to one busy path hold a connection while they queue for its lock, so a request may wait a
        // while for a connection; longer than this is an outage (503).
        hikari.setConnectionTimeout(5_000);
        // Readiness has a connection of its own: a pool busy with queued writers must not make /readyz slow.
        HikariConfig probe = postgresPool("upfront-db-probe", jdbcUrl, driver);
        probe.setMaximumPoolSize(1);
        probe.setMinimumIdle(0);
        probe.setConnectionTimeout(1_000);
        probe.setInitializationFailTimeout(-1); // the main pool has just checked that the database answers
        return new Database(migrated(hikari, "db/migration/postgresql"), new HikariDataSource(probe), Vendor.POSTGRESQL);
    }

    private static HikariConfig postgresPool(String name, String jdbcUrl, Properties driver) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setDataSourceProperties(driver);
        hikari.setValidationTimeout(500);
        hikari.setKeepaliveTime(30_000);
        return hikari;
    }

    private static HikariDataSource migrated(HikariConfig hikari, String migrations) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new DatabaseException("cannot connect: " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:" + migrations).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new DatabaseException("cannot migrate the schema: " + rootMessage(e), e);
        }
        return pool;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    public Vendor vendor() {
        return vendor;
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    public <T> T withConnection(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        } catch (DatabaseException e) {
            throw failure(e);
        }
    }

    /**
     * Runs {@code work}, which only reads, on a pooled connection whose statements are stopped once {@code limit} has
     * passed: for queries whose cost the caller chooses (a search). SQLite has no statement timeout, so a progress
     * handler, called every few thousand steps of its virtual machine, ends the statement when the time is up;
     * PostgreSQL is given {@code statement_timeout} for the session and has it reset afterwards.
     *
     * @throws QueryTimeoutException when a statement was stopped
     */
    public <T> T readWithin(Duration limit, Work<T> work) {
        return withConnection(c -> vendor == Vendor.SQLITE ? sqliteWithin(c, limit, work) : postgresWithin(c, limit, work));
    }

    private static <T> T sqliteWithin(Connection c, Duration limit, Work<T> work) throws SQLException {
        long end = System.nanoTime() + limit.toNanos();
        boolean[] stopped = {false};
        // The driver's own connection: the handler is set on it (it refuses the pool's proxy).
        Connection sqlite = c.unwrap(SQLiteConnection.class);
        ProgressHandler.setHandler(sqlite, PROGRESS_STEPS, new ProgressHandler() {
            @Override
            protected int progress() {
                stopped[0] = System.nanoTime() - end > 0;
                return stopped[0] ? 1 : 0;
            }
        });
        try {
            return work.run(c);
        } catch (SQLException | DatabaseException e) {
            if (stopped[0]) {
                throw new QueryTimeoutException(limit, e);
            }
            throw e;
        } finally {
            ProgressHandler.clearHandler(sqlite);
        }
    }

    private <T> T postgresWithin(Connection c, Duration limit, Work<T> work) throws SQLException {
        try (Statement set = c.createStatement()) {
            set.execute("SET statement_timeout = " + Math.max(1, limit.toMillis()));
        }
        try {
            return work.run(c);
        } catch (SQLException | DatabaseException e) {
            SQLException sql = sqlFailure(e);
            if (sql != null && QUERY_CANCELED.equals(sql.getSQLState())) {
                throw new QueryTimeoutException(limit, e);
            }
            throw e;
        } finally {
            try (Statement reset = c.createStatement()) {
                reset.execute("RESET statement_timeout");
            } catch (SQLException e) {
                pool.evictConnection(c); // it would keep the limit for whoever takes it next
            }
        }
    }

    /** Runs {@code work} in auto-commit mode, as this process's only writer on SQLite (for single writing statements). */
    public <T> T withWriteConnection(Work<T> work) {
        lockWriters();
        try {
            return withConnection(work);
        } finally {
            unlockWriters();
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        lockWriters();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = ScopedValue.where(transaction, c).call(() -> work.run(c));
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
            throw failure(e);
        } catch (DatabaseException e) {
            throw failure(e);
        } finally {
            unlockWriters();
        }
    }

    /**
     * Runs {@code work} on the connection of the transaction that this thread is running ({@link #inTransaction}, as a
     * library write's work), so that it commits or rolls back with it: for a store whose rows belong to another's
     * transaction (a one-time token burned with the upload it authenticated).
     *
     * @throws IllegalStateException when this thread runs no transaction of this database
     */
    public <T> T joinTransaction(Work<T> work) {
        if (!transaction.isBound()) {
            throw new IllegalStateException("no transaction of this database on this thread");
        }
        try {
            return work.run(transaction.get());
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void lockWriters() {
        if (writeLock != null) {
            writeLock.lock();
        }
    }

    private void unlockWriters() {
        if (writeLock != null) {
            writeLock.unlock();
        }
    }

    /**
     * A lost or unobtainable connection is an outage, which the client sees as a 503 it may retry; any other SQL
     * failure stays a {@link DatabaseException} (a 500 with the details in the log only).
     */
    private RuntimeException failure(Exception e) {
        SQLException sql = sqlFailure(e);
        if (sql != null && isOutage(sql)) {
            log.warn("Database unavailable: {}", sql.getMessage());
            if (isConnectionLost(sql)) {
                retirePooledConnections();
            }
            return new ApiException(ErrorCode.DATABASE_UNAVAILABLE);
        }
        return e instanceof DatabaseException d ? d : new DatabaseException(e.getMessage(), e);
    }

    /** The SQL failure behind {@code e}: itself, or the {@link DatabaseException}'s cause; null when neither. */
    private static SQLException sqlFailure(Exception e) {
        return e instanceof SQLException s ? s : e.getCause() instanceof SQLException s ? s : null;
    }

    /** SQLSTATE class 08 (connection exception), 57P01-03 (server shut down or starting), or the pool's timeout. */
    private static boolean isOutage(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }

    /** A connection that was open has been lost (not a wait for a free one, which says nothing about the others). */
    private static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /**
     * One connection lost to a restart or a network failure means the pool's others were lost with it, though each
     * looks fine until used (the pool hands out a connection used in the last half second without checking it).
     * Retiring them all (idle ones now, busy ones when returned) makes the requests after the database is back get
     * fresh connections instead of failing one by one on stale ones.
     */
    private void retirePooledConnections() {
        HikariPoolMXBean connections = pool.getHikariPoolMXBean();
        if (connections != null) {
            connections.softEvictConnections();
        }
    }

    /** Whether the database answers a trivial query; within about two seconds on PostgreSQL. */
    public boolean ping() {
        try (Connection c = probe.getConnection()) {
            return c.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (probe != pool) {
            probe.close();
        }
        pool.close();
    }
}

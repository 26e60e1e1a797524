package dev.upfront.bench;

import dev.upfront.testing.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server for bench/run.sh's PostgreSQL row: the tests' embedded binaries, but with fsync and
 * synchronous_commit on ({@link Postgres#startDurableCluster}), so its commits cost what a real server's do. Prints {@code URL <jdbc url>} once the database exists, then runs until the
 * process is stopped (SIGTERM: the shutdown hook stops the cluster).
 *
 * <pre>
 *   PostgresServer --data DIR     cluster files in DIR/postgres
 * </pre>
 */
public final class PostgresServer {
    private PostgresServer() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2 || !args[0].equals("--data")) {
            System.err.println("usage: PostgresServer --data DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[1]).resolve("postgres"));
        Postgres cluster = Postgres.startDurableCluster(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        System.out.println("URL " + cluster.createDatabase("upfront_bench"));
        System.out.flush();
        Thread.currentThread().join();
    }
}

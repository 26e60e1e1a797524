package dev.upfront.app;

import dev.upfront.config.Config;
import dev.upfront.config.ConfigException;
import dev.upfront.config.Setting;
import dev.upfront.db.Database;
import dev.upfront.db.DatabaseException;
import dev.upfront.error.ApiException;
import dev.upfront.auth.KeyFiles;
import dev.upfront.auth.KeyPair;
import dev.upfront.migrate.Migration;
import dev.upfront.migrate.MigrationException;
import dev.upfront.migrate.MigrationReport;
import dev.upfront.migrate.TargetStorage;
import dev.upfront.storage.PendingBlobs;
import dev.upfront.storage.fs.FilesystemBlobStore;
import dev.upfront.storage.s3.S3BlobStore;
import dev.upfront.storage.s3.S3Bucket;
import dev.upfront.storage.s3.S3Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@code upfront migrate --from <data folder>}: copies an embedded-default data folder into the PostgreSQL database
 * and S3 bucket that {@code UPFRONT_DATABASE_URL} and {@code UPFRONT_S3_*} (or their flags) name, as the instances
 * that will share them are configured. Names the implementations, as {@link Upfront} does; the work is
 * {@link Migration}'s.
 */
public final class MigrateCommand {
    static final String USAGE = "Usage: upfront migrate --from <data folder> [options]  (the target: UPFRONT_DATABASE_URL="
            + "jdbc:postgresql:..., UPFRONT_STORAGE=s3 and the UPFRONT_S3_* settings, or their flags)";
    private static final String BLOBS = "blobs/";

    private MigrateCommand() {}

    /** Runs the command; returns the process's exit status (0 done, 1 failed or interrupted, 2 bad usage). */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err,
                          Migration.Progress progress) {
        List<String> rest = new ArrayList<>();
        Path from = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--from") && i + 1 < args.size()) {
                from = Path.of(args.get(++i));
            } else if (arg.startsWith("--from=")) {
                from = Path.of(arg.substring("--from=".length()));
            } else {
                rest.add(arg);
            }
        }
        if (from == null) {
            err.println("upfront migrate: --from <data folder> is required. " + USAGE);
            return 2;
        }
        Path source = from.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source.resolve("upfront.db"))) {
            err.println("upfront migrate: " + source + " is not an Upfront data folder (it has no upfront.db)");
            return 2;
        }
        try {
            Config config = Config.load(env, rest);
            return migrate(source, config, out, err, progress);
        } catch (ConfigException e) {
            err.println("upfront migrate: invalid configuration: " + e.getMessage());
            return 2;
        }
    }

    private static int migrate(Path source, Config config, PrintStream out, PrintStream err, Migration.Progress progress) {
        if (!config.sharedDatabase()) {
            throw new ConfigException(Setting.DATABASE_URL, "must be the target's jdbc:postgresql://host:port/database URL");
        }
        S3Settings s3 = config.s3().orElseThrow(() -> new ConfigException(Setting.STORAGE,
                "must be s3 for a migration: the target bucket, with the UPFRONT_S3_* settings"));
        try (S3Bucket bucket = S3Bucket.open(s3)) {
            if (!bucket.reachable()) {
                throw new ConfigException(Setting.S3_BUCKET, "the bucket '" + bucket.name()
                        + "' does not exist or cannot be reached with the configured credentials (Upfront never creates one)");
            }
            try (Database target = openTarget(config.databaseUrl().orElseThrow());
                 Database sourceDb = Database.openSqlite(source.resolve("upfront.db"))) {
                S3BlobStore blobs = new S3BlobStore(bucket, BLOBS, PendingBlobs.NONE);
                out.println("Migrating " + source + " into PostgreSQL and the S3 bucket " + bucket.name());
                Migration migration = new Migration(sourceDb, new FilesystemBlobStore(source.resolve("blobs")), target, blobs,
                        storage(bucket), source.toString(), InstantSource.system(), out, progress);
                MigrationReport report = migration.run();
                out.println("Done. Copied:");
                report.lines().forEach(out::println);
                printKeys(source, out);
                return 0;
            }
        } catch (ConfigException e) {
            throw e;
        } catch (MigrationException e) {
            err.println("upfront migrate: " + e.getMessage());
            return 1;
        } catch (ApiException e) {
            err.println("upfront migrate: interrupted: " + e.getMessage() + " Run the same command again to resume.");
            return 1;
        } catch (RuntimeException e) {
            err.println("upfront migrate: interrupted: " + e + ". Run the same command again to resume.");
            return 1;
        }
    }

    private static Database openTarget(String url) {
        try {
            return Database.openPostgres(url);
        } catch (DatabaseException e) {
            throw new ConfigException(Setting.DATABASE_URL, e.getMessage());
        }
    }

    /** The bucket's side of the migration: whether originals are there, and uploads an interrupted run left open. */
    private static TargetStorage storage(S3Bucket bucket) {
        return new TargetStorage() {
            @Override
            public boolean holdsBlobs() {
                return bucket.hasObjects(BLOBS);
            }

            @Override
            public void abortUnfinished(Set<String> keys) {
                for (MultipartUpload upload : bucket.uploads(BLOBS)) {
                    if (keys.contains(upload.key().substring(BLOBS.length()))) {
                        bucket.abortUpload(upload.key(), upload.uploadId());
                    }
                }
            }
        };
    }

    /** Instances on shared storage need configured keys: the pair generated into the data folder, if it has one. */
    private static void printKeys(Path source, PrintStream out) {
        Path keys = source.resolve(Upfront.GENERATED_KEYS_FILE);
        out.println();
        if (!Files.isRegularFile(keys)) {
            out.println("Give every instance the key pair(s) this server was configured with (UPFRONT_PUBLIC_KEY and "
                    + "UPFRONT_PRIVATE_KEY, or UPFRONT_KEYS_FILE).");
            return;
        }
        try {
            List<KeyPair> pairs = KeyFiles.read(keys);
            out.println("Every instance needs this data folder's key pair" + (pairs.isEmpty() ? "" : " (public key "
                    + pairs.getFirst().publicKey() + ")") + ": set UPFRONT_KEYS_FILE to a copy of " + keys
                    + " (mode 600) on each, or UPFRONT_PUBLIC_KEY and UPFRONT_PRIVATE_KEY from it.");
        } catch (IOException | IllegalArgumentException e) {
            out.println("Every instance needs the key pair in " + keys + " (UPFRONT_KEYS_FILE); it could not be read: " + e.getMessage());
        }
    }
}

package dev.upfront.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary folders that the harness makes for a whole test JVM (a shared database cluster, a shared S3 store, a test
 * server's data folder) and deletes when the JVM exits: a CI run otherwise leaves hundreds of MB in the temp folder.
 * Tests that keep a folder on failure for a post-mortem use JUnit's {@code @TempDir} instead.
 */
public final class TempFolders {
    private TempFolders() {
    }

    /** A new folder named {@code prefix…}, deleted when the JVM exits, after {@code stopFirst} let go of it. */
    public static Path deletedAtExit(String prefix, Runnable stopFirst) {
        Path dir;
        try {
            dir = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stopFirst.run();
            } catch (RuntimeException e) {
                // deleted all the same: the JVM is going away
            }
            // A stopped server may still write its last files (PostgreSQL's statistics) as it goes: try again then.
            for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
                deleteQuietly(dir);
                if (Files.exists(dir)) {
                    pause();
                }
            }
        }, "delete-" + dir.getFileName()));
        return dir;
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // what is left stays in the temp folder
        }
    }
}

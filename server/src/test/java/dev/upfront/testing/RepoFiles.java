package dev.upfront.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Files of the repository outside the server module (sdk-js/, conformance/, examples/), found from either root. */
public final class RepoFiles {
    private RepoFiles() {}

    /** {@code relative} (a file or folder) from the repository root; Surefire runs in server/, an IDE may use the root. */
    public static Path find(String relative) {
        for (Path candidate : List.of(Path.of("..").resolve(relative), Path.of(relative))) {
            if (Files.exists(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new AssertionError(relative + " not found from " + Path.of("").toAbsolutePath());
    }
}

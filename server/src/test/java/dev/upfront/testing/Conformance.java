package dev.upfront.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared conformance vectors in the repository's {@code conformance/} folder (v1 parameters, upload JWTs,
 * delivery URLs), which the server, the Java SDK and ImageKit's Node SDK are all checked against.
 */
public final class Conformance {
    private Conformance() {}

    /** Surefire runs with the module folder as working directory; an IDE may use the repository root. */
    public static Path dir() {
        for (Path candidate : List.of(Path.of("../conformance"), Path.of("conformance"))) {
            if (Files.isRegularFile(candidate.resolve("urls.json"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new AssertionError("conformance/urls.json not found from " + Path.of("").toAbsolutePath());
    }

    /** The {@code cases} of one vector file; fails when there are none. */
    public static List<JsonNode> cases(String file) {
        try {
            List<JsonNode> cases = new ArrayList<>();
            Json.parse(Files.readString(dir().resolve(file))).path("cases").forEach(cases::add);
            if (cases.isEmpty()) {
                throw new AssertionError(file + " has no cases");
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

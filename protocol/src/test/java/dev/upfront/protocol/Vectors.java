package dev.upfront.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the shared conformance vectors from the repository's {@code conformance/} folder. */
final class Vectors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {}

    static List<JsonNode> cases(String file) {
        Path dir = Path.of("../conformance");
        try {
            List<JsonNode> cases = new ArrayList<>();
            JSON.readTree(Files.readString(dir.resolve(file))).path("cases").forEach(cases::add);
            if (cases.isEmpty()) {
                throw new AssertionError(file + " has no cases");
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object's members in their order, as plain Java values. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode object) {
        return JSON.convertValue(object, LinkedHashMap.class);
    }
}

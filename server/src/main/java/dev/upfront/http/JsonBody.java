package dev.upfront.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A JSON request body of the media API (at most 1 MB), with typed accessors that answer 400 naming the key. */
final class JsonBody {
    private static final int MAX_BYTES = 1024 * 1024;
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    static JsonBody read(Exchange ex) throws IOException {
        try (InputStream in = ex.body()) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ApiException(ErrorCode.INVALID_BODY, "it is larger than 1 MB");
            }
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return new JsonBody(Json.MAPPER.createObjectNode());
            }
            JsonNode node = Json.parse(text);
            if (node == null || !node.isObject()) {
                throw new ApiException(ErrorCode.INVALID_BODY, "it must be a JSON object");
            }
            return new JsonBody(node);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.INVALID_BODY, "it is not valid JSON");
        }
    }

    boolean has(String key) {
        return root.has(key);
    }

    JsonNode node(String key) {
        return root.get(key);
    }

    String requiredString(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw new ApiException(ErrorCode.INVALID_BODY, key + " parameter is missing");
        }
        if (!n.isTextual() || n.textValue().isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_BODY, key + " should be a non-empty string");
        }
        return n.textValue();
    }

    String optionalString(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ApiException(ErrorCode.INVALID_BODY, key + " should be a string");
        }
        return n.textValue();
    }

    boolean bool(String key, boolean absent) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isBoolean()) {
            throw new ApiException(ErrorCode.INVALID_BODY, key + " should be true or false");
        }
        return n.booleanValue();
    }

    /** A required non-empty array of strings, at most {@code max} entries. */
    List<String> stringArray(String key, int max) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw new ApiException(ErrorCode.INVALID_BODY, key + " parameter is missing");
        }
        List<String> out = strings(key, n);
        if (out.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_BODY, key + " is empty");
        }
        if (out.size() > max) {
            throw new ApiException(ErrorCode.INVALID_BODY, key + " cannot have more than " + max + " items");
        }
        return out;
    }

    static List<String> strings(String key, JsonNode n) {
        if (!n.isArray()) {
            throw new ApiException(ErrorCode.INVALID_BODY, key + " should be an Array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual() || item.textValue().isEmpty()) {
                throw new ApiException(ErrorCode.INVALID_BODY, key + " should only contain non-empty strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** An optional JSON object as a map (null values kept). */
    Map<String, Object> object(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new ApiException(ErrorCode.INVALID_BODY, key + " should be a JSON object");
        }
        return Json.toMap(n);
    }
}

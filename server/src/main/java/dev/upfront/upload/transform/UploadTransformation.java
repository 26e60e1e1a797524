package dev.upfront.upload.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * An upload's {@code transformation} field: stringified JSON {@code {"pre": "w-100", "post": [{"type":
 * "transformation", "value": "w-200"}, ...]}} (ImageKit's "pre and post transformation" of the upload API). Any
 * shape ImageKit's SDKs refuse client-side (neither key, an empty {@code pre}, {@code post} not an array, a missing
 * {@code value}, an {@code abs} without protocol), an unknown key or type, or more than 5 post entries is refused
 * with ImageKit's "transformation field is invalid".
 *
 * @param pre null when absent
 * @param post empty when absent
 */
public record UploadTransformation(String pre, List<Post> post) {
    public static final int MAX_POST = 5;
    private static final Set<String> KEYS = Set.of("pre", "post");
    private static final Set<String> POST_KEYS = Set.of("type", "value", "protocol");
    private static final Set<String> TYPES = Set.of("transformation", "gif-to-video", "thumbnail", "abs");

    /** One rendition to produce after the upload. @param value null when absent; @param protocol {@code hls}/{@code dash} for abs */
    public record Post(String type, String value, String protocol) {}

    public static UploadTransformation parse(String text) {
        JsonNode node;
        try {
            node = Json.parse(text);
        } catch (JsonProcessingException e) {
            throw invalid();
        }
        if (node == null || !node.isObject() || node.isEmpty() || !KEYS.containsAll(names(node))) {
            throw invalid();
        }
        String pre = null;
        if (node.has("pre")) {
            pre = text(node.get("pre"));
        }
        List<Post> post = new ArrayList<>();
        if (node.has("post")) {
            JsonNode list = node.get("post");
            if (!list.isArray() || list.size() > MAX_POST) {
                throw invalid();
            }
            for (JsonNode entry : list) {
                post.add(post(entry));
            }
        }
        return new UploadTransformation(pre, List.copyOf(post));
    }

    private static Post post(JsonNode entry) {
        if (!entry.isObject() || !POST_KEYS.containsAll(names(entry))) {
            throw invalid();
        }
        String type = entry.has("type") ? text(entry.get("type")) : null;
        if (!TYPES.contains(type)) {
            throw invalid();
        }
        String value = entry.has("value") ? text(entry.get("value")) : null;
        String protocol = entry.has("protocol") ? text(entry.get("protocol")) : null;
        boolean valueRequired = type.equals("transformation") || type.equals("abs");
        if ((valueRequired && value == null) || (type.equals("abs") != (protocol != null))
                || (protocol != null && !protocol.equals("hls") && !protocol.equals("dash"))) {
            throw invalid();
        }
        return new Post(type, value, protocol);
    }

    /** A non-empty JSON string. */
    private static String text(JsonNode node) {
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw invalid();
        }
        return node.asText();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.UPLOAD_TRANSFORMATION_INVALID);
    }
}

package dev.upfront.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.json.Json;
import dev.upfront.upload.checks.Checks;
import dev.upfront.upload.transform.UploadTransformation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The upload fields of reference §2.2, parsed and validated. Built from the raw text fields of a request (the
 * {@code file} part and the auth fields are not options). Booleans are exactly {@code true} or {@code false}.
 *
 * @param tags null when the request has no {@code tags} field
 * @param customMetadata null when the request has no {@code customMetadata} field
 * @param checks null when the request has no {@code checks} field
 * @param transformation null when the request has no {@code transformation} field
 * @param webhookUrl an http(s) URL that also receives this upload's webhook events; null when none was sent
 */
public record UploadOptions(
        String fileName,
        boolean useUniqueFileName,
        List<String> tags,
        String folder,
        boolean isPrivateFile,
        boolean isPublished,
        String customCoordinates,
        Set<String> responseFields,
        boolean overwriteFile,
        boolean overwriteAITags,
        boolean overwriteTags,
        boolean overwriteCustomMetadata,
        Map<String, Object> customMetadata,
        String description,
        Checks checks,
        UploadTransformation transformation,
        String webhookUrl) {

    /** Optional response fields a client may ask for (reference §2.6). */
    public static final Set<String> RESPONSE_FIELDS = Set.of("tags", "customCoordinates", "isPrivateFile",
            "embeddedMetadata", "isPublished", "customMetadata", "metadata", "selectedFieldsSchema");

    /** Fields whose features this server does not have yet: refused by name, never silently ignored. */
    public static final List<String> UNSUPPORTED = List.of("extensions");
    private static final int MAX_WEBHOOK_URL_CHARS = 2048;

    private static final int MAX_TAG_CHARS = 500;
    private static final int MAX_DESCRIPTION_CHARS = 10_000;
    private static final Pattern COORDINATES = Pattern.compile("\\d{1,9},\\d{1,9},\\d{1,9},\\d{1,9}");

    public static UploadOptions parse(Map<String, String> fields) {
        for (String name : UNSUPPORTED) {
            if (fields.containsKey(name)) {
                throw new ApiException(ErrorCode.FIELD_NOT_SUPPORTED, name);
            }
        }
        String rawName = fields.get("fileName");
        if (rawName == null || rawName.isEmpty()) {
            throw new ApiException(ErrorCode.MISSING_FILE_NAME);
        }
        return new UploadOptions(
                FileNames.sanitize(rawName),
                bool(fields, "useUniqueFileName", true),
                tags(fields.get("tags")),
                Folders.normalize(fields.get("folder")),
                bool(fields, "isPrivateFile", false),
                bool(fields, "isPublished", true),
                coordinates(fields.get("customCoordinates")),
                responseFields(fields.get("responseFields")),
                bool(fields, "overwriteFile", true),
                bool(fields, "overwriteAITags", true),
                bool(fields, "overwriteTags", true),
                bool(fields, "overwriteCustomMetadata", true),
                customMetadata(fields.get("customMetadata")),
                description(fields.get("description")),
                fields.containsKey("checks") ? Checks.parse(fields.get("checks")) : null,
                fields.containsKey("transformation") ? UploadTransformation.parse(fields.get("transformation")) : null,
                webhookUrl(fields.get("webhookUrl")));
    }

    /**
     * ImageKit documents {@code webhookUrl} for extension results only; here it also receives the upload's own
     * webhook events (see the README). An absolute http(s) URL; whether its address may be reached is decided when
     * the delivery connects, under the URL-fetch rules.
     */
    public static String webhookUrl(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String why = "It must be an absolute http or https URL.";
        if (value.length() > MAX_WEBHOOK_URL_CHARS) {
            throw invalid("webhookUrl", why);
        }
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getFragment() != null) {
                throw invalid("webhookUrl", why);
            }
        } catch (URISyntaxException e) {
            throw invalid("webhookUrl", why);
        }
        return value;
    }

    private static boolean bool(Map<String, String> fields, String name, boolean absent) {
        String value = fields.get(name);
        if (value == null) {
            return absent;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiException(ErrorCode.INVALID_BOOLEAN, name);
        };
    }

    private static List<String> tags(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_TAG_CHARS) {
            throw invalid("tags", "All tags together must not exceed " + MAX_TAG_CHARS + " characters.");
        }
        if (value.indexOf('%') >= 0) {
            throw invalid("tags", "Tags must not contain '%'.");
        }
        Set<String> tags = new LinkedHashSet<>();
        for (String tag : value.split(",")) {
            String t = tag.strip();
            if (t.chars().anyMatch(Character::isISOControl)) {
                throw invalid("tags", "Tags must not contain control characters.");
            }
            if (!t.isEmpty()) {
                tags.add(t);
            }
        }
        return tags.isEmpty() ? null : new ArrayList<>(tags);
    }

    /** Validates {@code x,y,width,height}; null or empty means none. Shared with PATCH details. */
    public static String coordinates(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!COORDINATES.matcher(value).matches()) {
            throw invalid("customCoordinates", "It must be x,y,width,height in whole pixels, e.g. 10,10,100,100.");
        }
        return value;
    }

    private static Set<String> responseFields(String value) {
        Set<String> out = new LinkedHashSet<>();
        if (value == null) {
            return out;
        }
        for (String f : value.split(",")) {
            String field = f.strip();
            if (field.isEmpty()) {
                continue;
            }
            if (!RESPONSE_FIELDS.contains(field)) {
                throw invalid("responseFields", "Unknown field '" + field + "'. Allowed: " + String.join(", ", RESPONSE_FIELDS.stream().sorted().toList()) + ".");
            }
            out.add(field);
        }
        return out;
    }

    private static Map<String, Object> customMetadata(String value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = Json.parse(value);
            if (node == null || !node.isObject()) {
                throw invalid("customMetadata", "It must be a JSON object such as {\"brand\":\"Nike\"}.");
            }
            return Json.toMap(node);
        } catch (JsonProcessingException e) {
            throw invalid("customMetadata", "It must be a JSON object such as {\"brand\":\"Nike\"}.");
        }
    }

    /** A description as ImageKit takes it on upload and on a details update; refused when too long. */
    public static String description(String value) {
        if (value != null && value.length() > MAX_DESCRIPTION_CHARS) {
            throw invalid("description", "It must not be longer than " + MAX_DESCRIPTION_CHARS + " characters.");
        }
        return value;
    }

    private static ApiException invalid(String field, String why) {
        return new ApiException(ErrorCode.INVALID_FIELD, field, why);
    }
}

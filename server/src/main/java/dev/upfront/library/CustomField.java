package dev.upfront.library;

import java.util.Map;

/**
 * A custom metadata field (reference §9): values of {@code customMetadata.<name>} must fit its schema.
 *
 * @param schema {@code type} plus the type's rules (minLength, maxValue, selectOptions, isValueRequired, defaultValue...)
 */
public record CustomField(String id, String name, String label, Map<String, Object> schema, boolean deleted) {
    public String type() {
        return (String) schema.get("type");
    }
}

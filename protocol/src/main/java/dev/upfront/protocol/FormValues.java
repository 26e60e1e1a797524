package dev.upfront.protocol;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How ImageKit's SDKs turn upload options into multipart form values, which for v2 are also the JWT's claims
 * (the server compares them byte for byte): {@code tags} and {@code responseFields} lists are joined with commas,
 * {@code extensions}, {@code customMetadata} and {@code transformation} become JSON text, everything else is
 * JavaScript's {@code String(value)} ({@code true}/{@code false}, numbers in their shortest form).
 */
public final class FormValues {
    /** Options sent as comma-separated lists. */
    public static final Set<String> LIST_FIELDS = Set.of("tags", "responseFields");
    /** Options sent as JSON text. */
    public static final Set<String> JSON_FIELDS = Set.of("extensions", "customMetadata", "transformation");

    private FormValues() {}

    /** One option's form value. */
    public static String stringify(String name, Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (LIST_FIELDS.contains(name) && value instanceof Collection<?>) {
            return ((Collection<?>) value).stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (JSON_FIELDS.contains(name) || value instanceof Map<?, ?> || value instanceof Collection<?>) {
            return JsonText.write(value);
        }
        if (value instanceof Number) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
            }
            return JsonText.write(value);
        }
        return String.valueOf(value);
    }

    /** Every option's form value, in the options' order; null options are left out. */
    public static Map<String, String> stringifyAll(Map<String, ?> options) {
        Map<String, String> fields = new LinkedHashMap<>();
        options.forEach((name, value) -> {
            if (value != null) {
                fields.put(name, stringify(name, value));
            }
        });
        return fields;
    }
}

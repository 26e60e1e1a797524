package dev.upfront.fields;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import dev.upfront.library.CustomField;
import dev.upfront.library.Library;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Custom metadata fields (reference §9): their schemas, and the rule every {@code customMetadata} value must
 * follow on upload and on PATCH. Names are unique forever (a deleted field's name is not reused); labels are
 * unique among live fields. Schema problems answer ImageKit's "Invalid field object" with an {@code errors}
 * object keyed by schema property; value problems answer "Invalid custom metadata." keyed by field name.
 */
public final class CustomFields {
    private static final Set<String> TYPES = Set.of("Text", "Textarea", "Number", "Date", "Boolean", "SingleSelect", "MultiSelect");
    private static final Set<String> COMMON = Set.of("type", "isValueRequired", "defaultValue");
    private static final Map<String, Set<String>> KEYS_BY_TYPE = Map.of(
            "Text", Set.of("minLength", "maxLength"),
            "Textarea", Set.of("minLength", "maxLength"),
            "Number", Set.of("minValue", "maxValue"),
            "Date", Set.of("minValue", "maxValue"),
            "Boolean", Set.of(),
            "SingleSelect", Set.of("selectOptions"),
            "MultiSelect", Set.of("selectOptions"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final Library library;
    private final InstantSource clock;
    private final long maxAgeNanos;
    /** Moves after every write of a field here, so a snapshot read before it is not used after it. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Snapshot snapshot;

    private record Snapshot(long generation, long readAt, Rules rules) {}

    /** For the library's only writer: the fields' rules are read again only after this process changed a field. */
    public CustomFields(Library library, InstantSource clock) {
        this(library, clock, null);
    }

    /**
     * @param maxAge how long the rules read for uploads last at most, or null for "until this process changes a
     *     field"; a database shared with other instances needs a bound, as their changes go unseen here
     */
    public CustomFields(Library library, InstantSource clock, Duration maxAge) {
        this.library = library;
        this.clock = clock;
        this.maxAgeNanos = maxAge == null ? Long.MAX_VALUE : maxAge.toNanos();
    }

    public List<CustomField> list(boolean includeDeleted) {
        return library.customFields(includeDeleted);
    }

    public CustomField create(String name, String label, Map<String, Object> schema) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalidField(Map.of("name", "must be 1 to 100 letters, digits, '_' or '-'"));
        }
        if (label == null || label.isBlank() || label.length() > 200) {
            throw invalidField(Map.of("label", "must be a non-empty string of at most 200 characters"));
        }
        Map<String, Object> checked = checkSchema(schema, null);
        return write(w -> {
            List<CustomField> all = w.allCustomFields();
            if (all.stream().anyMatch(f -> f.name().equals(name))) {
                throw new ApiException(ErrorCode.CUSTOM_FIELD_EXISTS);
            }
            if (all.stream().anyMatch(f -> !f.deleted() && f.label().equals(label))) {
                throw new ApiException(ErrorCode.CUSTOM_FIELD_LABEL_EXISTS);
            }
            CustomField field = new CustomField(Ids.objectId(), name, label, checked, false);
            w.insertCustomField(field, clock.instant());
            return field;
        });
    }

    /** Changes label and/or schema; the type never changes. */
    public CustomField update(String id, String label, Map<String, Object> schema) {
        return write(w -> {
            List<CustomField> all = w.allCustomFields();
            CustomField field = all.stream().filter(f -> f.id().equals(id)).findFirst()
                    .orElseThrow(() -> new ApiException(ErrorCode.CUSTOM_FIELD_NOT_FOUND));
            if (field.deleted()) {
                throw new ApiException(ErrorCode.CUSTOM_FIELD_DELETED);
            }
            String newLabel = label == null ? field.label() : label;
            if (label != null && all.stream().anyMatch(f -> !f.deleted() && !f.id().equals(id) && f.label().equals(label))) {
                throw new ApiException(ErrorCode.CUSTOM_FIELD_LABEL_EXISTS);
            }
            Map<String, Object> newSchema = field.schema();
            if (schema != null) {
                // The type cannot change: any type sent is ignored; it stays the first key, as on create.
                Map<String, Object> merged = new LinkedHashMap<>();
                merged.put("type", field.type());
                schema.forEach((k, v) -> {
                    if (!k.equals("type")) {
                        merged.put(k, v);
                    }
                });
                newSchema = checkSchema(merged, field.type());
            }
            CustomField updated = new CustomField(field.id(), field.name(), newLabel, newSchema, false);
            w.updateCustomField(updated);
            return updated;
        });
    }

    public void delete(String id) {
        write(w -> {
            CustomField field = w.allCustomFields().stream().filter(f -> f.id().equals(id) && !f.deleted()).findFirst()
                    .orElseThrow(() -> new ApiException(ErrorCode.CUSTOM_FIELD_NOT_FOUND));
            w.updateCustomField(new CustomField(field.id(), field.name(), field.label(), field.schema(), true));
            return null;
        });
    }

    /**
     * The live fields, to check values against without further queries. Every upload asks, and fields rarely
     * change, so the answer is remembered until this process changes a field (and, on a shared database, for at
     * most the max age given, well inside the scale-out rule's 2 s).
     */
    public Rules rules() {
        Snapshot known = snapshot;
        long now = System.nanoTime();
        long current = generation.get();
        if (known != null && known.generation() == current && now - known.readAt() < maxAgeNanos) {
            return known.rules();
        }
        Rules rules = new Rules(library.customFields(false));
        snapshot = new Snapshot(current, now, rules);
        return rules;
    }

    /** A change to the fields: the rules read before it are not used after it. */
    private <T> T write(Function<Library.Writer, T> work) {
        try {
            return library.write(work);
        } finally {
            generation.incrementAndGet();
        }
    }

    /** Value rules of a snapshot of the live fields. Immutable. */
    public static final class Rules {
        private final List<CustomField> fields;

        Rules(List<CustomField> fields) {
            this.fields = List.copyOf(fields);
        }

        /** Checks values set by an upload or a PATCH; null values (a PATCH unsetting a key) pass unless required. */
        public void check(Map<String, Object> values) {
            Map<String, Object> set = new LinkedHashMap<>();
            Map<String, String> errors = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                if (v != null) {
                    set.put(k, v);
                } else if (fields.stream().anyMatch(f -> f.name().equals(k) && Boolean.TRUE.equals(f.schema().get("isValueRequired")))) {
                    errors.put(k, "is required and cannot be unset");
                }
            });
            if (!errors.isEmpty()) {
                throw invalidMetadata(errors);
            }
            checkValues(set, fields);
        }

        /** {@code values} plus the default of every required field it lacks. */
        public Map<String, Object> withDefaults(Map<String, Object> values) {
            Map<String, Object> out = new LinkedHashMap<>(values == null ? Map.of() : values);
            for (CustomField f : fields) {
                if (Boolean.TRUE.equals(f.schema().get("isValueRequired")) && !out.containsKey(f.name())) {
                    out.put(f.name(), f.schema().get("defaultValue"));
                }
            }
            return out;
        }

        /** The schema type ({@code Text}, {@code Number}...) of the live field {@code name}, empty when there is none. */
        public Optional<String> typeOf(String name) {
            return fields.stream().filter(f -> f.name().equals(name)).findFirst().map(CustomField::type);
        }
    }

    private static void checkValues(Map<String, Object> values, List<CustomField> fields) {
        Map<String, String> errors = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            CustomField field = fields.stream().filter(f -> f.name().equals(key)).findFirst().orElse(null);
            if (field == null) {
                errors.put(key, "is not a custom metadata field; create it first");
                return;
            }
            String problem = valueProblem(field.schema(), value);
            if (problem != null) {
                errors.put(key, problem);
            }
        });
        if (!errors.isEmpty()) {
            throw invalidMetadata(errors);
        }
    }

    private static ApiException invalidMetadata(Map<String, String> errors) {
        Map.Entry<String, String> first = errors.entrySet().iterator().next();
        return new ApiException(ErrorCode.CUSTOM_METADATA_INVALID, "Field '" + first.getKey() + "' " + first.getValue() + ".")
                .with("errors", errors);
    }

    private static ApiException invalidField(Map<String, String> errors) {
        return new ApiException(ErrorCode.CUSTOM_FIELD_INVALID).with("errors", errors);
    }

    /** Validates a schema; {@code fixedType} is the existing type on update. */
    private static Map<String, Object> checkSchema(Map<String, Object> schema, String fixedType) {
        if (schema == null) {
            throw invalidField(Map.of("schema", "is required"));
        }
        Map<String, Object> s = new LinkedHashMap<>(schema);
        if ("TextArea".equals(s.get("type"))) {
            s.put("type", "Textarea");
        }
        Object type = s.get("type");
        if (!(type instanceof String t) || !TYPES.contains(t)) {
            throw invalidField(Map.of("type", "should be one of " + String.join(", ", TYPES.stream().sorted().toList())));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (String key : s.keySet()) {
            if (!COMMON.contains(key) && !KEYS_BY_TYPE.get(t).contains(key)) {
                errors.put(key, "not allowed for this type");
            }
        }
        for (String key : List.of("minLength", "maxLength")) {
            if (s.containsKey(key) && !(s.get(key) instanceof Integer n && n >= 0)) {
                errors.put(key, "should be of type number (a whole number >= 0)");
            }
        }
        for (String key : List.of("minValue", "maxValue")) {
            if (s.containsKey(key)) {
                Object v = s.get(key);
                // JSON allows 1e999; as a double it is infinite, and would be written back as the string "Infinity".
                boolean ok = t.equals("Date") ? v instanceof String d && parseDate(d) != null
                        : v instanceof Number n && Double.isFinite(n.doubleValue());
                if (!ok) {
                    errors.put(key, t.equals("Date") ? "should be an ISO 8601 date" : "should be of type number (a finite one)");
                }
            }
        }
        for (String[] bounds : new String[][] {{"minLength", "maxLength"}, {"minValue", "maxValue"}}) {
            if (errors.isEmpty() && crossed(s, bounds[0], bounds[1], t)) {
                errors.put(bounds[0], "should not be greater than " + bounds[1]);
            }
        }
        if (t.endsWith("Select")) {
            Object options = s.get("selectOptions");
            if (!(options instanceof List<?> list) || list.isEmpty()
                    || list.stream().anyMatch(o -> !(o instanceof String || o instanceof Number || o instanceof Boolean))) {
                errors.put("selectOptions", "should be a non-empty array of strings, numbers or booleans");
            }
        }
        if (s.containsKey("isValueRequired") && !(s.get("isValueRequired") instanceof Boolean)) {
            errors.put("isValueRequired", "should be of type boolean");
        }
        if (errors.isEmpty()) {
            if (Boolean.TRUE.equals(s.get("isValueRequired")) && s.get("defaultValue") == null) {
                errors.put("defaultValue", "is required when isValueRequired is true");
            } else if (s.get("defaultValue") != null) {
                String problem = valueProblem(s, s.get("defaultValue"));
                if (problem != null) {
                    errors.put("defaultValue", problem);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw invalidField(errors);
        }
        return s;
    }

    /** Whether both bounds are given and the lower one is above the upper one (no value could then fit). */
    private static boolean crossed(Map<String, Object> schema, String min, String max, String type) {
        Object low = schema.get(min);
        Object high = schema.get(max);
        if (low == null || high == null) {
            return false;
        }
        if (type.equals("Date") && min.equals("minValue")) {
            return parseDate((String) low).isAfter(parseDate((String) high));
        }
        return ((Number) low).doubleValue() > ((Number) high).doubleValue();
    }

    /** Why {@code value} does not fit {@code schema}, or null when it does. */
    private static String valueProblem(Map<String, Object> schema, Object value) {
        String type = (String) schema.get("type");
        switch (type) {
            case "Text", "Textarea" -> {
                if (!(value instanceof String text)) {
                    return "should be a string";
                }
                if (schema.get("minLength") instanceof Integer min && text.length() < min) {
                    return "should be at least " + min + " characters long";
                }
                if (schema.get("maxLength") instanceof Integer max && text.length() > max) {
                    return "should be at most " + max + " characters long";
                }
                return null;
            }
            case "Number" -> {
                // 1e400 parses as infinity, which JSON cannot hold: it would be stored as the text "Infinity".
                if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    return "should be a number";
                }
                if (schema.get("minValue") instanceof Number min && n.doubleValue() < min.doubleValue()) {
                    return "should be at least " + min;
                }
                if (schema.get("maxValue") instanceof Number max && n.doubleValue() > max.doubleValue()) {
                    return "should be at most " + max;
                }
                return null;
            }
            case "Date" -> {
                Instant date = value instanceof String s ? parseDate(s) : null;
                if (date == null) {
                    return "should be an ISO 8601 date";
                }
                if (schema.get("minValue") instanceof String min && date.isBefore(parseDate(min))) {
                    return "should not be before " + min;
                }
                if (schema.get("maxValue") instanceof String max && date.isAfter(parseDate(max))) {
                    return "should not be after " + max;
                }
                return null;
            }
            case "Boolean" -> {
                return value instanceof Boolean ? null : "should be a boolean";
            }
            case "SingleSelect" -> {
                return options(schema).contains(value) ? null : "should be one of the field's selectOptions";
            }
            default -> { // MultiSelect
                if (!(value instanceof List<?> list)) {
                    return "should be an array of the field's selectOptions";
                }
                return options(schema).containsAll(list) ? null : "should only contain the field's selectOptions";
            }
        }
    }

    private static List<?> options(Map<String, Object> schema) {
        return schema.get("selectOptions") instanceof List<?> l ? l : List.of();
    }

    /** An ISO 8601 date or date-time as custom Date fields take it (a bare date is 00:00 UTC); null when it is none. */
    public static Instant parseDate(String text) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

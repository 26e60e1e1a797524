package dev.upfront.upload.checks;

import dev.upfront.units.ByteSize;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.fields.CustomFields;
import dev.upfront.library.search.Expr;
import dev.upfront.library.search.Expr.Comparison;
import dev.upfront.library.search.Expr.Op;
import dev.upfront.library.search.SearchQueryParser;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An upload's {@code checks} expression (ImageKit's "Upload API checks"): parsed once with the {@code searchQuery}
 * grammar (field names quoted), then evaluated in memory on an upload's {@link CheckFacts}. The upload goes ahead
 * only when the expression is true. An unknown field, an operator the field does not take, or a value of the wrong
 * type is a syntax error ({@code CHECKS_INVALID}), like a parse error.
 */
public final class Checks {
    private static final Set<Op> STRING_OPS = EnumSet.of(Op.EQ, Op.NOT_EQ, Op.PREFIX, Op.IN, Op.NOT_IN);
    private static final Set<Op> EQUALITY = EnumSet.of(Op.EQ, Op.NOT_EQ);
    private static final Set<Op> LISTS = EnumSet.of(Op.IN, Op.NOT_IN);
    private static final Set<Op> NUMERIC = EnumSet.of(Op.EQ, Op.GT, Op.GTE, Op.LT, Op.LTE);
    private static final Set<Op> ORDERED = EnumSet.of(Op.EQ, Op.NOT_EQ, Op.IN, Op.NOT_IN, Op.GT, Op.GTE, Op.LT, Op.LTE);
    /** Every operator of checks: the searchQuery-only HAS and EXISTS are not among them. */
    private static final Set<Op> ALL = EnumSet.of(Op.EQ, Op.NOT_EQ, Op.PREFIX, Op.IN, Op.NOT_IN, Op.GT, Op.GTE, Op.LT, Op.LTE);

    private static final Set<String> REQUEST_STRINGS = Set.of("fileName", "folder", "customCoordinates", "webhookUrl");
    private static final Set<String> REQUEST_FLAGS = Set.of("useUniqueFileName", "isPrivateFile", "isPublished",
            "overwriteFile", "overwriteAITags", "overwriteTags", "overwriteCustomMetadata");
    private static final Set<String> MEDIA_NUMBERS = Set.of("width", "height", "duration", "bitRate");
    private static final Set<String> MEDIA_STRINGS = Set.of("videoCodec", "audioCodec");
    private static final String CUSTOM = "request.customMetadata.";

    private final Expr expr;

    private Checks(Expr expr) {
        this.expr = expr;
    }

    /** Parses and checks every field and operator that does not depend on custom field schemas. */
    public static Checks parse(String text) {
        Expr expr;
        try {
            expr = SearchQueryParser.parse(text, true);
        } catch (SearchQueryParser.SyntaxError e) {
            throw invalid();
        }
        validate(expr);
        return new Checks(expr);
    }

    /**
     * Whether the upload described by {@code facts} passes.
     *
     * @param customFieldTypes the schema type of each live custom field, to type {@code request.customMetadata.<field>}
     */
    public boolean test(CheckFacts facts, Function<String, Optional<String>> customFieldTypes) {
        return test(expr, facts, customFieldTypes);
    }

    private static void validate(Expr e) {
        switch (e) {
            case Expr.And and -> and.terms().forEach(Checks::validate);
            case Expr.Or or -> or.terms().forEach(Checks::validate);
            case Comparison c -> {
                if (!c.field().startsWith(CUSTOM)) {
                    allow(c, operators(c.field()));
                }
            }
        }
    }

    private static Set<Op> operators(String field) {
        int dot = field.indexOf('.');
        String scope = dot < 0 ? "" : field.substring(0, dot);
        String name = field.substring(dot + 1);
        return switch (scope) {
            case "request" -> REQUEST_STRINGS.contains(name) ? STRING_OPS
                    : REQUEST_FLAGS.contains(name) ? EQUALITY
                    : name.equals("tags") ? LISTS : Set.of();
            case "file" -> name.equals("size") ? NUMERIC : name.equals("mime") ? STRING_OPS : Set.of();
            case "mediaMetadata" -> MEDIA_NUMBERS.contains(name) ? NUMERIC : MEDIA_STRINGS.contains(name) ? STRING_OPS : Set.of();
            default -> Set.of();
        };
    }

    private static void allow(Comparison c, Set<Op> ops) {
        if (!ops.contains(c.op())) {
            throw invalid();
        }
    }

    private static boolean test(Expr e, CheckFacts facts, Function<String, Optional<String>> types) {
        return switch (e) {
            case Expr.And and -> and.terms().stream().allMatch(t -> test(t, facts, types));
            case Expr.Or or -> or.terms().stream().anyMatch(t -> test(t, facts, types));
            case Comparison c -> compare(c, facts, types);
        };
    }

    private static boolean compare(Comparison c, CheckFacts facts, Function<String, Optional<String>> types) {
        String field = c.field();
        if (field.startsWith(CUSTOM)) {
            String name = field.substring(CUSTOM.length());
            String type = types.apply(name).orElseThrow(Checks::invalid);
            return custom(c, type, facts.customMetadata().get(name));
        }
        String name = field.substring(field.indexOf('.') + 1);
        return switch (field.substring(0, field.indexOf('.'))) {
            case "request" -> {
                if (name.equals("folder")) {
                    yield folder(c, facts.request().get("folder"));
                }
                if (name.equals("tags")) {
                    yield anyOf(c, facts.tags());
                }
                yield REQUEST_FLAGS.contains(name) ? flag(c, facts.flags().get(name)) : string(c, facts.request().get(name));
            }
            case "file" -> name.equals("size") ? number(c, BigDecimal.valueOf(facts.size()), true) : string(c, facts.mime());
            default -> {
                Object value = facts.media().get(name);
                yield MEDIA_NUMBERS.contains(name)
                        ? value instanceof Number n && number(c, new BigDecimal(n.toString()), false)
                        : string(c, value == null ? null : value.toString());
            }
        };
    }

    /** Folders compare without leading or trailing slashes; a prefix matches the folder and its sub-folders. */
    private static boolean folder(Comparison c, String actual) {
        String folder = trimSlashes(actual == null ? "" : actual);
        if (c.op() == Op.PREFIX) {
            String prefix = trimSlashes(c.values().getFirst().text());
            return prefix.isEmpty() || folder.equals(prefix) || folder.startsWith(prefix + "/");
        }
        return stringOp(c.op(), folder, c.values().stream().map(v -> trimSlashes(v.text())).toList());
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean string(Comparison c, String actual) {
        return stringOp(c.op(), actual, c.values().stream().map(Expr.Value::text).toList());
    }

    /** A missing fact equals nothing: {@code =}, {@code :} and {@code IN} are false, their negations true. */
    private static boolean stringOp(Op op, String actual, List<String> values) {
        return switch (op) {
            case EQ -> values.getFirst().equals(actual);
            case NOT_EQ -> !values.getFirst().equals(actual);
            case PREFIX -> actual != null && actual.startsWith(values.getFirst());
            case IN -> values.contains(actual);
            case NOT_IN -> !values.contains(actual);
            default -> throw invalid();
        };
    }

    private static boolean flag(Comparison c, Boolean actual) {
        Expr.Value v = c.values().getFirst();
        if (v.quoted() || !(v.text().equals("true") || v.text().equals("false"))) {
            throw invalid();
        }
        boolean equal = Boolean.valueOf(v.text()).equals(actual);
        return c.op() == Op.EQ ? equal : !equal;
    }

    /** {@code IN}: at least one listed value is present; {@code NOT IN}: none is. */
    private static boolean anyOf(Comparison c, List<?> actual) {
        boolean any = c.values().stream().anyMatch(v -> actual.stream().anyMatch(a -> String.valueOf(a).equals(v.text())));
        return c.op() == Op.IN ? any : !any;
    }

    /** @param sizes values may carry a unit ({@code '1MB'}, {@code "10kb"}, powers of 1024) */
    private static boolean number(Comparison c, BigDecimal actual, boolean sizes) {
        if (c.values().size() != 1) {
            throw invalid();
        }
        String text = c.values().getFirst().text();
        BigDecimal wanted;
        try {
            wanted = sizes ? BigDecimal.valueOf(ByteSize.parse(text)) : new BigDecimal(text);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        return ordered(c.op(), actual.compareTo(wanted));
    }

    private static boolean ordered(Op op, int cmp) {
        return switch (op) {
            case EQ -> cmp == 0;
            case NOT_EQ -> cmp != 0;
            case GT -> cmp > 0;
            case GTE -> cmp >= 0;
            case LT -> cmp < 0;
            case LTE -> cmp <= 0;
            default -> throw invalid();
        };
    }

    /** Custom metadata operators follow the field's type, as ImageKit's table lists them. */
    private static boolean custom(Comparison c, String type, Object actual) {
        switch (type) {
            case "Text", "Textarea" -> {
                allow(c, STRING_OPS);
                return string(c, actual == null ? null : actual.toString());
            }
            case "Boolean" -> {
                allow(c, EQUALITY);
                return flag(c, actual instanceof Boolean b ? b : null);
            }
            case "MultiSelect" -> {
                allow(c, LISTS);
                return anyOf(c, actual instanceof List<?> l ? l : actual == null ? List.of() : List.of(actual));
            }
            case "Number" -> {
                allow(c, ORDERED);
                return typed(c, actual instanceof Number n ? new BigDecimal(n.toString()) : null, Checks::decimal);
            }
            case "Date" -> {
                allow(c, ORDERED);
                return typed(c, actual instanceof String s ? CustomFields.parseDate(s) : null, Checks::date);
            }
            default -> { // SingleSelect: options may be strings, numbers or booleans
                allow(c, ALL);
                if (actual instanceof Number n && c.op() != Op.PREFIX) {
                    return typed(c, new BigDecimal(n.toString()), Checks::decimal);
                }
                return string(c, actual == null ? null : actual.toString());
            }
        }
    }

    /** Compares a typed fact with typed values: a missing fact satisfies only the negations. */
    private static <T extends Comparable<T>> boolean typed(Comparison c, T actual, Function<String, T> parse) {
        List<T> values = c.values().stream().map(v -> parse.apply(v.text())).toList();
        if (values.size() != 1 && !LISTS.contains(c.op())) {
            throw invalid();
        }
        return switch (c.op()) {
            case IN -> actual != null && values.stream().anyMatch(v -> v.compareTo(actual) == 0);
            case NOT_IN -> actual == null || values.stream().noneMatch(v -> v.compareTo(actual) == 0);
            case NOT_EQ -> actual == null || values.getFirst().compareTo(actual) != 0;
            default -> actual != null && ordered(c.op(), actual.compareTo(values.getFirst()));
        };
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static Instant date(String text) {
        Instant date = CustomFields.parseDate(text);
        if (date == null) {
            throw invalid();
        }
        return date;
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.CHECKS_INVALID);
    }
}

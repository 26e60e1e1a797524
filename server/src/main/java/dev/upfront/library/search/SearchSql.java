package dev.upfront.library.search;

import dev.upfront.config.ByteSize;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a {@link Expr} into a SQL condition over the aliases {@code f} (files) and {@code v} (file_versions),
 * with its parameters. Only the fields this server stores are searchable; any other field, or an operator a
 * field does not support, is a {@link SearchQueryParser.SyntaxError} naming it. Values always travel as
 * parameters, never inside the SQL text.
 */
public final class SearchSql {
    /** The compiled condition and its positional parameters. */
    public record Condition(String sql, List<Object> params) {}

    private enum Kind { TEXT, NUMBER, SIZE, DATE, BOOL, TAGS, CUSTOM, KIND }

    private record Field(Kind kind, String column) {}

    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})\\s*([smhdwy])");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9_\\-]{1,100}");

    private final Instant now;
    private final List<Object> params = new ArrayList<>();

    private SearchSql(Instant now) {
        this.now = now;
    }

    /** @param now the instant relative dates ({@code createdAt > "7d"}) count back from */
    public static Condition compile(Expr expr, Instant now) {
        SearchSql s = new SearchSql(now);
        String sql = s.expr(expr);
        return new Condition(sql, List.copyOf(s.params));
    }

    private String expr(Expr e) {
        return switch (e) {
            case Expr.And and -> join(and.terms(), " AND ");
            case Expr.Or or -> join(or.terms(), " OR ");
            case Expr.Comparison c -> comparison(c);
        };
    }

    private String join(List<Expr> terms, String op) {
        List<String> parts = new ArrayList<>();
        for (Expr t : terms) {
            parts.add("(" + expr(t) + ")");
        }
        return String.join(op, parts);
    }

    private static Field field(String name) {
        if (name.startsWith("customMetadata.")) {
            String key = name.substring("customMetadata.".length());
            if (!IDENT.matcher(key).matches()) {
                throw new SearchQueryParser.SyntaxError("invalid custom metadata field '" + key + "'");
            }
            return new Field(Kind.CUSTOM, key);
        }
        return switch (name) {
            case "name" -> new Field(Kind.TEXT, "f.name");
            case "filePath" -> new Field(Kind.TEXT, "f.file_path");
            case "path" -> new Field(Kind.TEXT, "f.folder_path");
            case "format" -> new Field(Kind.TEXT, "v.format");
            case "mime" -> new Field(Kind.TEXT, "v.mime");
            case "fileType" -> new Field(Kind.TEXT, "v.file_type");
            case "type" -> new Field(Kind.KIND, null);
            case "tags" -> new Field(Kind.TAGS, null);
            case "size" -> new Field(Kind.SIZE, "v.size");
            case "width" -> new Field(Kind.NUMBER, "v.width");
            case "height" -> new Field(Kind.NUMBER, "v.height");
            case "createdAt" -> new Field(Kind.DATE, "v.created_at");
            case "updatedAt" -> new Field(Kind.DATE, "v.updated_at");
            case "private", "isPrivateFile" -> new Field(Kind.BOOL, "v.is_private");
            case "published", "isPublished" -> new Field(Kind.BOOL, "v.is_published");
            case "transparency", "hasAlpha" -> new Field(Kind.BOOL, "v.has_alpha");
            default -> throw new SearchQueryParser.SyntaxError("unknown field '" + name + "'");
        };
    }

    private String comparison(Expr.Comparison c) {
        Field f = field(c.field());
        Expr.Op op = c.op();
        return switch (f.kind()) {
            case TEXT -> text(c, f.column());
            case NUMBER, SIZE, DATE -> ordered(c, f);
            case BOOL -> bool(c, f.column());
            case TAGS -> tags(c);
            case CUSTOM -> custom(c, f.column());
            case KIND -> kind(c, op);
        };
    }

    private String text(Expr.Comparison c, String column) {
        return switch (c.op()) {
            case EQ -> bind(column + " = ?", c.values().getFirst().text());
            case NOT_EQ -> bind(column + " <> ?", c.values().getFirst().text());
            case PREFIX -> bind(column + " LIKE ? ESCAPE '\\'", likePrefix(c.values().getFirst().text()));
            case IN, NOT_IN -> in(column, c.op() == Expr.Op.NOT_IN, c.values().stream().map(Expr.Value::text).toList());
            default -> throw unsupported(c);
        };
    }

    private String ordered(Expr.Comparison c, Field f) {
        if (c.op() == Expr.Op.PREFIX) {
            throw unsupported(c);
        }
        if (c.op() == Expr.Op.IN || c.op() == Expr.Op.NOT_IN) {
            List<Object> values = c.values().stream().map(v -> number(c.field(), f.kind(), v)).toList();
            return in(f.column(), c.op() == Expr.Op.NOT_IN, values);
        }
        return bind(f.column() + " " + sqlOperator(c.op()) + " ?", number(c.field(), f.kind(), c.values().getFirst()));
    }

    private Object number(String field, Kind kind, Expr.Value v) {
        String text = v.text().strip();
        try {
            return switch (kind) {
                case SIZE -> ByteSize.parse(text);
                case DATE -> date(text);
                default -> text.contains(".") ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new SearchQueryParser.SyntaxError("invalid value '" + text + "' for " + field);
        }
    }

    /** An ISO date or date-time, or a relative age such as {@code 7d} (days before now). */
    private long date(String text) {
        Matcher m = RELATIVE.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            long seconds = switch (m.group(2)) {
                case "s" -> n;
                case "m" -> n * 60;
                case "h" -> n * 3600;
                case "d" -> n * 86_400;
                case "w" -> n * 7 * 86_400;
                default -> n * 365 * 86_400;
            };
            return now.minusSeconds(seconds).toEpochMilli();
        }
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    }

    private String bool(Expr.Comparison c, String column) {
        if (c.op() != Expr.Op.EQ && c.op() != Expr.Op.NOT_EQ) {
            throw unsupported(c);
        }
        String text = c.values().getFirst().text().toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw new SearchQueryParser.SyntaxError("invalid value '" + text + "' for " + c.field() + ": use true or false");
        }
        boolean wanted = text.equals("true") == (c.op() == Expr.Op.EQ);
        return wanted ? "COALESCE(" + column + ", 0) = 1" : "COALESCE(" + column + ", 0) = 0";
    }

    private String tags(Expr.Comparison c) {
        List<String> values = c.values().stream().map(Expr.Value::text).toList();
        String exists = "EXISTS (SELECT 1 FROM version_tags t WHERE t.version_id = v.version_id AND t.tag IN ("
                + marks(values.size()) + "))";
        params.addAll(values);
        return switch (c.op()) {
            case EQ, IN -> exists;
            case NOT_EQ, NOT_IN -> "NOT " + exists;
            default -> throw unsupported(c);
        };
    }

    private String custom(Expr.Comparison c, String key) {
        String column = "json_extract(v.custom_metadata, '$." + key + "')";
        boolean numeric = c.values().stream().noneMatch(Expr.Value::quoted);
        return switch (c.op()) {
            case PREFIX -> bind(column + " LIKE ? ESCAPE '\\'", likePrefix(c.values().getFirst().text()));
            case IN, NOT_IN -> in(column, c.op() == Expr.Op.NOT_IN, c.values().stream().map(v -> customValue(c, v, numeric)).toList());
            default -> bind(column + " " + sqlOperator(c.op()) + " ?", customValue(c, c.values().getFirst(), numeric));
        };
    }

    private Object customValue(Expr.Comparison c, Expr.Value v, boolean numeric) {
        if (!numeric) {
            return v.text();
        }
        String t = v.text();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return t.equalsIgnoreCase("true") ? 1 : 0;
        }
        try {
            return t.contains(".") ? (Object) Double.parseDouble(t) : (Object) Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new SearchQueryParser.SyntaxError("invalid value '" + t + "' for " + c.field() + ": quote text values");
        }
    }

    private String kind(Expr.Comparison c, Expr.Op op) {
        if (op != Expr.Op.EQ && op != Expr.Op.NOT_EQ && op != Expr.Op.IN && op != Expr.Op.NOT_IN) {
            throw unsupported(c);
        }
        List<String> parts = new ArrayList<>();
        for (Expr.Value v : c.values()) {
            parts.add(switch (v.text()) {
                case "file" -> "v.version_id = f.current_version_id";
                case "file-version" -> "v.version_id <> f.current_version_id";
                default -> throw new SearchQueryParser.SyntaxError("invalid value '" + v.text() + "' for type: use file or file-version");
            });
        }
        String any = "(" + String.join(" OR ", parts) + ")";
        return op == Expr.Op.EQ || op == Expr.Op.IN ? any : "NOT " + any;
    }

    /** The SQL comparison for {@code =, !=, >, >=, <, <=}. */
    private static String sqlOperator(Expr.Op op) {
        return switch (op) {
            case EQ -> "=";
            case NOT_EQ -> "<>";
            case GT -> ">";
            case GTE -> ">=";
            case LT -> "<";
            case LTE -> "<=";
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    private String in(String column, boolean negate, List<?> values) {
        params.addAll(values);
        return column + (negate ? " NOT IN (" : " IN (") + marks(values.size()) + ")";
    }

    private String bind(String sql, Object value) {
        params.add(value);
        return sql;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static SearchQueryParser.SyntaxError unsupported(Expr.Comparison c) {
        return new SearchQueryParser.SyntaxError("operator " + c.op() + " is not supported for " + c.field());
    }
}

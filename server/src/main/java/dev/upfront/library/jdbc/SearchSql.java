package dev.upfront.library.jdbc;

import dev.upfront.library.search.Expr;
import dev.upfront.library.search.SearchQueryParser;
import dev.upfront.units.ByteSize;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a {@link Expr} into a SQL condition over the aliases {@code f} (files) and {@code v} (file_versions),
 * with its parameters, in one {@link Dialect}: every dialect accepts and refuses the same queries. Only the fields this server stores are searchable; any other field, or an operator a
 * field does not support, is a {@link SearchQueryParser.SyntaxError} naming it. Values always travel as
 * parameters, never inside the SQL text.
 */
public final class SearchSql {
    /**
     * The compiled condition and its positional parameters.
     *
     * @param drives whether the condition reads its rows from an index (a selective indexed condition): the query
     *     then starts from those few rows and sorts them, instead of walking the listing's order
     */
    public record Condition(String sql, List<Object> params, boolean drives) {}

    /** Counts rows of {@code fromWhere} (e.g. {@code version_tags t WHERE t.tag IN (?)}), stopping at {@code cap}. */
    public interface Counter {
        long count(String fromWhere, List<Object> params, long cap);
    }

    /** Runs a query of one text column and returns its values (SQL NULL as null), in order. */
    public interface Lookup {
        List<String> strings(String sql, List<Object> params);
    }

    /**
     * What the query shape may rely on, so the query drives from its most selective condition.
     *
     * @param currentOnly the query keeps current versions only: a version's times are then its file's, and the
     *     condition names the files' indexed columns instead of a per-row choice between the two
     * @param counter counts the rows a condition matches from its index, or null where the database weighs that
     *     itself (PostgreSQL keeps statistics; SQLite has none unless ANALYZE ran, and then only coarse ones)
     * @param files about how many files the library holds
     * @param wanted how many rows the query asks for (limit + skip)
     * @param lookup reads the database the query runs on, whose schema has the search's side indexes (V8: name
     *     trigrams or words, custom metadata rows, partial indexes); null: plans that need them are not used
     */
    public record Hints(boolean currentOnly, Counter counter, long files, long wanted, Lookup lookup) {
        /** No knowledge: the condition is correct for any query. */
        public static final Hints NONE = new Hints(false, null, 0, 0);

        public Hints(boolean currentOnly, Counter counter, long files, long wanted) {
            this(currentOnly, counter, files, wanted, null);
        }

        boolean sideIndexes() {
            return lookup != null;
        }

        /**
         * Whether an indexed condition should drive the query (read its rows from the index, then sort them) rather
         * than filter a scan in the listing's order. The scan reads about wanted × files / rows rows before it has
         * its page; driving costs about rows: drive when rows² ≤ wanted × files. The count stops at that bound, so
         * asking costs at most as much as driving would.
         */
        boolean selective(String fromWhere, List<Object> params) {
            if (counter == null) {
                return true;
            }
            long cap = (long) Math.sqrt((double) Math.max(1, wanted) * Math.max(1, files)) + 1;
            return counter.count(fromWhere, params, cap) < cap;
        }
    }

    private enum Kind { TEXT, PATH, NUMBER, SIZE, DATE, BOOL, TAGS, CUSTOM, EMBEDDED, KIND, ID }

    private record Field(Kind kind, String column) {}

    /** An age: seconds, hours, days, weeks, months ('m', as in ImageKit's docs, not minutes), years. */
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})\\s*([shdwmy])");
    /**
     * A current file's times are the file's (what the listing shows and sorts on: createdAt is when the file was
     * first uploaded, updatedAt its last change); an older version's are its own.
     */
    private static final String CREATED_AT = "(CASE WHEN v.version_id = f.current_version_id THEN f.created_at ELSE v.created_at END)";
    private static final String UPDATED_AT = "(CASE WHEN v.version_id = f.current_version_id THEN f.updated_at ELSE v.updated_at END)";
    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9_\\-]{1,100}");
    /**
     * What separates words for {@code HAS}: a value's words are its runs of other characters. The same set splits
     * the query's text and (by SQL REPLACE) the stored value, so both sides agree on every database. It holds the
     * LIKE wildcards ('%', '_'), so no word has one; not '?', which would read as a placeholder in the SQL text.
     */
    private static final String SEPARATORS = " \t\n\r-_.,;:/\\()[]{}<>+&'\"!@#|~=*%^$`";
    /**
     * A name's words for PostgreSQL's full-text index: the separators (but whitespace, which its parser splits on
     * anyway) made spaces. Identical to the expression of the index {@code files_name_words} (V8), or the index is
     * not used.
     */
    private static final String NAME_WORDS = "to_tsvector('simple', translate(f.name, '"
            + SEPARATORS.replaceAll("\\s", "").replace("'", "''") + "', '" + " ".repeat(SEPARATORS.replaceAll("\\s", "").length()) + "'))";
    private static final Pattern ASCII_WORD = Pattern.compile("[a-z0-9]+");
    private static final String LATER_VERSIONS = "version_number > 1";
    /** The most distinct tags {@code tags HAS} lists before it matches the tag rows instead. */
    private static final int DISTINCT_TAGS_CAP = 2000;
    private static final int MATCHING_TAGS_CAP = 500;
    /**
     * The embedded metadata fields the V9 side table version_embedded holds (its triggers list the same keys): the
     * texts that name a photo's camera, software, author and place. Only these, so an upload writes a few index rows
     * (each costs it about 20 µs of database CPU), not one per EXIF field; a condition on another field (ISO,
     * exposure...) reads the JSON of every version.
     */
    static final Set<String> EMBEDDED_INDEXED = Set.of("Make", "Model", "LensModel", "Software", "Artist", "Copyright", "City", "Country");
    /** EXIF writes date-times as {@code 2024:01:31 12:00:00}, which orders as text like the instants it names. */
    private static final DateTimeFormatter EXIF_DATE = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Instant now;
    private final Dialect dialect;
    private final Hints hints;
    private final List<Object> params = new ArrayList<>();
    /**
     * Whether the condition compiled last reads its rows from an index (a selective indexed condition): an
     * {@code OR} of such conditions only is then a union of their index reads instead of a scan.
     */
    private boolean drives;
    /** Whether the comparison being compiled is a term of the top-level AND (under no OR). */
    private boolean conjunct = true;

    private SearchSql(Instant now, Dialect dialect, Hints hints) {
        this.now = now;
        this.dialect = dialect;
        this.hints = hints;
    }

    /** In SQLite's dialect (the embedded default). */
    public static Condition compile(Expr expr, Instant now) {
        return compile(expr, now, Dialect.SQLITE);
    }

    /** @param now the instant relative dates ({@code createdAt > "7d"}) count back from */
    public static Condition compile(Expr expr, Instant now, Dialect dialect) {
        return compile(expr, now, dialect, Hints.NONE);
    }

    /** @param hints what the shape may rely on (same rows whatever they say, only a faster plan) */
    public static Condition compile(Expr expr, Instant now, Dialect dialect, Hints hints) {
        SearchSql s = new SearchSql(now, dialect, hints);
        String sql = s.expr(expr);
        return new Condition(sql, List.copyOf(s.params), s.drives);
    }

    private String expr(Expr e) {
        return switch (e) {
            case Expr.And and -> join(and.terms(), " AND ", false);
            case Expr.Or or -> join(or.terms(), " OR ", true);
            case Expr.Comparison c -> {
                drives = false;
                yield comparison(c);
            }
        };
    }

    /**
     * An AND drives when one of its terms does; an OR when all do, and then (with the side indexes) it is the
     * union of its terms' rows, each read from its index: SQLite and PostgreSQL use one index per table for an OR
     * across tables (a tag and a name), so they would scan every file for it.
     */
    private String join(List<Expr> terms, String op, boolean or) {
        List<String> parts = new ArrayList<>();
        boolean any = false;
        boolean all = true;
        boolean outer = conjunct;
        conjunct = outer && !or;
        for (Expr t : terms) {
            parts.add("(" + expr(t) + ")");
            any |= drives;
            all &= drives;
        }
        conjunct = outer;
        if (or && all && hints.sideIndexes()) {
            drives = true;
            List<String> selects = parts.stream()
                    .map(p -> "SELECT v.version_id FROM files f JOIN file_versions v ON v.file_id = f.file_id WHERE " + p).toList();
            return "v.version_id IN (" + String.join(" UNION ", selects) + ")";
        }
        drives = or ? all : any;
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
        if (name.startsWith("embeddedMetadata.")) {
            String key = name.substring("embeddedMetadata.".length());
            if (!IDENT.matcher(key).matches()) {
                throw new SearchQueryParser.SyntaxError("invalid embedded metadata field '" + key + "'");
            }
            return new Field(Kind.EMBEDDED, key);
        }
        return switch (name) {
            case "id" -> new Field(Kind.ID, "f.file_id");
            case "name" -> new Field(Kind.TEXT, "f.name");
            case "filePath" -> new Field(Kind.TEXT, "f.file_path");
            case "path" -> new Field(Kind.PATH, "f.folder_path");
            case "format" -> new Field(Kind.TEXT, "v.format");
            case "mime" -> new Field(Kind.TEXT, "v.mime");
            case "fileType" -> new Field(Kind.TEXT, "v.file_type");
            case "type" -> new Field(Kind.KIND, null);
            case "tags" -> new Field(Kind.TAGS, null);
            case "size" -> new Field(Kind.SIZE, "v.size");
            case "width" -> new Field(Kind.NUMBER, "v.width");
            case "height" -> new Field(Kind.NUMBER, "v.height");
            case "createdAt" -> new Field(Kind.DATE, CREATED_AT);
            case "updatedAt" -> new Field(Kind.DATE, UPDATED_AT);
            case "private", "isPrivateFile" -> new Field(Kind.BOOL, "v.is_private");
            case "published", "isPublished" -> new Field(Kind.BOOL, "v.is_published");
            case "transparency", "hasAlpha" -> new Field(Kind.BOOL, "v.has_alpha");
            default -> throw new SearchQueryParser.SyntaxError("unknown field '" + name + "'");
        };
    }

    private String comparison(Expr.Comparison c) {
        Field f = field(c.field());
        if (hints.currentOnly() && f.kind() == Kind.DATE) {
            // Every row is a current version, whose times are its file's: the indexed columns themselves.
            f = new Field(Kind.DATE, f.column().equals(CREATED_AT) ? "f.created_at" : "f.updated_at");
        }
        Expr.Op op = c.op();
        if (op == Expr.Op.EXISTS || op == Expr.Op.NOT_EXISTS) {
            return exists(c, f);
        }
        if (op == Expr.Op.HAS) {
            return has(c, f);
        }
        return switch (f.kind()) {
            case TEXT -> text(c, f.column());
            case ID -> {
                if (op == Expr.Op.PREFIX) {
                    throw unsupported(c);
                }
                yield text(c, f.column());
            }
            case PATH -> path(c, f.column());
            case NUMBER, SIZE, DATE -> ordered(c, f);
            case BOOL -> bool(c, f.column());
            case TAGS -> tags(c);
            case CUSTOM -> {
                String candidates = hints.sideIndexes() ? metadataCandidates("version_metadata", c, f.column()) : null;
                yield narrowed(candidates, custom(c, "v.custom_metadata", f.column()));
            }
            case EMBEDDED -> embedded(c, f.column());
            case KIND -> kind(c, op);
        };
    }

    /**
     * {@code EXISTS}: the file has tags, or a value for that custom or embedded metadata field; {@code NOT EXISTS}
     * the opposite. ImageKit documents both for {@code tags} and the metadata fields only.
     */
    private String exists(Expr.Comparison c, Field f) {
        String present = switch (f.kind()) {
            case TAGS -> "EXISTS (SELECT 1 FROM version_tags t WHERE t.version_id = "
                    + (c.op() == Expr.Op.NOT_EXISTS ? untaggedVersion() : "v.version_id") + ")";
            case CUSTOM -> dialect.jsonValue("v.custom_metadata", f.column()) + " IS NOT NULL";
            case EMBEDDED -> dialect.jsonValue(embeddedColumn(), f.column()) + " IS NOT NULL";
            default -> throw unsupported(c);
        };
        return c.op() == Expr.Op.EXISTS ? present : "NOT (" + present + ")";
    }

    /**
     * {@code HAS "red dress"}: every word of the text is a word of the value, case-insensitively (ASCII letters), the
     * last one as a word's beginning, as ImageKit's full-text match. For {@code name}, {@code tags} (any one tag),
     * and text values of custom and embedded metadata.
     */
    private String has(Expr.Comparison c, Field f) {
        List<String> words = words(c.values().getFirst().text());
        if (words.isEmpty()) {
            throw new SearchQueryParser.SyntaxError("HAS needs at least one word for " + c.field());
        }
        return switch (f.kind()) {
            case TEXT -> {
                if (!c.field().equals("name")) {
                    throw unsupported(c);
                }
                String candidates = hints.sideIndexes() ? nameCandidates(words) : null;
                yield candidates == null ? hasWords(f.column(), words, params) : candidates + " AND " + hasWords(f.column(), words, params);
            }
            case TAGS -> {
                List<String> matching = hints.sideIndexes() ? tagsHaving(words) : null;
                if (matching != null) {
                    yield matching.isEmpty() ? "1 = 0" : anyTag(matching, true);
                }
                yield "EXISTS (SELECT 1 FROM version_tags t WHERE t.version_id = v.version_id AND " + hasWords("t.tag", words, params) + ")";
            }
            case CUSTOM -> jsonTextHas("v.custom_metadata", f.column(), words);
            case EMBEDDED -> jsonTextHas(embeddedColumn(), f.column(), words);
            default -> throw unsupported(c);
        };
    }

    /**
     * A metadata text value has the words: the cheap {@link #containing} test first, so the exact one (a chain of
     * REPLACE over the whole value) runs only on values that hold every word. Metadata values have no index.
     */
    private String jsonTextHas(String json, String key, List<String> words) {
        String value = dialect.jsonText(json, key);
        String holdsEveryWord = containing(value, words); // binds before hasWords: the parameters follow the text
        return dialect.jsonTypeIs(json, key, "string") + " AND " + holdsEveryWord + " AND " + hasWords(value, words, params);
    }

    /**
     * The files whose name may hold the words, read from the V8 index, when few do (otherwise, or when the
     * index cannot answer, a cheap {@link #containing} test before the exact one): SQLite's trigram index finds names containing each word of three characters or more;
     * PostgreSQL's full-text index (over {@link #NAME_WORDS}) the names with a word beginning with each word, for
     * words of ASCII letters and digits (what its parser keeps whole). Both are supersets: the exact match stays.
     */
    private String nameCandidates(List<String> words) {
        String fromWhere;
        String query;
        if (dialect == Dialect.SQLITE) {
            List<String> long3 = words.stream().filter(w -> w.length() >= 3).map(w -> "\"" + w + "\"").toList();
            if (long3.isEmpty()) {
                return containing("f.name", words);
            }
            fromWhere = "files_name_trigrams WHERE files_name_trigrams MATCH ?";
            query = String.join(" AND ", long3);
        } else {
            if (!words.stream().allMatch(w -> ASCII_WORD.matcher(w).matches())) {
                return containing("f.name", words);
            }
            fromWhere = "files f WHERE " + NAME_WORDS + " @@ to_tsquery('simple', ?)";
            query = String.join(" & ", words.stream().map(w -> w + ":*").toList());
        }
        if (!hints.selective(fromWhere, List.of(query))) {
            return containing("f.name", words);
        }
        drives = true;
        return bind(dialect == Dialect.SQLITE ? "f.seq IN (SELECT rowid FROM " + fromWhere + ")"
                : NAME_WORDS + " @@ to_tsquery('simple', ?)", query);
    }

    /**
     * A cheap test every match passes, so a scan skips most values before the exact one (a chain of REPLACE per
     * row): the value holds each word, ignoring case. A word holds no LIKE wildcard (they are separators).
     */
    private String containing(String column, List<String> words) {
        List<String> parts = new ArrayList<>();
        for (String w : words) {
            parts.add(bind(dialect.likeAnyCase(column, "?"), "%" + w + "%"));
        }
        return "(" + String.join(" AND ", parts) + ")";
    }

    /**
     * The distinct tags that have the words, or null when the library has more than {@link #DISTINCT_TAGS_CAP}
     * distinct tags (or over {@link #MATCHING_TAGS_CAP} match): a library has few distinct tags, which the tag
     * index lists one seek each (a loose index scan), so the words are matched against those few values and the
     * search continues as {@code tags IN [...]}, by its selectivity, instead of matching every tag row.
     */
    private List<String> tagsHaving(List<String> words) {
        List<Object> args = new ArrayList<>();
        args.add(DISTINCT_TAGS_CAP);
        String sql = "WITH RECURSIVE d(tag, n) AS (SELECT MIN(tag), 1 FROM version_tags"
                + " UNION ALL SELECT (SELECT MIN(t.tag) FROM version_tags t WHERE t.tag > d.tag), d.n + 1 FROM d"
                + " WHERE d.tag IS NOT NULL AND d.n <= ?)"
                + " SELECT tag FROM d WHERE tag IS NULL OR " + hasWords("tag", words, args);
        List<String> found = hints.lookup().strings(sql, args);
        if (!found.contains(null)) {
            return null; // the walk stopped at the cap before the last tag
        }
        List<String> matching = found.stream().filter(t -> t != null).toList();
        return matching.size() > MATCHING_TAGS_CAP ? null : matching;
    }

    /** The words of a HAS query, ASCII letters lower-cased (as {@link Dialect#asciiLower} does to the value). */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char ch = i < text.length() ? text.charAt(i) : ' ';
            if (SEPARATORS.indexOf(ch) >= 0 || Character.isISOControl(ch)) { // no value's word holds a control character
                if (!word.isEmpty()) {
                    out.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
            }
        }
        if (out.size() > 20) {
            throw new SearchQueryParser.SyntaxError("HAS takes at most 20 words");
        }
        return out;
    }

    /**
     * The value with every separator made a space, lower-cased, between spaces: {@code " red dress summer jpg "}, in
     * which a word is {@code "% red %"} and a word's beginning {@code "% dre%"}. Words hold no separator, so no LIKE
     * wildcard ('%', '_') either.
     */
    private String hasWords(String column, List<String> words, List<Object> into) {
        String normalized = column;
        for (char sep : SEPARATORS.toCharArray()) {
            if (sep != ' ') {
                normalized = "REPLACE(" + normalized + ", " + literal(sep) + ", ' ')";
            }
        }
        String spaced = "(' ' || " + dialect.asciiLower(normalized) + " || ' ')";
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            boolean last = i == words.size() - 1;
            into.add("% " + words.get(i) + (last ? "%" : " %"));
            parts.add(spaced + " LIKE ?");
        }
        return "(" + String.join(" AND ", parts) + ")";
    }

    /** A one-character SQL literal (a tab or newline stands in it as itself; backslashes are plain in both). */
    private static String literal(char c) {
        return c == '\'' ? "''''" : "'" + c + "'";
    }

    private String text(Expr.Comparison c, String column) {
        // Equality on an indexed column of files (a name, a path, an id) reads few rows from its index.
        drives = (c.op() == Expr.Op.EQ || c.op() == Expr.Op.IN) && column.startsWith("f.");
        return switch (c.op()) {
            case EQ -> bind(column.equals("v.format") ? drivingOrNot(column + " = ?", column, c.values().getFirst().text())
                    : column + " = ?", c.values().getFirst().text());
            case PREFIX -> column.equals("f.name") ? namePrefix(c.values().getFirst().text()) : prefix(column, c.values().getFirst().text());
            case NOT_EQ -> notEqual(column, c.values().getFirst().text());
            case IN, NOT_IN -> in(column, c.op() == Expr.Op.NOT_IN, c.values().stream().map(Expr.Value::text).toList());
            default -> throw unsupported(c);
        };
    }

    /**
     * {@code condition} on an indexed column of file_versions as it is when few rows match (SQLite then reads them
     * from the index), or with the column written {@code +column} when many do: SQLite uses no index for a
     * {@code +column} term (its documented way to choose), so it keeps scanning in the listing's order and stops
     * at the page. The same rows either way.
     */
    private String drivingOrNot(String condition, String column, Object value) {
        List<Object> one = new ArrayList<>();
        one.add(value);
        drives = hints.selective("file_versions v WHERE " + condition, one);
        return drives || dialect != Dialect.SQLITE ? condition : condition.replace(column, "+" + column);
    }

    /**
     * A name prefix, case-sensitively. Names order by code point (SQLite's binary collation, PostgreSQL's "C" of the
     * column), so the names with a prefix p are the range [p, p with its last character's successor), which the name
     * index reads when few names match; the exact check stays, so the rows are the same.
     */
    private String namePrefix(String prefix) {
        char last = prefix.isEmpty() ? 0 : prefix.charAt(prefix.length() - 1);
        if (prefix.isEmpty() || last == Character.MAX_VALUE || Character.isSurrogate(last) || Character.isSurrogate((char) (last + 1))) {
            return prefix("f.name", prefix);
        }
        String upper = prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
        String range = "f.name >= ? AND f.name < ?";
        if (!hints.selective("files f WHERE " + range, List.of(prefix, upper))) {
            return prefix("f.name", prefix);
        }
        params.add(prefix);
        params.add(upper);
        drives = true;
        return range + " AND " + prefix("f.name", prefix);
    }

    /**
     * {@code path}: a folder, written with or without its leading and trailing slash. {@code =} is that folder
     * alone, {@code :} that folder and every folder below it (a range on the indexed column).
     */
    private String path(Expr.Comparison c, String column) {
        List<String> folders = c.values().stream().map(v -> folder(v.text())).toList();
        return switch (c.op()) {
            case EQ -> bind(column + " = ?", folders.getFirst());
            case NOT_EQ -> notEqual(column, folders.getFirst());
            case PREFIX -> {
                String folder = folders.getFirst();
                if (folder.equals("/")) {
                    yield "1 = 1";
                }
                params.add(folder);
                params.add(JdbcLibrary.pastFolder(folder));
                yield column + " >= ? AND " + column + " < ?";
            }
            case IN, NOT_IN -> in(column, c.op() == Expr.Op.NOT_IN, folders);
            default -> throw unsupported(c);
        };
    }

    private static String folder(String text) {
        String f = text.strip();
        if (!f.startsWith("/")) {
            f = "/" + f;
        }
        return f.endsWith("/") ? f : f + "/";
    }

    private String ordered(Expr.Comparison c, Field f) {
        if (c.op() == Expr.Op.PREFIX) {
            throw unsupported(c);
        }
        if (c.op() == Expr.Op.IN || c.op() == Expr.Op.NOT_IN) {
            List<Object> values = c.values().stream().map(v -> number(c.field(), f.kind(), v)).toList();
            return in(f.column(), c.op() == Expr.Op.NOT_IN, values);
        }
        Object value = number(c.field(), f.kind(), c.values().getFirst());
        if (c.op() == Expr.Op.NOT_EQ) {
            return notEqual(f.column(), value);
        }
        String condition = f.column() + " " + sqlOperator(c.op()) + " ?";
        return bind(f.column().startsWith("v.") ? drivingOrNot(condition, f.column(), value) : condition, value);
    }

    private Object number(String field, Kind kind, Expr.Value v) {
        String text = v.text().strip();
        try {
            return switch (kind) {
                case SIZE -> ByteSize.parse(text);
                case DATE -> date(text);
                default -> text.contains(".") ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
            };
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            // ArithmeticException: a date far outside what milliseconds since 1970 can hold.
            throw new SearchQueryParser.SyntaxError("invalid value '" + text + "' for " + field);
        }
    }

    /** An ISO date or date-time, or a relative age such as {@code 7d} (days before now). */
    private long date(String text) {
        Matcher m = RELATIVE.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
            ZonedDateTime then = switch (m.group(2)) {
                case "s" -> utc.minusSeconds(n);
                case "h" -> utc.minusHours(n);
                case "d" -> utc.minusDays(n);
                case "w" -> utc.minusWeeks(n);
                case "m" -> utc.minusMonths(n);
                default -> utc.minusYears(n);
            };
            return then.toInstant().toEpochMilli();
        }
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        // YYYY-MM-DDTHH:MM:SS is UTC; an explicit offset (Z, +02:00) is honoured.
        TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
        Instant instant = t instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
        return instant.toEpochMilli();
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
        String exact = "COALESCE(" + column + ", FALSE) = " + (wanted ? "TRUE" : "FALSE");
        // The rare side of a flag (private, unpublished) has a partial index of its versions.
        String few = column.equals("v.is_private") && wanted ? "is_private = TRUE"
                : column.equals("v.is_published") && !wanted ? "is_published = FALSE" : null;
        if (few != null && hints.sideIndexes() && hints.selective("file_versions WHERE " + few, List.of())) {
            drives = true;
            return "v.version_id IN (SELECT version_id FROM file_versions WHERE " + few + ")";
        }
        return exact;
    }

    /**
     * The same rows either way: a rare (or absent) tag drives the query from the tag index (its few versions, then
     * sorted), a common one filters the scan in the listing's order, which finds a page after a few rows. A negated
     * one always filters: it matches most files.
     */
    private String tags(Expr.Comparison c) {
        List<String> values = c.values().stream().map(Expr.Value::text).toList();
        boolean positive = switch (c.op()) {
            case EQ, IN -> true;
            case NOT_EQ, NOT_IN -> false;
            default -> throw unsupported(c);
        };
        return anyTag(values, positive);
    }

    private String anyTag(List<String> values, boolean positive) {
        String tagged = "version_tags t WHERE t.tag IN (" + marks(values.size()) + ")";
        if (positive && hints.selective(tagged, List.copyOf(values))) {
            params.addAll(values);
            drives = true;
            return "v.version_id IN (SELECT t.version_id FROM " + tagged + ")";
        }
        String exists = "EXISTS (SELECT 1 FROM version_tags t WHERE t.version_id = " + (positive ? "v.version_id" : untaggedVersion())
                + " AND t.tag IN (" + marks(values.size()) + "))";
        params.addAll(values);
        return positive ? exists : "NOT " + exists;
    }

    /**
     * The version a {@code NOT EXISTS} over its tags names. PostgreSQL turns a {@code NOT EXISTS} among the top-level
     * AND's terms into an anti-join, placed above every table its condition names, and (unlike a semi-join, which
     * the equivalence {@code v.version_id = f.current_version_id} lets it move) keeps it there. Naming
     * {@code v.version_id}, the walk in the listing's order fetched each file's version row (four index pages) before
     * probing its tags, for every file it then threw away: a third of the files match {@code tags NOT IN} ten of
     * thirty tags, so 385 version rows for a page of 100. Naming the file's current version (the same value when
     * only current versions are listed) probes the tags right after the files index and fetches the page's versions
     * only. Under an OR the condition stays a sub-plan, which on the files scan PostgreSQL would hash (reading every
     * row of those tags): there, and on SQLite, it keeps {@code v}.
     */
    private String untaggedVersion() {
        return dialect == Dialect.POSTGRESQL && hints.currentOnly() && conjunct ? "f.current_version_id" : "v.version_id";
    }

    private String custom(Expr.Comparison c, String json, String key) {
        if (c.op() == Expr.Op.PREFIX) {
            return prefix(dialect.jsonText(json, key), c.values().getFirst().text());
        }
        String column = dialect.jsonValue(json, key);
        String mark = dialect.jsonParameter();
        boolean numeric = c.values().stream().noneMatch(Expr.Value::quoted);
        return switch (c.op()) {
            case IN, NOT_IN -> in(column, c.op() == Expr.Op.NOT_IN,
                    c.values().stream().map(v -> dialect.jsonArgument(customValue(c, v, numeric))).toList(), mark);
            case NOT_EQ -> notEqual(column, dialect.jsonArgument(customValue(c, c.values().getFirst(), numeric)), mark);
            case EQ -> bind(column + " = " + mark, dialect.jsonArgument(customValue(c, c.values().getFirst(), numeric)));
            default -> {
                // Ordering across JSON types differs between databases (SQLite puts text above numbers, PostgreSQL
                // below): a number orders only against numbers, a text only against texts.
                Object value = customValue(c, c.values().getFirst(), numeric);
                yield dialect.jsonTypeIs(json, key, value instanceof String ? "string" : "number")
                        + " AND " + bind(column + " " + sqlOperator(c.op()) + " " + mark, dialect.jsonArgument(value));
            }
        };
    }

    /**
     * The versions whose custom field {@code key} compares as asked, read from a side table (V8's version_metadata
     * or V9's version_embedded: one row per field, its value as the JSON functions read it) when few do; null
     * otherwise. The table's comparison is the search's own, without the type check: a superset, and the exact
     * condition stays.
     */
    private String metadataCandidates(String table, Expr.Comparison c, String key) {
        Expr.Op op = c.op();
        if (!EnumSet.of(Expr.Op.EQ, Expr.Op.IN, Expr.Op.GT, Expr.Op.GTE, Expr.Op.LT, Expr.Op.LTE).contains(op)) {
            return null;
        }
        boolean numeric = c.values().stream().noneMatch(Expr.Value::quoted);
        List<Object> args = new ArrayList<>();
        args.add(key);
        for (Expr.Value v : op == Expr.Op.IN ? c.values() : c.values().subList(0, 1)) {
            args.add(dialect.jsonArgument(customValue(c, v, numeric)));
        }
        String mark = dialect.jsonParameter();
        String compare = op == Expr.Op.IN ? "m.val IN (" + String.join(", ", Collections.nCopies(args.size() - 1, mark)) + ")"
                : "m.val " + sqlOperator(op) + " " + mark;
        String fromWhere = table + " m WHERE m.key = ? AND " + compare;
        if (!hints.selective(fromWhere, args)) {
            return null;
        }
        params.addAll(args);
        drives = true;
        return "v.version_id IN (SELECT m.version_id FROM " + fromWhere + ")";
    }

    private String embeddedColumn() {
        return dialect.jsonObject("v.embedded_metadata");
    }

    /**
     * An embedded (EXIF/IPTC/XMP) value compares as a custom one, with two kinds of fields read as ImageKit reads them:
     * {@code Keywords}, a list (IPTC keywords are stored joined by ';'), matches {@code =}/{@code IN} when one of its
     * keywords is a listed value; EXIF date-times ({@code DateTimeOriginal}...) order against dates and relative ages
     * ({@code > "1y"}).
     */
    private String embedded(Expr.Comparison c, String key) {
        String json = embeddedColumn();
        Expr.Op op = c.op();
        if (key.equals("Keywords") && (op == Expr.Op.EQ || op == Expr.Op.NOT_EQ || op == Expr.Op.IN || op == Expr.Op.NOT_IN)) {
            String list = "(';' || " + dialect.jsonText(json, key) + " || ';')";
            List<String> any = new ArrayList<>();
            for (Expr.Value v : c.values()) {
                any.add(bind(dialect.contains(list, "?"), ";" + v.text() + ";"));
            }
            String matches = "(" + String.join(" OR ", any) + ")";
            boolean negate = op == Expr.Op.NOT_EQ || op == Expr.Op.NOT_IN;
            return negate ? "(" + dialect.jsonText(json, key) + " IS NULL OR NOT " + matches + ")" : matches;
        }
        if (key.startsWith("DateTime") && EnumSet.of(Expr.Op.GT, Expr.Op.GTE, Expr.Op.LT, Expr.Op.LTE).contains(op)) {
            String text = c.values().getFirst().text().strip();
            long millis;
            try {
                millis = date(text);
            } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
                throw new SearchQueryParser.SyntaxError("invalid value '" + text + "' for " + c.field());
            }
            return dialect.jsonTypeIs(json, key, "string") + " AND "
                    + bind(dialect.jsonText(json, key) + " " + sqlOperator(op) + " ?", EXIF_DATE.format(Instant.ofEpochMilli(millis)));
        }
        String candidates = hints.sideIndexes() && EMBEDDED_INDEXED.contains(key) ? metadataCandidates("version_embedded", c, key) : null;
        return narrowed(candidates, custom(c, json, key));
    }

    /** The exact condition, behind a side table's candidates when there are any (null: none). */
    private static String narrowed(String candidates, String exact) {
        return candidates == null ? exact : candidates + " AND " + exact;
    }

    private Object customValue(Expr.Comparison c, Expr.Value v, boolean numeric) {
        if (!numeric) {
            return v.text();
        }
        String t = v.text();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return t.equalsIgnoreCase("true");
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
        boolean olderOnly = (op == Expr.Op.EQ || op == Expr.Op.IN) && c.values().stream().allMatch(v -> v.text().equals("file-version"));
        if (olderOnly && hints.sideIndexes() && hints.selective("file_versions WHERE " + LATER_VERSIONS, List.of())) {
            // A file with an older version has two or more, one numbered above 1: the partial index lists those.
            drives = true;
            return "f.file_id IN (SELECT file_id FROM file_versions" + dialect.indexedBy("file_versions_later") + " WHERE "
                    + LATER_VERSIONS + ") AND " + any;
        }
        return op == Expr.Op.EQ || op == Expr.Op.IN ? any : "NOT " + any;
    }

    /**
     * {@code NOT IN} is the complement of {@code IN}: it also matches files without the value (no width, no such
     * custom field), as {@code tags NOT IN} matches untagged files.
     */
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
        return in(column, negate, values, "?");
    }

    private String in(String column, boolean negate, List<?> values, String mark) {
        params.addAll(values);
        String marks = String.join(", ", Collections.nCopies(values.size(), mark));
        return negate ? "(" + column + " IS NULL OR " + column + " NOT IN (" + marks + "))" : column + " IN (" + marks + ")";
    }

    /** The complement of {@code column = value}, files without the value included. */
    private String notEqual(String column, Object value) {
        return notEqual(column, value, "?");
    }

    private String notEqual(String column, Object value, String mark) {
        return bind("(" + column + " IS NULL OR " + column + " <> " + mark + ")", value);
    }

    /** Begins with {@code prefix}, case-sensitively (SQLite's LIKE ignores ASCII case). */
    private String prefix(String column, String prefix) {
        params.add(prefix);
        params.add(prefix);
        return "substr(" + column + ", 1, length(?)) = ?";
    }

    private String bind(String sql, Object value) {
        params.add(value);
        return sql;
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static SearchQueryParser.SyntaxError unsupported(Expr.Comparison c) {
        return new SearchQueryParser.SyntaxError("operator " + c.op() + " is not supported for " + c.field());
    }
}

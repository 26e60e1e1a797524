package dev.upfront.library.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses ImageKit's {@code searchQuery} language: {@code name = "a.jpg" AND (tags IN ["x","y"] OR size > "1mb")}.
 * Field names may be bare or quoted; values are quoted strings ('…' or "…"), numbers or bare words.
 * Operators: {@code = != > >= < <= :} (prefix), {@code IN}, {@code NOT IN}, {@code NOT =}, {@code HAS} (words), and
 * {@code EXISTS} / {@code NOT EXISTS} (no value); {@code AND} binds tighter than {@code OR}; keywords are
 * case-insensitive. Which field takes which operator is for the compiler to decide. Errors name the problem and its
 * position.
 */
public final class SearchQueryParser {
    /** A syntax error in a search query. */
    public static final class SyntaxError extends RuntimeException {
        public SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private static final int MAX_LENGTH = 4096;
    private static final int MAX_DEPTH = 20;

    private final String text;
    private final boolean quotedFieldsOnly;
    private int pos;
    private int depth;

    private SearchQueryParser(String text, boolean quotedFieldsOnly) {
        this.text = text;
        this.quotedFieldsOnly = quotedFieldsOnly;
    }

    public static Expr parse(String query) {
        return parse(query, false);
    }

    /**
     * The same language with field names that must be quoted ({@code "file.size" < 1024}), as upload {@code checks}
     * require.
     */
    public static Expr parse(String query, boolean quotedFieldsOnly) {
        if (query.length() > MAX_LENGTH) {
            throw new SyntaxError("the query is longer than " + MAX_LENGTH + " characters");
        }
        SearchQueryParser p = new SearchQueryParser(query, quotedFieldsOnly);
        Expr e = p.or();
        p.skipSpace();
        if (p.pos < p.text.length()) {
            throw p.error("unexpected '" + p.text.charAt(p.pos) + "'");
        }
        return e;
    }

    private Expr or() {
        List<Expr> terms = new ArrayList<>();
        terms.add(and());
        while (keyword("OR")) {
            terms.add(and());
        }
        return terms.size() == 1 ? terms.getFirst() : new Expr.Or(terms);
    }

    private Expr and() {
        List<Expr> terms = new ArrayList<>();
        terms.add(unary());
        while (keyword("AND")) {
            terms.add(unary());
        }
        return terms.size() == 1 ? terms.getFirst() : new Expr.And(terms);
    }

    private Expr unary() {
        skipSpace();
        if (peek('(')) {
            if (++depth > MAX_DEPTH) {
                throw error("parentheses nested too deep");
            }
            pos++;
            Expr inner = or();
            skipSpace();
            if (!peek(')')) {
                throw error("expected ')'");
            }
            pos++;
            depth--;
            return inner;
        }
        return comparison();
    }

    private Expr comparison() {
        skipSpace();
        String field = fieldName();
        skipSpace();
        Expr.Op op = operator();
        if (op == Expr.Op.EXISTS || op == Expr.Op.NOT_EXISTS) {
            return new Expr.Comparison(field, op, List.of());
        }
        if (op == Expr.Op.IN || op == Expr.Op.NOT_IN) {
            return new Expr.Comparison(field, op, list());
        }
        return new Expr.Comparison(field, op, List.of(value()));
    }

    private String fieldName() {
        if (peek('"') || peek('\'')) {
            return quoted();
        }
        if (quotedFieldsOnly) {
            throw error("expected a quoted field name");
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.' || text.charAt(pos) == '_'
                || text.charAt(pos) == '-')) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a field name");
        }
        return text.substring(start, pos);
    }

    private Expr.Op operator() {
        if (keyword("NOT")) {
            skipSpace();
            if (keyword("IN")) {
                return Expr.Op.NOT_IN;
            }
            if (keyword("EXISTS")) {
                return Expr.Op.NOT_EXISTS;
            }
            if (peek('=')) {
                pos++;
                return Expr.Op.NOT_EQ;
            }
            throw error("expected IN, EXISTS or = after NOT");
        }
        if (keyword("IN")) {
            return Expr.Op.IN;
        }
        if (keyword("HAS")) {
            return Expr.Op.HAS;
        }
        if (keyword("EXISTS")) {
            return Expr.Op.EXISTS;
        }
        if (text.startsWith(">=", pos)) {
            pos += 2;
            return Expr.Op.GTE;
        }
        if (text.startsWith("<=", pos)) {
            pos += 2;
            return Expr.Op.LTE;
        }
        if (text.startsWith("!=", pos)) {
            pos += 2;
            return Expr.Op.NOT_EQ;
        }
        if (pos < text.length()) {
            char c = text.charAt(pos);
            Expr.Op op = switch (c) {
                case '=' -> Expr.Op.EQ;
                case '>' -> Expr.Op.GT;
                case '<' -> Expr.Op.LT;
                case ':' -> Expr.Op.PREFIX;
                default -> null;
            };
            if (op != null) {
                pos++;
                return op;
            }
        }
        throw error("expected an operator (=, !=, >, >=, <, <=, :, IN, NOT IN, HAS, EXISTS, NOT EXISTS)");
    }

    private List<Expr.Value> list() {
        skipSpace();
        if (!peek('[')) {
            throw error("expected '[' after IN");
        }
        pos++;
        List<Expr.Value> values = new ArrayList<>();
        while (true) {
            values.add(value());
            skipSpace();
            if (peek(',')) {
                pos++;
                continue;
            }
            if (peek(']')) {
                pos++;
                break;
            }
            throw error("expected ',' or ']'");
        }
        if (values.size() > 100) {
            throw error("more than 100 values in a list");
        }
        return values;
    }

    private Expr.Value value() {
        skipSpace();
        if (peek('"') || peek('\'')) {
            return new Expr.Value(quoted(), true);
        }
        int start = pos;
        // ':' too, so unquoted ISO date-times (createdAt < 2020-01-01T10:00:00) are one value.
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || "._-+:".indexOf(text.charAt(pos)) >= 0)) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a value");
        }
        return new Expr.Value(text.substring(start, pos), false);
    }

    private String quoted() {
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                out.append(text.charAt(pos++));
            } else if (c == quote) {
                return out.toString();
            } else {
                out.append(c);
            }
        }
        throw error("unterminated string");
    }

    private boolean keyword(String word) {
        skipSpace();
        int end = pos + word.length();
        if (text.regionMatches(true, pos, word, 0, word.length())
                && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private SyntaxError error(String what) {
        return new SyntaxError(what + " at position " + (pos + 1));
    }
}

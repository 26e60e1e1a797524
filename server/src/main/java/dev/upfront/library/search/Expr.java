package dev.upfront.library.search;

import java.util.List;

/** A parsed {@code searchQuery}: comparisons combined with AND / OR. Immutable. */
public sealed interface Expr {
    record And(List<Expr> terms) implements Expr {}

    record Or(List<Expr> terms) implements Expr {}

    /**
     * {@code field op value}, {@code field IN [values]} (then {@code values} has several entries), or
     * {@code field EXISTS} / {@code field NOT EXISTS} (then {@code values} is empty).
     *
     * @param field as written, e.g. {@code name}, {@code customMetadata.brand}
     */
    record Comparison(String field, Op op, List<Value> values) implements Expr {}

    /** {@code HAS}: words match, case-insensitively; {@code EXISTS}: the field has a value. */
    enum Op { EQ, NOT_EQ, GT, GTE, LT, LTE, PREFIX, IN, NOT_IN, HAS, EXISTS, NOT_EXISTS }

    /** A literal: a quoted string, a number, or a bare word (true, false). */
    record Value(String text, boolean quoted) {}
}

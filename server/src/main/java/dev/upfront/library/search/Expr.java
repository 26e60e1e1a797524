package dev.upfront.library.search;

import java.util.List;

/** A parsed {@code searchQuery}: comparisons combined with AND / OR. Immutable. */
public sealed interface Expr {
    record And(List<Expr> terms) implements Expr {}

    record Or(List<Expr> terms) implements Expr {}

    /**
     * {@code field op value}, or {@code field IN [values]} (then {@code values} has several entries).
     *
     * @param field as written, e.g. {@code name}, {@code customMetadata.brand}
     */
    record Comparison(String field, Op op, List<Value> values) implements Expr {}

    enum Op { EQ, NOT_EQ, GT, GTE, LT, LTE, PREFIX, IN, NOT_IN }

    /** A literal: a quoted string, a number, or a bare word (true, false). */
    record Value(String text, boolean quoted) {}
}

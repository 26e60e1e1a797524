package dev.upfront.http;

import java.util.regex.Pattern;

/**
 * A single HTTP byte range (RFC 9110 §14): {@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}. Several ranges, a
 * unit other than bytes, or an {@code If-Range} that no longer matches serve the whole file (allowed by the RFC).
 */
final class ByteRange {
    static final long[] UNSATISFIABLE = new long[0];
    private static final Pattern DIGITS = Pattern.compile("\\d{0,18}");

    private ByteRange() {}

    /** @return {first, last} inclusive, null for the whole file, or {@link #UNSATISFIABLE} */
    static long[] parse(String header, long size, String ifRange, String etag) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        if (ifRange != null && !ifRange.strip().equals(etag)) {
            return null;
        }
        String spec = header.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        if (!DIGITS.matcher(a).matches() || !DIGITS.matcher(b).matches() || a.isEmpty() && b.isEmpty()) {
            return null; // not the RFC's digits ("--1", "+5-"): an invalid header is ignored, not unsatisfiable
        }
        try {
            long first;
            long last;
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    return UNSATISFIABLE;
                }
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(a);
                last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
                if (!b.isEmpty() && Long.parseLong(b) < first) {
                    return null; // syntactically invalid: ignore the header
                }
            }
            if (first >= size || size == 0) {
                return UNSATISFIABLE;
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

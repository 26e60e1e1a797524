package dev.upfront.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Writes Java values as JavaScript's {@code JSON.stringify} writes the equivalent JS values, byte for byte, so that
 * what Java signs (JWT payloads) and sends (JSON-valued upload fields) equals what ImageKit's JavaScript SDKs and
 * {@code jsonwebtoken} produce: no whitespace, map keys in iteration order, only {@code "}, {@code \}, control
 * characters and lone surrogates escaped (lowercase hex), numbers in JavaScript's shortest form.
 *
 * <p>Accepts null, {@link String}, {@link Character}, {@link Boolean}, {@link Number}, {@link Map} (keys turned into
 * strings), {@link Collection} and arrays of objects. Non-finite numbers become {@code null}, as in JavaScript.
 */
public final class JsonText {
    private JsonText() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence || value instanceof Character) {
            string(value.toString(), out);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Number) {
            number((Number) value, out);
        } else if (value instanceof Map<?, ?>) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(String.valueOf(e.getKey()), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Collection<?> || value instanceof Object[]) {
            Iterable<?> items = value instanceof Object[] ? Arrays.asList((Object[]) value) : (Collection<?>) value;
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean loneSurrogate = Character.isHighSurrogate(c)
                            ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || loneSurrogate) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** JavaScript's Number::toString: integers without a fraction, exponent form outside [1e-7, 1e21). */
    private static void number(Number n, StringBuilder out) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof BigInteger) {
            out.append(n);
            return;
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
            return;
        }
        if (d == 0) {
            out.append('0'); // JSON.stringify(-0) is "0"
            return;
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - exact.scale(); // value = 0.digits * 10^exponent
        String sign = d < 0 ? "-" : "";
        if (exponent > 21 || exponent < -5) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int e = exponent - 1;
            out.append(sign).append(mantissa).append('e').append(e > 0 ? "+" : "").append(e);
        } else {
            out.append(sign).append(exact.abs().toPlainString());
        }
    }
}

package dev.upfront.transform;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses ImageKit transformation strings (reference §6.2): {@code w-300,h-200:rt-90}, from the path
 * ({@code /tr:...}) or the query ({@code ?tr=...}). Steps are separated by ':', parameters by ',', a key from its
 * value by the first '-'. Unknown keys and invalid values are refused with a 400 naming them. Named
 * transformations ({@code n-<name>}) expand in place. Thread-safe.
 */
public final class TransformParser {
    /** ImageKit's built-in thumbnail of the media library. */
    public static final Map<String, String> BUILT_IN = Map.of("ik_ml_thumbnail", "w-400,h-300,c-at_max,q-80");
    private static final int MAX_STEPS = 10;
    private static final int MAX_LENGTH = 2048;
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?");
    /** Plain decimal digits only: Java's parsers would also take "+5", " 5", "5d", "5f" and "1e3". */
    private static final Pattern WHOLE = Pattern.compile("\\d{1,9}");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?");
    private static final Map<String, Long> COLORS = Map.of(
            "white", 0xFFFFFFFFL, "black", 0x000000FFL, "red", 0xFF0000FFL, "green", 0x008000FFL, "blue", 0x0000FFFFL,
            "gray", 0x808080FFL, "grey", 0x808080FFL, "transparent", 0x00000000L);

    private final Map<String, String> named;

    /**
     * Reads {@code UPFRONT_NAMED_TRANSFORMATIONS}: {@code name=w-100,h-100;other=w-50:rt-90}.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static Map<String, String> namedFromConfig(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        TransformParser check = new TransformParser(Map.of());
        for (String entry : text.split(";")) {
            int eq = entry.indexOf('=');
            String name = eq < 0 ? "" : entry.substring(0, eq).strip();
            if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("expected name=transformation, got '" + entry.strip() + "'");
            }
            String definition = entry.substring(eq + 1).strip();
            try {
                check.parse(definition);
            } catch (ApiException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage());
            }
            if (definition.contains("n-")) {
                throw new IllegalArgumentException(name + ": a named transformation cannot use another");
            }
            out.put(name, definition);
        }
        return out;
    }

    /** @param named named transformations ({@code name -> "w-100,h-100"}), in addition to {@link #BUILT_IN} */
    public TransformParser(Map<String, String> named) {
        Map<String, String> all = new LinkedHashMap<>(BUILT_IN);
        all.putAll(named);
        this.named = Map.copyOf(all);
    }

    public Transformation parse(String text) {
        if (text == null || text.isEmpty()) {
            return Transformation.NONE;
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid("The transformation is longer than " + MAX_LENGTH + " characters.");
        }
        List<Step> steps = new ArrayList<>();
        List<String> canonical = new ArrayList<>();
        boolean namedOnly = true;
        for (String stepText : text.split(":", -1)) {
            namedOnly &= stepText.startsWith("n-");
            for (String expanded : expand(stepText)) {
                Map<String, String> params = params(expanded);
                steps.add(step(params));
                canonical.add(canonical(params));
            }
        }
        if (steps.size() > MAX_STEPS) {
            throw invalid("A transformation may chain at most " + MAX_STEPS + " steps.");
        }
        return new Transformation(steps, String.join(":", canonical), namedOnly);
    }

    /** A step that is (or contains) {@code n-<name>} becomes the named chain's steps; other params are refused beside it. */
    private List<String> expand(String stepText) {
        if (stepText.isEmpty()) {
            throw invalid("A transformation step is empty.");
        }
        List<String> parts = List.of(stepText.split(",", -1));
        List<String> namedParts = parts.stream().filter(p -> p.startsWith("n-")).toList();
        if (namedParts.isEmpty()) {
            return List.of(stepText);
        }
        if (parts.size() > 1) {
            throw invalid("A named transformation (n-) must be a step of its own.");
        }
        String name = namedParts.getFirst().substring(2);
        String definition = named.get(name);
        if (definition == null) {
            throw invalid("Unknown named transformation '" + name + "'.");
        }
        return List.of(definition.split(":"));
    }

    private static Map<String, String> params(String stepText) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : stepText.split(",", -1)) {
            int dash = part.indexOf('-');
            if (dash <= 0 || dash == part.length() - 1) {
                throw invalid("Invalid transformation parameter '" + part + "'.");
            }
            String key = part.substring(0, dash);
            if (params.put(key, part.substring(dash + 1)) != null) {
                throw invalid("The transformation parameter '" + key + "' is given twice in one step.");
            }
        }
        return params;
    }

    private static Step step(Map<String, String> p) {
        for (String key : p.keySet()) {
            if (!List.of("w", "h", "ar", "c", "cm", "fo", "x", "y", "xc", "yc", "q", "f", "bl", "rt", "dpr", "bg", "r", "orig").contains(key)) {
                throw invalid("Unsupported transformation parameter '" + key + "'.");
            }
        }
        Double w = dimension(p, "w");
        Double h = dimension(p, "h");
        Double ar = aspectRatio(p.get("ar"));
        if (ar != null && w == null && h == null) {
            throw invalid("The ar parameter needs w or h.");
        }
        Double dpr = p.containsKey("dpr") ? decimal("dpr", p.get("dpr"), 0.1, 5) : null;
        if (dpr != null && w == null && h == null) {
            throw invalid("The dpr parameter needs w or h.");
        }
        return new Step(w, h, ar,
                p.containsKey("c") ? enumValue("c", p.get("c"), Step.Crop.class) : null,
                p.containsKey("cm") ? enumValue("cm", p.get("cm"), Step.CropMode.class) : null,
                p.containsKey("fo") ? enumValue("fo", p.get("fo"), Step.Focus.class) : null,
                integer(p, "x", 0, 65535), integer(p, "y", 0, 65535), integer(p, "xc", 0, 65535), integer(p, "yc", 0, 65535),
                integer(p, "q", 1, 100),
                p.containsKey("f") ? format(p.get("f")) : null,
                integer(p, "bl", 1, 100),
                rotation(p.get("rt")),
                dpr,
                p.containsKey("bg") ? color(p.get("bg")) : null,
                p.containsKey("r") ? ("max".equals(p.get("r")) ? Step.MAX_RADIUS : integer(p, "r", 1, 10000)) : null,
                original(p.get("orig")));
    }

    private static Double dimension(Map<String, String> p, String key) {
        if (!p.containsKey(key)) {
            return null;
        }
        double v = decimal(key, p.get(key), 0, 65535);
        if (v <= 0 || (v >= 1 && v != Math.floor(v))) {
            throw invalid("The " + key + " parameter must be whole pixels, or a fraction between 0 and 1.");
        }
        return v;
    }

    private static Double aspectRatio(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split("-");
        if (parts.length != 2) {
            throw invalid("The ar parameter must be width-height, e.g. ar-4-3.");
        }
        double a = decimal("ar", parts[0], 0.001, 65535);
        double b = decimal("ar", parts[1], 0.001, 65535);
        return a / b;
    }

    private static Integer integer(Map<String, String> p, String key, int min, int max) {
        String value = p.get(key);
        if (value == null) {
            return null;
        }
        try {
            int n = parseWhole(value);
            if (n < min || n > max) {
                throw invalid("The " + key + " parameter must be between " + min + " and " + max + ".");
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid("The " + key + " parameter must be a whole number, got '" + value + "'.");
        }
    }

    private static double decimal(String key, String value, double min, double max) {
        try {
            if (!DECIMAL.matcher(value).matches()) {
                throw new NumberFormatException(value);
            }
            double v = Double.parseDouble(value);
            if (!(v >= min && v <= max)) {
                throw invalid("The " + key + " parameter must be between " + min + " and " + max + ".");
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid("The " + key + " parameter must be a number, got '" + value + "'.");
        }
    }

    private static <E extends Enum<E>> E enumValue(String key, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid value '" + value + "' for the " + key + " parameter.");
        }
    }

    private static Step.Format format(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "auto" -> Step.Format.AUTO;
            case "jpg", "jpeg" -> Step.Format.JPG;
            case "png" -> Step.Format.PNG;
            case "webp" -> Step.Format.WEBP;
            case "avif" -> Step.Format.AVIF;
            default -> throw invalid("Invalid value '" + value + "' for the f parameter (auto, jpg, png, webp, avif).");
        };
    }

    private static Integer rotation(String value) {
        if (value == null) {
            return null;
        }
        if (value.equals("auto")) {
            return Step.AUTO_ROTATION;
        }
        boolean counter = value.startsWith("N");
        try {
            int degrees = parseWhole(counter ? value.substring(1) : value);
            if (degrees < 0 || degrees > 360) {
                throw invalid("The rt parameter must be between 0 and 360, N<degrees>, or auto.");
            }
            return counter ? (360 - degrees) % 360 : degrees % 360;
        } catch (NumberFormatException e) {
            throw invalid("Invalid value '" + value + "' for the rt parameter.");
        }
    }

    private static int parseWhole(String value) {
        if (!WHOLE.matcher(value).matches()) {
            throw new NumberFormatException(value);
        }
        return Integer.parseInt(value);
    }

    private static Long color(String value) {
        Long named = COLORS.get(value.toLowerCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        if (!HEX.matcher(value).matches()) {
            throw invalid("Invalid value '" + value + "' for the bg parameter (RRGGBB, RRGGBBAA or a colour name).");
        }
        long rgb = Long.parseLong(value, 16);
        return value.length() == 6 ? (rgb << 8) | 0xFF : rgb;
    }

    private static boolean original(String value) {
        if (value == null) {
            return false;
        }
        if (!value.equals("true")) {
            throw invalid("The orig parameter only takes true.");
        }
        return true;
    }

    private static String canonical(Map<String, String> params) {
        return params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "-" + e.getValue()).reduce((a, b) -> a + "," + b).orElse("");
    }

    private static ApiException invalid(String why) {
        return new ApiException(ErrorCode.TRANSFORMATION_INVALID, why);
    }
}

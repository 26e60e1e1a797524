package dev.upfront.upload;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * File names as ImageKit shapes them: letters, marks and numbers (any script), '.', '-' and '_' are kept; any other
 * character, space included, becomes '_' (invisible format characters too: a zero-width joiner inside a Persian
 * word, a bidi override). Names that cannot be made safe by replacement are refused: control characters (CR, LF,
 * NUL…), path separators, and names that are only dots.
 */
public final class FileNames {
    /** Longest stored name, in UTF-8 bytes (most filesystems' limit, and ample for URLs). */
    public static final int MAX_BYTES = 255;

    private FileNames() {}

    public static String sanitize(String raw) {
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        if (name.isEmpty()) {
            throw new ApiException(ErrorCode.MISSING_FILE_NAME);
        }
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp)) {
                throw invalid("It must not contain control characters.");
            }
            if (cp == '/' || cp == '\\') {
                throw invalid("It must not contain a path; use the folder parameter.");
            }
            boolean kept = isLetterMarkOrNumber(cp) || cp == '.' || cp == '-' || cp == '_';
            out.appendCodePoint(kept ? cp : '_');
        }
        String result = out.toString();
        if (result.chars().allMatch(c -> c == '.')) {
            throw invalid("It must not consist of dots only.");
        }
        if (result.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid("It must not be longer than " + MAX_BYTES + " bytes.");
        }
        return result;
    }

    /**
     * Unicode letters, marks and numbers (general categories L, M, N): ImageKit keeps "unicode letters, marks, and
     * numerals in other languages". Marks include spacing ones (Mc), such as the Devanagari vowel sign in 'फ़ोल्डर'.
     */
    static boolean isLetterMarkOrNumber(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /**
     * {@code name} with '_' and 9 random characters before its extension: 'a.jpg' → 'a_Xy3_kLm9Q.jpg'. The part
     * before the extension is shortened when needed so the result still fits {@value #MAX_BYTES} bytes.
     */
    public static String withUniqueSuffix(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot <= 0 ? name : name.substring(0, dot);
        String extension = dot <= 0 ? "" : name.substring(dot);
        String suffix = "_" + Ids.nameSuffix();
        int room = MAX_BYTES - suffix.length() - extension.getBytes(StandardCharsets.UTF_8).length;
        while (base.getBytes(StandardCharsets.UTF_8).length > room && !base.isEmpty()) {
            base = base.substring(0, base.offsetByCodePoints(base.length(), -1));
        }
        return base + suffix + extension;
    }

    private static ApiException invalid(String why) {
        return new ApiException(ErrorCode.INVALID_FIELD, "fileName", why);
    }
}

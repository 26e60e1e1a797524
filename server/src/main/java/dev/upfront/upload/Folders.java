package dev.upfront.upload;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.text.Normalizer;

/**
 * Folder paths: '/', or '/a/b/' with a leading and a trailing slash. Letters, marks, numbers, '-' and '_' are kept in a
 * segment, other characters become '_'; '.' and '..' segments and control characters are refused, so a folder
 * can never name anything outside the library. At most {@value #MAX_DEPTH} levels.
 */
public final class Folders {
    public static final int MAX_DEPTH = 50;
    private static final int MAX_SEGMENT_CHARS = 255;

    private Folders() {}

    public static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return "/";
        }
        String text = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder("/");
        int depth = 0;
        for (String segment : text.split("/", -1)) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid("It must not contain '.' or '..' segments.");
            }
            if (++depth > MAX_DEPTH) {
                throw invalid("It must not be nested more than " + MAX_DEPTH + " levels deep.");
            }
            if (segment.length() > MAX_SEGMENT_CHARS) {
                throw invalid("A folder name must not be longer than " + MAX_SEGMENT_CHARS + " characters.");
            }
            for (int i = 0; i < segment.length(); ) {
                int cp = segment.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.isISOControl(cp)) {
                    throw invalid("It must not contain control characters.");
                }
                boolean kept = FileNames.isLetterMarkOrNumber(cp) || cp == '-' || cp == '_';
                out.appendCodePoint(kept ? cp : '_');
            }
            out.append('/');
        }
        return out.toString();
    }

    /** How many levels deep a normalized path is: '/' is 0, '/a/b/' is 2. */
    public static int depth(String normalizedPath) {
        return (int) normalizedPath.chars().filter(ch -> ch == '/').count() - 1;
    }

    private static ApiException invalid(String why) {
        return new ApiException(ErrorCode.INVALID_FIELD, "folder", why);
    }
}

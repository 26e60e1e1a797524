package dev.upfront.delivery;

import java.time.Instant;
import java.util.Arrays;

/** Conditional GET (RFC 9110 §13.1), for every response that carries an ETag. */
public final class Conditional {
    private Conditional() {}

    /**
     * Whether the client's copy is current: If-None-Match wins over If-Modified-Since.
     *
     * @param ifNoneMatch the header, or null
     * @param ifModifiedSince the parsed header, or null when absent or unparseable
     */
    public static boolean notModified(String ifNoneMatch, Instant ifModifiedSince, String etag, Instant modified) {
        if (ifNoneMatch != null) {
            return ifNoneMatch.strip().equals("*") || Arrays.stream(ifNoneMatch.split(","))
                    .map(tag -> tag.strip().replaceFirst("^W/", "")).anyMatch(etag::equals);
        }
        return ifModifiedSince != null && modified != null && !modified.isAfter(ifModifiedSince);
    }
}

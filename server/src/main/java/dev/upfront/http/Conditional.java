package dev.upfront.http;

import java.time.Instant;
import java.util.Arrays;
import org.eclipse.jetty.http.DateParser;

/** Conditional GET (RFC 9110 §13.1), shared by every route that sends an ETag. */
final class Conditional {
    private Conditional() {}

    /** Whether the client's copy is current: If-None-Match wins over If-Modified-Since. */
    static boolean notModified(Exchange ex, String etag, Instant modified) {
        String ifNoneMatch = ex.header("If-None-Match");
        if (ifNoneMatch != null) {
            return ifNoneMatch.strip().equals("*") || Arrays.stream(ifNoneMatch.split(","))
                    .map(t -> t.strip().replaceFirst("^W/", "")).anyMatch(etag::equals);
        }
        String since = ex.header("If-Modified-Since");
        if (since != null) {
            long t = DateParser.parseDate(since);
            return t >= 0 && !modified.isAfter(Instant.ofEpochMilli(t));
        }
        return false;
    }
}

package dev.upfront.library;

import java.util.List;

/**
 * What the library holds, in totals: current versions' files and bytes by format and by top-level folder, and
 * uploads (new versions) per UTC day since a given instant. For the dashboard's overview page.
 *
 * @param byFormat one bucket per format ('jpg', 'pdf'...), most bytes first
 * @param byTopFolder one bucket per top-level folder ('/a/'; '/' for files at the root), most bytes first
 * @param uploadsPerDay days that had uploads, oldest first; days without are absent
 */
public record LibraryOverview(List<Bucket> byFormat, List<Bucket> byTopFolder, List<Day> uploadsPerDay) {

    /** Files and their bytes (current versions) under one key. */
    public record Bucket(String key, long files, long bytes) {}

    /** @param epochDay days since 1970-01-01 (UTC) */
    public record Day(long epochDay, long uploads) {}
}

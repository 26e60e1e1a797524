package dev.upfront.dashboard;

import dev.upfront.library.Library;
import dev.upfront.library.LibraryOverview;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's overview: the library's totals by format and by top-level folder, and uploads per UTC day over
 * the last {@link #DAYS} days (today included), every day present, zero when nothing was uploaded.
 */
public final class Overview {
    static final int DAYS = 30;

    /** One day of the chart. @param date ISO 8601 ('2026-12-06') */
    public record Day(String date, long uploads) {}

    public record Report(List<LibraryOverview.Bucket> byFormat, List<LibraryOverview.Bucket> byTopFolder, List<Day> uploadsPerDay) {}

    private final Library library;
    private final InstantSource clock;

    public Overview(Library library, InstantSource clock) {
        this.library = library;
        this.clock = clock;
    }

    public Report report() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAYS - 1);
        LibraryOverview totals = library.overview(first.atStartOfDay(ZoneOffset.UTC).toInstant());
        Map<Long, Long> counted = new HashMap<>();
        totals.uploadsPerDay().forEach(d -> counted.put(d.epochDay(), d.uploads()));
        List<Day> days = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            days.add(new Day(d.toString(), counted.getOrDefault(d.toEpochDay(), 0L)));
        }
        return new Report(totals.byFormat(), totals.byTopFolder(), days);
    }
}

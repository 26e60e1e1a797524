package dev.upfront.library.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.db.Database;
import dev.upfront.ids.Ids;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Library;
import dev.upfront.library.StoredFile;
import dev.upfront.testing.Postgres;
import dev.upfront.testing.RoundTripCounter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The network round trips a batch of uploads costs on PostgreSQL, where each one is a wait of the group commit's
 * serial path: counted at the wire, in front of the database.
 */
class UploadRoundTripsTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final int UPLOADS = 20;

    @Test
    void aBatchOfNewFilesCostsAFewRoundTripsPerUpload() {
        try (RoundTripCounter counter = new RoundTripCounter(Postgres.freshDatabaseUrl());
             Database db = Database.openPostgres(counter.url())) {
            JdbcLibrary library = new JdbcLibrary(db);
            library.writeEach(uploads("warm")); // the pool's connections and the driver's prepared statements
            long before = counter.roundTrips();
            List<Library.Outcome<Boolean>> outcomes = library.writeEach(uploads("counted"));
            long roundTrips = counter.roundTrips() - before;
            // As the group commit calls it: each upload names the path it reads first.
            List<String> paths = IntStream.range(0, UPLOADS).mapToObj(i -> path("hinted", i)).toList();
            before = counter.roundTrips();
            List<Library.Outcome<Boolean>> hintedOutcomes = library.writeEach(uploads("hinted"), paths, () -> {});
            long hinted = counter.roundTrips() - before;

            assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isTrue());
            assertThat(hintedOutcomes).allSatisfy(o -> assertThat(o.value()).isTrue());
            System.out.printf("%d uploads in one batch: %d round trips (%.2f per upload); with their paths named: %d (%.2f)%n",
                    UPLOADS, roundTrips, roundTrips / (double) UPLOADS, hinted, hinted / (double) UPLOADS);
            assertThat(roundTrips).isLessThanOrEqualTo(UPLOADS * 4 + 3);
            assertThat(hinted).isLessThanOrEqualTo(UPLOADS * 3 + 3);
        }
    }

    private static String path(String prefix, int i) {
        return "/" + prefix + "-" + i + ".jpg";
    }

    /** New files in the root folder, as the upload benchmark sends them: what an upload's work writes. */
    private static List<Function<Library.Writer, Boolean>> uploads(String prefix) {
        List<Function<Library.Writer, Boolean>> works = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            String path = path(prefix, i);
            String id = Ids.objectId();
            works.add(w -> {
                if (w.currentByPath(path).isPresent()) {
                    throw new IllegalStateException("exists");
                }
                w.ensureFolder("/", T);
                w.insertFile(new StoredFile(id, path, "/", path.substring(1), id, 1, T, T));
                w.insertVersion(new FileVersion(id, id, 1, id, 100, "00", "image/jpeg", "image", 10, 10, false, null, null,
                        Map.of(), null, null, false, true, T, T, null));
                return true;
            });
        }
        return works;
    }
}

package dev.upfront.library.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.db.Database;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.FileQuery;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Library;
import dev.upfront.library.StoredFile;
import dev.upfront.library.search.SearchQueryParser;
import dev.upfront.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A listing past the search time limit is a 400 {@code SEARCH_TIMEOUT} naming the limit, not a 500 or a wait; within
 * it, the same listing answers. SQLite looks at the clock every few thousand steps, so a limit of a nanosecond stops
 * any listing that reads a thousand rows: the outcome does not depend on the machine's speed.
 */
class SearchTimeoutTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private static final int FILES = 1000;

    @Test
    void aListingPastTheLimitIsRefusedWithTheLimitNamed() {
        try (TestDatabases databases = TestDatabases.sqlite()) {
            Database db = databases.open();
            fill(new JdbcLibrary(db));
            FileQuery scan = query("customMetadata.brand HAS \"acme\" OR size > 0");

            Library unhurried = new JdbcLibrary(db, EventLog.NONE, JdbcLibrary.DEFAULT_SEARCH_LIMIT);
            assertThat(unhurried.listFiles(scan)).hasSize(100);

            Library hurried = new JdbcLibrary(db, EventLog.NONE, Duration.ofNanos(1));
            assertThatThrownBy(() -> hurried.listFiles(scan)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.SEARCH_TIMEOUT);
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).contains("longer than 0.000000001 seconds");
            });
            // The connection it stopped on serves the next listing in full.
            assertThat(unhurried.listFiles(scan)).hasSize(100);
        }
    }

    private static FileQuery query(String searchQuery) {
        return new FileQuery(FileQuery.Versions.CURRENT, null, null, null, null, SearchQueryParser.parse(searchQuery), T,
                FileQuery.Sort.NAME, false, 100, FILES - 100);
    }

    private static void fill(Library library) {
        library.write(w -> {
            w.ensureFolder("/t/", T);
            for (int i = 0; i < FILES; i++) {
                String id = "%024d".formatted(i);
                String name = "photo-%03d.jpg".formatted(i);
                Instant at = T.plusSeconds(i);
                w.insertFile(new StoredFile(id, "/t/" + name, "/t/", name, id, 1, at, at));
                w.insertVersion(new FileVersion(id, id, 1, id, 1000 + i, "%032x".formatted(i), "image/jpeg", "image", 10, 10,
                        false, List.of(), null, Map.of("brand", i % 2 == 0 ? "acme corp" : "other"), null, null, false, true, at, at));
            }
            return null;
        });
    }
}

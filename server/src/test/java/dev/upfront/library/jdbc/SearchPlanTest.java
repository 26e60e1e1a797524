package dev.upfront.library.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.library.FileQuery;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Library;
import dev.upfront.library.StoredFile;
import dev.upfront.library.search.SearchQueryParser;
import dev.upfront.testing.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Search picks its plan by how many rows a condition matches (SQLite): driving from the index, or filtering the
 * ordered scan. Both must return the same rows in the same order; a page of one row (which makes every condition
 * here "common") and a page of a hundred (which makes every one "rare") exercise both on one library.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchPlanTest {
    private static final int FILES = 60;
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private final TestDatabases databases = TestDatabases.sqlite();
    private Library library;

    @BeforeAll
    void fill() {
        library = new JdbcLibrary(databases.open());
        library.write(w -> {
            w.ensureFolder("/plan/", T);
            for (int i = 0; i < FILES; i++) {
                String id = "%024d".formatted(i);
                String name = (i % 3 == 0 ? "alpha-" : "beta-") + "%03d.jpg".formatted(FILES - i);
                Instant at = T.plusSeconds(i);
                List<String> tags = i % 20 == 7 ? List.of("common", "rare") : List.of("common");
                w.insertFile(new StoredFile(id, "/plan/" + name, "/plan/", name, id, 1, at, at));
                w.insertVersion(new FileVersion(id, id, 1, id, 1000 + i, "%032x".formatted(i), "image/jpeg", "image", 10 * i, 5 * i,
                        false, tags, null, Map.of(), null, null, false, true, at, at));
            }
            return null;
        });
    }

    @AfterAll
    void close() {
        databases.close();
    }

    @Test
    void everyPlanReturnsTheSameRowsInTheSameOrder() {
        check("tags IN [\"common\"]", i -> true);
        check("tags = \"rare\"", i -> i % 20 == 7);
        check("tags IN [\"absent\"]", i -> false);
        check("width > 100", i -> 10 * i > 100);
        check("width <= 30", i -> 10 * i <= 30);
        check("size >= 1050", i -> 1000 + i >= 1050);
        check("format = \"jpg\"", i -> true);
        check("name : \"alpha-\"", i -> i % 3 == 0);
        check("name : \"beta-05\"", i -> i % 3 != 0 && FILES - i >= 50 && FILES - i <= 59);
        check("createdAt > \"2024-01-01T00:00:30Z\"", i -> i > 30);
        check("tags = \"rare\" OR width < 20", i -> i % 20 == 7 || 10 * i < 20);
        check("tags NOT IN [\"rare\"] AND width > 500", i -> i % 20 != 7 && 10 * i > 500);
    }

    @Test
    void theSqlNamesTheChosenPlan() {
        SearchSql.Hints few = new SearchSql.Hints(true, (fromWhere, params, cap) -> 0, 100_000, 100);
        SearchSql.Hints many = new SearchSql.Hints(true, (fromWhere, params, cap) -> cap, 100_000, 100);
        String query = "tags = \"x\" AND width > 5 AND name : \"ab\" AND createdAt > \"2024-01-01\"";
        String driving = SearchSql.compile(SearchQueryParser.parse(query), T, Dialect.SQLITE, few).sql();
        String scanning = SearchSql.compile(SearchQueryParser.parse(query), T, Dialect.SQLITE, many).sql();
        assertThat(driving).contains("v.version_id IN (SELECT t.version_id FROM version_tags t", "(v.width > ?)", "f.name >= ?",
                "(f.created_at > ?)").doesNotContain("CASE");
        assertThat(scanning).contains("EXISTS (SELECT 1 FROM version_tags t", "+v.width > ?").doesNotContain("f.name >= ?");
    }

    /** Pages of one row, then one page of a hundred, both equal to the expected files in creation order. */
    private void check(String search, IntPredicate expected) {
        List<String> want = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            if (expected.test(i)) {
                want.add("%024d".formatted(i));
            }
        }
        List<String> paged = new ArrayList<>();
        for (int skip = 0; skip <= FILES; skip++) {
            List<String> page = ids(search, 1, skip);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(page);
        }
        assertThat(paged).as(search + ", one row a page").containsExactlyElementsOf(want);
        assertThat(ids(search, 100, 0)).as(search + ", one page").containsExactlyElementsOf(want);
    }

    private List<String> ids(String search, int limit, int skip) {
        return library.listFiles(new FileQuery(FileQuery.Versions.CURRENT, null, null, null, null, SearchQueryParser.parse(search), T,
                FileQuery.Sort.CREATED, false, limit, skip)).stream().map(f -> f.file().fileId()).toList();
    }
}

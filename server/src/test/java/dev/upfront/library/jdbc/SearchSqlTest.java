package dev.upfront.library.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.library.search.SearchQueryParser;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link SearchSql}: the values it binds for dates and ages, which the HTTP tests cannot pin to the millisecond. */
class SearchSqlTest {
    static final Instant NOW = Instant.parse("2024-03-31T12:00:00Z");

    static Object bound(String query) {
        SearchSql.Condition c = SearchSql.compile(SearchQueryParser.parse(query), NOW);
        assertThat(c.params()).hasSize(1);
        return c.params().getFirst();
    }

    static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void listingCurrentVersionsComparesTheFilesOwnTimesSoAnIndexCanSeek() {
        var query = SearchQueryParser.parse("createdAt <= \"2024-03-01T00:00:00.250Z\" AND updatedAt > \"1d\"");
        SearchSql.Condition current = SearchSql.compile(query, NOW, Dialect.SQLITE, new SearchSql.Hints(true, null, 0, 0));
        assertThat(current.sql()).isEqualTo("(f.created_at <= ?) AND (f.updated_at > ?)");
        assertThat(current.params()).containsExactly(millis("2024-03-01T00:00:00.250Z"), millis("2024-03-30T12:00:00Z"));
        assertThat(SearchSql.compile(query, NOW, Dialect.SQLITE, SearchSql.Hints.NONE).sql()).as("versions too: a version's own times")
                .contains("CASE WHEN v.version_id = f.current_version_id THEN f.created_at ELSE v.created_at END");
    }

    @Test
    void aNegatedTagConditionOnPostgresProbesTheFilesCurrentVersionSoTheWalkSkipsTheVersionRow() {
        SearchSql.Hints current = new SearchSql.Hints(true, null, 0, 0);
        String own = "t.version_id = f.current_version_id";
        String joined = "t.version_id = v.version_id";
        assertThat(sql("tags NOT IN [\"a\", \"b\"]", Dialect.POSTGRESQL, current)).contains(own).doesNotContain(joined);
        assertThat(sql("tags != \"a\" AND (width > 5 AND tags NOT EXISTS)", Dialect.POSTGRESQL, current)).contains(own).doesNotContain(joined);
        assertThat(sql("tags NOT IN [\"a\"] OR width > 5", Dialect.POSTGRESQL, current)).as("a sub-plan under an OR").contains(joined)
                .doesNotContain(own);
        assertThat(sql("tags NOT IN [\"a\"] AND (tags != \"b\" OR width > 5)", Dialect.POSTGRESQL, current))
                .contains(own, joined);
        assertThat(sql("tags NOT IN [\"a\"]", Dialect.POSTGRESQL, SearchSql.Hints.NONE)).as("older versions too").contains(joined)
                .doesNotContain(own);
        assertThat(sql("tags NOT IN [\"a\"]", Dialect.SQLITE, current)).contains(joined).doesNotContain(own);
        assertThat(sql("tags IN [\"a\"] AND tags EXISTS", Dialect.POSTGRESQL, current)).as("a semi-join moves by itself")
                .contains(joined).doesNotContain(own);
    }

    private static String sql(String query, Dialect dialect, SearchSql.Hints hints) {
        return SearchSql.compile(SearchQueryParser.parse(query), NOW, dialect, hints).sql();
    }

    @Test
    void relativeAgesCountBackFromNow() {
        assertThat(bound("createdAt > \"3h\"")).isEqualTo(millis("2024-03-31T09:00:00Z"));
        assertThat(bound("createdAt > \"2d\"")).isEqualTo(millis("2024-03-29T12:00:00Z"));
        assertThat(bound("createdAt > 1w")).isEqualTo(millis("2024-03-24T12:00:00Z"));
        assertThat(bound("createdAt > \"1y\"")).isEqualTo(millis("2023-03-31T12:00:00Z"));
    }

    @Test
    void mIsMonthsNotMinutes() {
        assertThat(bound("createdAt > \"1m\"")).isEqualTo(millis("2024-02-29T12:00:00Z"));
        assertThat(bound("updatedAt < 13m")).isEqualTo(millis("2023-02-28T12:00:00Z"));
    }

    @Test
    void isoDatesAndDateTimesAreUtcUnlessTheySayOtherwise() {
        assertThat(bound("createdAt > 2020-01-02")).isEqualTo(millis("2020-01-02T00:00:00Z"));
        assertThat(bound("createdAt > \"2020-01-02T03:04:05\"")).isEqualTo(millis("2020-01-02T03:04:05Z"));
        assertThat(bound("createdAt > 2020-01-02T03:04:05")).isEqualTo(millis("2020-01-02T03:04:05Z"));
        assertThat(bound("createdAt > \"2020-01-02T03:04:05.678Z\"")).isEqualTo(millis("2020-01-02T03:04:05.678Z"));
        assertThat(bound("createdAt > \"2020-01-02T03:04:05+02:00\"")).isEqualTo(millis("2020-01-02T01:04:05Z"));
    }

    @Test
    void sizesUsePowersOf1024() {
        assertThat(bound("size > \"1kb\"")).isEqualTo(1024L);
        assertThat(bound("size > \"2MB\"")).isEqualTo(2L << 20);
        assertThat(bound("size > 512")).isEqualTo(512L);
    }

    @Test
    void valuesNeverEnterTheSqlText() {
        SearchSql.Condition c = SearchSql.compile(SearchQueryParser.parse(
                "name = \"x' OR 1=1 --\" AND \"customMetadata.brand\" : \"a%\" AND path : \"/a'b/\""), NOW);
        assertThat(c.sql()).doesNotContain("x'").doesNotContain("a%").doesNotContain("a'b");
        assertThat(c.params()).contains("x' OR 1=1 --", "a%", "/a'b/");
    }

    @Test
    void customFieldNamesAreChecked() {
        assertThatThrownBy(() -> SearchSql.compile(SearchQueryParser.parse("\"customMetadata.a') OR 1=1 --\" = 1"), NOW))
                .isInstanceOf(SearchQueryParser.SyntaxError.class).hasMessageContaining("invalid custom metadata field");
    }

    @Test
    void hasBindsWordsAndWordBeginnings() {
        SearchSql.Condition c = SearchSql.compile(SearchQueryParser.parse("name HAS \"Red-DRESS su\""), NOW);
        assertThat(c.params()).containsExactly("% red %", "% dress %", "% su%");
        assertThat(c.sql()).doesNotContain("red").doesNotContain("dress");
        for (Dialect d : Dialect.values()) {
            SearchSql.Condition in = SearchSql.compile(SearchQueryParser.parse("tags HAS \"a_b%c?\""), NOW, d);
            assertThat(in.params()).as("wildcards split words, they never reach LIKE").containsExactly("% a %", "% b %", "% c?%");
            assertThat(in.sql().chars().filter(ch -> ch == '?').count()).isEqualTo(in.params().size());
        }
    }

    @Test
    void exifDateTimesCompareInExifsOwnFormat() {
        SearchSql.Condition c = SearchSql.compile(SearchQueryParser.parse("\"embeddedMetadata.DateTimeOriginal\" > \"1y\""), NOW);
        assertThat(c.params()).containsExactly("2023:03:31 12:00:00");
        assertThat(SearchSql.compile(SearchQueryParser.parse("\"embeddedMetadata.DateTimeOriginal\" < 2020-01-02"), NOW).params())
                .containsExactly("2020:01:02 00:00:00");
    }
}

package dev.upfront.library.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.upfront.library.jdbc.Dialect;
import dev.upfront.library.jdbc.SearchSql;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Fuzzes the {@code searchQuery} language end to end: any text either parses and compiles to SQL whose placeholders
 * match its parameters, or is refused with a {@link SearchQueryParser.SyntaxError} (which the listing answers with a
 * 400). Any other exception, a stack overflow on deep input or a hang is a finding. Inputs are UTF-8 text, so seeds
 * are plain query files.
 */
class SearchQueryFuzzTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @FuzzTest(maxDuration = "5s")
    void parsesAndCompilesOrRefuses(byte[] input) {
        String query = new String(input, StandardCharsets.UTF_8);
        Expr expr;
        try {
            expr = SearchQueryParser.parse(query);
        } catch (SearchQueryParser.SyntaxError refused) {
            return;
        }
        for (Dialect dialect : Dialect.values()) {
            SearchSql.Condition condition;
            try {
                condition = SearchSql.compile(expr, NOW, dialect); // values are checked here (dates, sizes)
            } catch (SearchQueryParser.SyntaxError refused) {
                continue; // the listing answers it with 400 INVALID_SEARCH_QUERY
            }
            long placeholders = condition.sql().chars().filter(c -> c == '?').count();
            assertThat(placeholders).as("placeholders in %s (%s)", condition.sql(), dialect).isEqualTo(condition.params().size());
        }
    }
}

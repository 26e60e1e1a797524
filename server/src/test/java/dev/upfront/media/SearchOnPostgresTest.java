package dev.upfront.media;

import dev.upfront.testing.Postgres;
import java.util.Map;

/** Every {@link SearchTest} case on PostgreSQL: the searchQuery language answers the same on both databases. */
class SearchOnPostgresTest extends SearchTest {
    @Override
    Map<String, String> environment() {
        return Map.of("UPFRONT_DATABASE_URL", Postgres.freshDatabaseUrl());
    }
}

package dev.upfront.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one-time token store on a real SQLite file: first sight wins, replays lose, expired tokens are purged. */
class JdbcTokenStoreTest {
    @Test
    void burnsOnceAndPurgesAfterKeepUntil() throws Exception {
        Path dir = Files.createTempDirectory("upfront-tokens-");
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        try (Database db = Database.openSqlite(dir.resolve("t.db"))) {
            TokenStore store = new JdbcTokenStore(db);
            assertThat(store.burn("a", now.plusSeconds(60))).isTrue();
            assertThat(store.burn("a", now.plusSeconds(60))).isFalse();
            assertThat(store.burn("b", now.plusSeconds(3600))).isTrue();
            assertThat(store.burn("x".repeat(60_000), now.plusSeconds(10))).isTrue(); // stored as a digest
            assertThat(store.purgeExpired(now.plusSeconds(30))).isEqualTo(1);
            assertThat(store.purgeExpired(now.plusSeconds(61))).isEqualTo(1);
            assertThat(store.burn("b", now)).as("still remembered until its keep-until").isFalse();
            assertThat(store.burn("a", now.plusSeconds(120))).as("forgotten after purge; its expire alone refuses it now").isTrue();
        }
    }
}

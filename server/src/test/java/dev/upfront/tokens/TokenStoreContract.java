package dev.upfront.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link TokenStore} promises, run against each implementation: first sight wins, replays lose (also
 * when the replay comes through another instance on the same database), expired tokens are purged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TokenStoreContract {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    /** A store on this class's database, with its own connections (another "instance"). */
    protected abstract TokenStore newInstance();

    private TokenStore store;

    @BeforeAll
    void openFirstInstance() {
        store = newInstance();
    }

    @Test
    void burnsOnceAndPurgesAfterKeepUntil() {
        String a = unique("a");
        String b = unique("b");
        assertThat(store.burn(a, NOW.plusSeconds(60))).isTrue();
        assertThat(store.burn(a, NOW.plusSeconds(60))).isFalse();
        assertThat(store.burn(b, NOW.plusSeconds(3600))).isTrue();
        assertThat(store.burn(unique("x").repeat(2_000), NOW.plusSeconds(10))).as("stored as a digest").isTrue();
        assertThat(store.purgeExpired(NOW.plusSeconds(30))).isGreaterThanOrEqualTo(1);
        assertThat(store.purgeExpired(NOW.plusSeconds(61))).isGreaterThanOrEqualTo(1);
        assertThat(store.burn(b, NOW)).as("still remembered until its keep-until").isFalse();
        assertThat(store.burn(a, NOW.plusSeconds(120))).as("forgotten after purge; its expire alone refuses it now").isTrue();
    }

    @Test
    void aTokenBurnedThroughOneInstanceIsRefusedByAnother() {
        String token = unique("shared");
        assertThat(store.burn(token, NOW.plusSeconds(600))).isTrue();
        assertThat(newInstance().burn(token, NOW.plusSeconds(600))).isFalse();
    }

    @Test
    void exactlyOneOfManyConcurrentBurnsWins() throws Exception {
        List<TokenStore> instances = List.of(store, newInstance());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                String token = unique("race");
                List<Future<Boolean>> burns = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    TokenStore instance = instances.get(i % 2);
                    burns.add(pool.submit(() -> instance.burn(token, NOW.plusSeconds(600))));
                }
                int wins = 0;
                for (Future<Boolean> f : burns) {
                    wins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(wins).as("round " + round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void answersWhenReady() {
        assertThat(store.ready()).isTrue();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}

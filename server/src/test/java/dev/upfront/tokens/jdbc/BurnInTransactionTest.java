package dev.upfront.tokens.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.db.Database;
import dev.upfront.testing.TestDatabases;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A token burned inside another store's transaction (the group commit that records an upload) commits or rolls back
 * with it, is refused a second time within it, and is found by the cheap read that spares replays a write.
 */
class BurnInTransactionTest {
    private static final Instant KEEP = Instant.parse("2026-12-07T12:00:00Z");

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    private abstract static class OnDatabase {
        private final TestDatabases databases = databases();
        final Database db = databases.open();
        final JdbcTokenStore store = new JdbcTokenStore(db);

        abstract TestDatabases databases();

        @AfterAll
        void close() {
            databases.close();
        }

        @Test
        void commitsAndRollsBackWithTheTransaction() {
            String kept = unique();
            String rolledBack = unique();
            boolean first = db.inTransaction(c -> store.burnInTransaction(kept, KEEP));
            assertThat(first).isTrue();
            assertThatThrownBy(() -> db.inTransaction(c -> {
                assertThat(store.burnInTransaction(rolledBack, KEEP)).isTrue();
                throw new IllegalStateException("the upload failed as a whole");
            })).hasMessageContaining("as a whole");
            assertThat(store.isBurned(kept)).isTrue();
            assertThat(store.isBurned(rolledBack)).as("rolled back with its transaction").isFalse();
            assertThat(store.burn(kept, KEEP)).isFalse();
            assertThat(store.burn(rolledBack, KEEP)).isTrue();
        }

        @Test
        void aSecondBurnInOneTransactionMeetsTheFirst() {
            String token = unique();
            boolean[] sights = db.inTransaction(c -> new boolean[] {store.burnInTransaction(token, KEEP), store.burnInTransaction(token, KEEP)});
            assertThat(sights).containsExactly(true, false);
        }

        @Test
        void needsATransactionOnThisThread() {
            assertThatThrownBy(() -> store.burnInTransaction(unique(), KEEP)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class OnSqlite extends OnDatabase {
        @Override
        TestDatabases databases() {
            return TestDatabases.sqlite();
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        @Override
        TestDatabases databases() {
            return TestDatabases.postgres();
        }

        /** Another instance's burn of a token that an open transaction burned waits for it, then loses. */
        @Test
        void aConcurrentBurnWaitsForTheOpenOneAndLoses() throws Exception {
            String token = unique();
            CountDownLatch burned = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> db.inTransaction(c -> {
                boolean won = store.burnInTransaction(token, KEEP);
                burned.countDown();
                await(commit);
                return won;
            }));
            assertThat(burned.await(30, TimeUnit.SECONDS)).isTrue();
            // Another connection of the pool is another session, as another instance's is.
            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> db.inTransaction(c -> store.burnInTransaction(token, KEEP)));
            Thread.sleep(300);
            assertThat(second).as("waits while the first transaction is open").isNotDone();
            commit.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.get(30, TimeUnit.SECONDS)).isFalse();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String unique() {
        return "tx-" + UUID.randomUUID();
    }
}

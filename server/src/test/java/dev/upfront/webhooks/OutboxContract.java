package dev.upfront.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Outbox} promises: a delivery is held by one claim at a time, also across instances and under
 * concurrent claims; a lease that runs out frees it, and the old claim can then no longer finish it; a retry waits
 * for its time; a delivered or stopped delivery is never claimed again.
 */
public abstract class OutboxContract {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(90);

    /** Two outboxes ("instances") on one fresh database. */
    protected abstract List<Outbox> freshInstances();

    private static Outbox.Delivery delivery(String id, String target) {
        return new Outbox.Delivery(id, "event-" + id, "file.created", target, "{\"id\":\"" + id + "\"}", 0, T0);
    }

    @Test
    void aClaimHoldsADeliveryUntilItsLeaseRunsOut() {
        List<Outbox> outboxes = freshInstances();
        Outbox a = outboxes.get(0);
        Outbox b = outboxes.get(1);
        a.enqueue(List.of(delivery("d1", "http://x/1")), T0);
        assertThat(a.nextDue()).contains(T0);

        List<Outbox.Delivery> claimed = a.claim("claim-a", T0, LEASE, 10);
        assertThat(claimed).extracting(Outbox.Delivery::deliveryId).containsExactly("d1");
        assertThat(claimed.getFirst().body()).isEqualTo("{\"id\":\"d1\"}");
        assertThat(b.claim("claim-b", T0.plusSeconds(1), LEASE, 10)).as("held by a").isEmpty();

        Instant expired = T0.plus(LEASE).plusSeconds(1);
        assertThat(b.claim("claim-b", expired, LEASE, 10)).as("a's lease ran out").hasSize(1);
        a.delivered("d1", "claim-a", 1, "HTTP 200");
        assertThat(a.claim("claim-a2", expired.plus(LEASE).plusSeconds(1), LEASE, 10))
                .as("a no longer held it, so its outcome changed nothing, and b's lease ran out too").hasSize(1);
        b.delivered("d1", "claim-a2", 2, "HTTP 200");
        assertThat(b.claim("claim-b2", T0.plus(Duration.ofDays(2)), LEASE, 10)).as("delivered").isEmpty();
        assertThat(b.nextDue()).isEmpty();
    }

    @Test
    void aClaimTakesOnlyTheTargetsItNames() {
        Outbox outbox = freshInstances().getFirst();
        outbox.enqueue(List.of(delivery("u1", "http://upload/1"), delivery("a1", "http://account/hook"),
                delivery("u2", "http://upload/2"), delivery("a2", "http://other-account/hook")), T0);
        Set<String> account = Set.of("http://account/hook", "http://other-account/hook");
        assertThat(outbox.claim("c1", T0, LEASE, 10, Outbox.Targets.allBut(account)))
                .extracting(Outbox.Delivery::deliveryId).containsExactlyInAnyOrder("u1", "u2");
        assertThat(outbox.claim("c2", T0, LEASE, 1, Outbox.Targets.only(account))).hasSize(1);
        assertThat(outbox.claim("c3", T0, LEASE, 10, Outbox.Targets.only(account))).hasSize(1);
        assertThat(outbox.claim("c4", T0, LEASE, 10, Outbox.Targets.only(Set.of()))).isEmpty();
        assertThat(outbox.claim("c5", T0, LEASE, 10, Outbox.Targets.ALL)).as("all held").isEmpty();
    }

    @Test
    void releasedClaimsAreClaimableAtOnceAndTheOldClaimCanNoLongerFinish() {
        List<Outbox> outboxes = freshInstances();
        Outbox dead = outboxes.get(0);
        Outbox restarted = outboxes.get(1);
        dead.enqueue(List.of(delivery("d1", "http://x/1"), delivery("d2", "http://x/2")), T0);
        assertThat(dead.claim("old", T0, LEASE, 10)).hasSize(2);
        assertThat(restarted.claim("new", T0.plusSeconds(1), LEASE, 10)).as("held by the old claim's lease").isEmpty();

        assertThat(restarted.releaseClaims()).isEqualTo(2);
        assertThat(restarted.releaseClaims()).as("nothing left to free").isZero();
        assertThat(restarted.claim("new", T0.plusSeconds(1), LEASE, 10)).extracting(Outbox.Delivery::deliveryId)
                .containsExactlyInAnyOrder("d1", "d2");
        dead.delivered("d1", "old", 1, "200");
        assertThat(restarted.claim("newer", T0.plusSeconds(2 + LEASE.toSeconds()), LEASE, 10))
                .as("the old claim's finish changed nothing: both still pending under the new claim, whose lease ran out")
                .extracting(Outbox.Delivery::deliveryId).containsExactlyInAnyOrder("d1", "d2");
    }

    @Test
    void aRetryWaitsForItsTimeAndKeepsItsAttempts() {
        Outbox outbox = freshInstances().getFirst();
        outbox.enqueue(List.of(delivery("r1", "http://x/r")), T0);
        outbox.claim("c1", T0, LEASE, 10);
        Instant next = T0.plusSeconds(10);
        outbox.retryAt("r1", "c1", 1, next, "HTTP 500");
        assertThat(outbox.nextDue()).contains(next);
        assertThat(outbox.claim("c2", T0.plusSeconds(9), LEASE, 10)).isEmpty();
        List<Outbox.Delivery> again = outbox.claim("c3", next, LEASE, 10);
        assertThat(again).hasSize(1);
        assertThat(again.getFirst().attempts()).isEqualTo(1);
        assertThat(again.getFirst().eventId()).isEqualTo("event-r1");
        outbox.giveUp("r1", "c3", 2, "failed", "HTTP 500");
        assertThat(outbox.claim("c4", T0.plus(Duration.ofDays(2)), LEASE, 10)).isEmpty();
    }

    @Test
    void stoppingATargetEndsItsPendingDeliveriesOnly() {
        Outbox outbox = freshInstances().getFirst();
        outbox.enqueue(List.of(delivery("g1", "http://gone/"), delivery("g2", "http://gone/"), delivery("k1", "http://kept/")), T0);
        assertThat(outbox.stopTarget("http://gone/", "410")).isEqualTo(2);
        assertThat(outbox.claim("c", T0, LEASE, 10)).extracting(Outbox.Delivery::deliveryId).containsExactly("k1");
    }

    @Test
    void concurrentClaimsFromTwoInstancesNeverShareADelivery() throws Exception {
        List<Outbox> outboxes = freshInstances();
        List<Outbox.Delivery> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(delivery("c" + i, "http://x/c"));
        }
        outboxes.getFirst().enqueue(all, T0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Outbox.Delivery>>> claims = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Outbox outbox = outboxes.get(i % 2);
                String claim = "claim-" + i;
                claims.add(pool.submit(() -> {
                    start.await();
                    List<Outbox.Delivery> mine = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        mine.addAll(outbox.claim(claim + "-" + round, T0.plusSeconds(1), LEASE, 3));
                    }
                    return mine;
                }));
            }
            start.countDown();
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (Future<List<Outbox.Delivery>> f : claims) {
                for (Outbox.Delivery d : f.get(120, TimeUnit.SECONDS)) {
                    seen.add(d.deliveryId());
                    total++;
                }
            }
            assertThat(total).as("no delivery claimed twice").isEqualTo(seen.size());
            assertThat(seen).hasSize(40);
        } finally {
            pool.shutdownNow();
        }
    }
}

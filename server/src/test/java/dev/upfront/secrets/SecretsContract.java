package dev.upfront.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link Secrets} promises: a secret is generated once and then kept, also for another instance on the
 * same database, and instances starting together all end up with the same one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SecretsContract {

    /** Secrets on this class's database, with its own connections (another "instance"). */
    protected abstract Secrets newInstance();

    @Test
    void theFirstValueIsKept() {
        String name = "test-" + UUID.randomUUID();
        Secrets secrets = newInstance();
        assertThat(secrets.getOrCreate(name, () -> "first")).isEqualTo("first");
        assertThat(secrets.getOrCreate(name, () -> "second")).isEqualTo("first");
        assertThat(newInstance().getOrCreate(name, () -> "third")).as("another instance").isEqualTo("first");
    }

    @Test
    void secretsAreKeptByName() {
        Secrets secrets = newInstance();
        String a = "a-" + UUID.randomUUID();
        String b = "b-" + UUID.randomUUID();
        assertThat(secrets.getOrCreate(a, () -> "va")).isEqualTo("va");
        assertThat(secrets.getOrCreate(b, () -> "vb")).isEqualTo("vb");
        assertThat(secrets.getOrCreate(a, () -> "other")).isEqualTo("va");
    }

    @Test
    void concurrentFirstStartsAgreeOnOneSecret() throws Exception {
        String name = "race-" + UUID.randomUUID();
        List<Secrets> instances = List.of(newInstance(), newInstance(), newInstance());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Secrets s = instances.get(i % instances.size());
                String mine = "candidate-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return s.getOrCreate(name, () -> mine);
                }));
            }
            start.countDown();
            Set<String> seen = new HashSet<>();
            for (Future<String> f : results) {
                seen.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(seen).hasSize(1);
            assertThat(seen.iterator().next()).startsWith("candidate-");
        } finally {
            pool.shutdownNow();
        }
    }
}

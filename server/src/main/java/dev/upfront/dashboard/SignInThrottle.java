package dev.upfront.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Limits failed sign-ins: per client address and in all, each in fixed windows. Kept in this instance's memory:
 * behind a load balancer each instance counts its own failures (an attacker gets the limit once per instance).
 * A success does not reset the count, so guessing cannot be interleaved with a known good sign-in.
 */
final class SignInThrottle {
    static final int PER_ADDRESS = 10;
    static final int GLOBAL = 100;
    static final Duration WINDOW = Duration.ofMinutes(5);
    /** Past this many addresses the map is cleared rather than allowed to grow (a flood of spoofed sources). */
    private static final int MAX_ADDRESSES = 10_000;

    private record Window(long start, AtomicInteger failures) {}

    /** One try, counted as a failure unless {@link #succeeded} takes it back. */
    record Attempt(AtomicInteger global, AtomicInteger address) {
        void succeeded() {
            global.decrementAndGet();
            address.decrementAndGet();
        }
    }

    private final InstantSource clock;
    private final ConcurrentHashMap<String, Window> byAddress = new ConcurrentHashMap<>();
    private final AtomicReference<Window> global;

    SignInThrottle(InstantSource clock) {
        this.clock = clock;
        this.global = new AtomicReference<>(new Window(windowOf(clock.instant()), new AtomicInteger()));
    }

    /**
     * Counts a try before the secret is checked, or returns null when the address or everyone is out of tries.
     * Counting first, rather than after a failed check, keeps concurrent guesses within the limit: each slow
     * password check would otherwise have been let in by a count that did not yet hold the ones under way.
     */
    Attempt attempt(String address) {
        long now = windowOf(clock.instant());
        Window g = global.updateAndGet(w -> w.start() == now ? w : new Window(now, new AtomicInteger()));
        if (byAddress.size() > MAX_ADDRESSES) {
            byAddress.clear();
        }
        Window a = byAddress.compute(address, (k, w) -> w == null || w.start() != now ? new Window(now, new AtomicInteger()) : w);
        int all = g.failures().incrementAndGet();
        int mine = a.failures().incrementAndGet();
        if (all > GLOBAL || mine > PER_ADDRESS) {
            g.failures().decrementAndGet();
            a.failures().decrementAndGet();
            return null;
        }
        return new Attempt(g.failures(), a.failures());
    }

    private static long windowOf(Instant t) {
        return t.getEpochSecond() / WINDOW.toSeconds();
    }
}

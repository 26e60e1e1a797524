package dev.upfront.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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

    private final InstantSource clock;
    private final ConcurrentHashMap<String, Window> byAddress = new ConcurrentHashMap<>();
    private volatile Window global;

    SignInThrottle(InstantSource clock) {
        this.clock = clock;
        this.global = new Window(windowOf(clock.instant()), new AtomicInteger());
    }

    /** Whether this address may try now. */
    boolean allowed(String address) {
        long now = windowOf(clock.instant());
        Window g = current(global, now);
        Window a = byAddress.get(address);
        return g.failures().get() < GLOBAL && (a == null || a.start() != now || a.failures().get() < PER_ADDRESS);
    }

    void failed(String address) {
        long now = windowOf(clock.instant());
        if (global.start() != now) {
            global = new Window(now, new AtomicInteger());
        }
        global.failures().incrementAndGet();
        if (byAddress.size() > MAX_ADDRESSES) {
            byAddress.clear();
        }
        byAddress.compute(address, (k, w) -> w == null || w.start() != now ? new Window(now, new AtomicInteger()) : w)
                .failures().incrementAndGet();
    }

    private Window current(Window w, long now) {
        return w.start() == now ? w : new Window(now, new AtomicInteger());
    }

    private static long windowOf(Instant t) {
        return t.getEpochSecond() / WINDOW.toSeconds();
    }
}

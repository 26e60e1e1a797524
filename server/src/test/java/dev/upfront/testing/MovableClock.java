package dev.upfront.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves: it stands still until told. */
public final class MovableClock implements InstantSource {
    private volatile Instant now;

    public MovableClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }
}

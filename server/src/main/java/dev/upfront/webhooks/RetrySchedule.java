package dev.upfront.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again: the first retry after {@code firstRetry} (at most 15 s), then exponential
 * backoff (times {@value #FACTOR}) with ±20 % jitter, each wait capped at {@link #MAX_WAIT}, for as long as the
 * event is younger than {@link #GIVE_UP_AFTER}: the last attempt happens at least 24 hours after the event.
 */
public record RetrySchedule(Duration firstRetry) {
    static final Duration MAX_WAIT = Duration.ofHours(3);
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    private static final int FACTOR = 4;

    /** @param attempts attempts made so far (at least 1); empty when the delivery should be given up */
    public Optional<Instant> next(int attempts, Instant createdAt, Instant now) {
        if (!now.isBefore(createdAt.plus(GIVE_UP_AFTER))) {
            return Optional.empty();
        }
        if (attempts <= 1) {
            return Optional.of(now.plus(firstRetry));
        }
        double wait = firstRetry.toMillis() * Math.pow(FACTOR, Math.min(attempts - 1, 20));
        double jittered = Math.min(wait, MAX_WAIT.toMillis()) * ThreadLocalRandom.current().nextDouble(0.8, 1.2);
        return Optional.of(now.plusMillis((long) jittered));
    }
}

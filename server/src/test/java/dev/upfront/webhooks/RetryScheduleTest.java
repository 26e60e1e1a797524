package dev.upfront.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retry schedule: the first retry after the configured delay, then growing waits, and at least 24 hours of tries. */
class RetryScheduleTest {
    private static final Instant CREATED = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void firstRetryAfterTheConfiguredDelayThenBackoffForAtLeastADay() {
        RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(10));
        Instant now = CREATED.plusSeconds(1);
        assertThat(schedule.next(1, CREATED, now)).contains(now.plusSeconds(10));

        Duration previous = Duration.ofSeconds(10);
        int attempts = 1;
        Instant at = now.plusSeconds(10);
        Instant last = at;
        while (true) {
            attempts++;
            Optional<Instant> next = schedule.next(attempts, CREATED, at);
            if (next.isEmpty()) {
                break;
            }
            Duration wait = Duration.between(at, next.get());
            assertThat(wait).as("attempt %d", attempts).isLessThanOrEqualTo(RetrySchedule.MAX_WAIT.multipliedBy(12).dividedBy(10));
            if (previous.compareTo(Duration.ofMinutes(30)) < 0) {
                assertThat(wait).as("grows while short").isGreaterThan(previous);
            }
            previous = wait;
            at = next.get();
            last = at;
            assertThat(attempts).as("bounded").isLessThan(100);
        }
        assertThat(Duration.between(CREATED, last)).as("tried for at least 24 h").isGreaterThanOrEqualTo(Duration.ofHours(24));
        assertThat(Duration.between(CREATED, last)).isLessThan(Duration.ofHours(28));
    }
}

package dev.upfront.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.auth.KeyPair;
import dev.upfront.auth.KeyRing;
import dev.upfront.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Sessions expire, end with their key, and do not survive a change of the first key; the password is a hash. */
class DashboardAuthTest {
    static final KeyPair FIRST = new KeyPair("public_one", "private_one_0123456789");
    static final KeyPair SECOND = new KeyPair("public_two", "private_two_0123456789");
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aSessionLastsItsLifetimeThenEnds() {
        MovableClock clock = new MovableClock(START);
        DashboardAuth auth = new DashboardAuth(new KeyRing(List.of(FIRST)), Optional.empty(), clock);
        String token = auth.signIn(FIRST.privateKey(), "a").session().orElseThrow().token();
        clock.advance(DashboardAuth.SESSION_LIFETIME.minusSeconds(1));
        assertThat(auth.verify(token)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(auth.verify(token)).isEmpty();
    }

    @Test
    void aSessionEndsWhenItsKeyLeavesTheRingOrTheFirstKeyChanges() {
        MovableClock clock = new MovableClock(START);
        DashboardAuth both = new DashboardAuth(new KeyRing(List.of(FIRST, SECOND)), Optional.empty(), clock);
        String bySecond = both.signIn(SECOND.privateKey(), "a").session().orElseThrow().token();
        assertThat(both.verify(bySecond).orElseThrow().subject()).isEqualTo("public_two");
        assertThat(new DashboardAuth(new KeyRing(List.of(FIRST)), Optional.empty(), clock).verify(bySecond)).isEmpty();
        assertThat(new DashboardAuth(new KeyRing(List.of(SECOND, FIRST)), Optional.empty(), clock).verify(bySecond))
                .as("another session key").isEmpty();
    }

    @Test
    void thePasswordSignsInAsAdminAndOnlyWhileConfigured() {
        MovableClock clock = new MovableClock(START);
        KeyRing keys = new KeyRing(List.of(FIRST));
        DashboardAuth auth = new DashboardAuth(keys, AdminPassword.of(Optional.of("s3cret pass")), clock);
        assertThat(auth.signIn("s3cret pass ", "a").outcome()).isEqualTo(DashboardAuth.Outcome.SIGNED_IN);
        assertThat(auth.signIn("s3cret", "a").outcome()).isEqualTo(DashboardAuth.Outcome.REFUSED);
        String admin = auth.signIn("s3cret pass", "a").session().orElseThrow().token();
        assertThat(auth.verify(admin).orElseThrow().subject()).isEqualTo("admin");
        assertThat(new DashboardAuth(keys, Optional.empty(), clock).verify(admin)).as("password unset").isEmpty();
    }

    @Test
    void aNewPasswordEndsTheOldOnesSessionsOnEveryInstance() {
        MovableClock clock = new MovableClock(START);
        KeyRing keys = new KeyRing(List.of(FIRST));
        String admin = new DashboardAuth(keys, AdminPassword.of(Optional.of("old pass")), clock).signIn("old pass", "a")
                .session().orElseThrow().token();
        assertThat(new DashboardAuth(keys, AdminPassword.of(Optional.of("old pass")), clock).verify(admin))
                .as("another instance with the same password").isPresent();
        assertThat(new DashboardAuth(keys, AdminPassword.of(Optional.of("new pass")), clock).verify(admin))
                .as("the password changed").isEmpty();
    }

    @Test
    void concurrentGuessesGetNoMoreTriesThanTheLimit() throws Exception {
        DashboardAuth auth = new DashboardAuth(new KeyRing(List.of(FIRST)), AdminPassword.of(Optional.of("s3cret pass")), new MovableClock(START));
        List<Future<DashboardAuth.Outcome>> guesses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4 * SignInThrottle.PER_ADDRESS; i++) {
                String guess = "guess " + i;
                guesses.add(threads.submit(() -> auth.signIn(guess, "10.0.0.9").outcome()));
            }
        }
        long checked = guesses.stream().filter(g -> g.resultNow() == DashboardAuth.Outcome.REFUSED).count();
        assertThat(checked).isEqualTo(SignInThrottle.PER_ADDRESS);
    }

    @Test
    void theThrottleCountsPerAddressAndReopensInTheNextWindow() {
        MovableClock clock = new MovableClock(START);
        DashboardAuth auth = new DashboardAuth(new KeyRing(List.of(FIRST)), Optional.empty(), clock);
        for (int i = 0; i < SignInThrottle.PER_ADDRESS; i++) {
            assertThat(auth.signIn("wrong", "10.0.0.1").outcome()).isEqualTo(DashboardAuth.Outcome.REFUSED);
        }
        assertThat(auth.signIn(FIRST.privateKey(), "10.0.0.1").outcome()).isEqualTo(DashboardAuth.Outcome.THROTTLED);
        assertThat(auth.signIn(FIRST.privateKey(), "10.0.0.2").outcome()).isEqualTo(DashboardAuth.Outcome.SIGNED_IN);
        clock.advance(SignInThrottle.WINDOW.plus(Duration.ofSeconds(1)));
        assertThat(auth.signIn(FIRST.privateKey(), "10.0.0.1").outcome()).isEqualTo(DashboardAuth.Outcome.SIGNED_IN);
    }

    @Test
    void failuresFromManyAddressesCloseSignInForEveryone() {
        MovableClock clock = new MovableClock(START);
        DashboardAuth auth = new DashboardAuth(new KeyRing(List.of(FIRST)), Optional.empty(), clock);
        for (int i = 0; i < SignInThrottle.GLOBAL; i++) {
            auth.signIn("wrong", "10.1.0." + i);
        }
        assertThat(auth.signIn(FIRST.privateKey(), "10.2.0.1").outcome()).isEqualTo(DashboardAuth.Outcome.THROTTLED);
    }
}

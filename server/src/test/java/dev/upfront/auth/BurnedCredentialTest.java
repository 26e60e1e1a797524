package dev.upfront.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.testing.MovableClock;
import dev.upfront.testing.TestDatabases;
import dev.upfront.tokens.jdbc.JdbcTokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A burned one-time credential stays burned for as long as it could ever be accepted, whatever refused it first. */
class BurnedCredentialTest {
    private static final KeyPair PAIR = new KeyPair("public_burn", "private_burn_key");

    @Test
    void aCredentialRefusedForExpiringTooLateIsStillBurnedWhenItsTimeComes() {
        try (TestDatabases databases = TestDatabases.sqlite()) {
            JdbcTokenStore store = new JdbcTokenStore(databases.open());
            MovableClock clock = new MovableClock(Instant.parse("2026-12-08T00:00:00Z"));
            UploadAuthenticator auth = new UploadAuthenticator(new KeyRing(List.of(PAIR)), store, clock, Duration.ZERO);
            String expire = Long.toString(clock.instant().plus(Duration.ofMinutes(90)).getEpochSecond());
            Map<String, String> fields = Map.of("publicKey", PAIR.publicKey(), "token", "burn-me", "expire", expire,
                    "signature", Hmac.sha1Hex(PAIR.privateKey(), "burn-me" + expire));

            UploadAuthenticator.Attempt first = auth.attempt(1, Optional.empty());
            assertThatThrownBy(() -> first.complete(fields)).as("expires more than an hour ahead").isInstanceOf(ApiException.class);
            first.burnIfSigned(fields);

            // Half an hour before its expiry, it would pass the time check: the burn must still be remembered.
            clock.advance(Duration.ofMinutes(61));
            store.purgeExpired(clock.instant());
            assertThatThrownBy(() -> auth.attempt(1, Optional.empty()).complete(fields))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REUSED));
        }
    }
}

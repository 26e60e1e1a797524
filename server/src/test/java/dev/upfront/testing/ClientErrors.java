package dev.upfront.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.error.ApiException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The property every fuzz target checks: bad input is refused with an {@link ApiException} carrying a 4xx status.
 * Anything else that escapes (a NullPointerException, a DateTimeException, an ApiException with a 5xx) propagates
 * and is a finding.
 */
public final class ClientErrors {
    private ClientErrors() {}

    /** The action's result, or empty when it refused the input with a 4xx. */
    public static <T> Optional<T> resultOrRefusal(Supplier<T> action) {
        try {
            return Optional.of(action.get());
        } catch (ApiException e) {
            requireClientError(e);
            return Optional.empty();
        }
    }

    public static void requireClientError(ApiException e) {
        assertThat(e.status()).as("status of %s: %s", e.code(), e.getMessage()).isBetween(400, 499);
    }
}

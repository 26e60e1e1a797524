package dev.upfront.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.protocol.ErrorCodes;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The code names the SDKs see through the protocol module are exactly the codes this server answers the API with:
 * none the server never sends, none missing. Only the dashboard's own codes (its sign-in and CSRF refusals, seen
 * only by the dashboard page) stay out.
 */
class ProtocolErrorCodesTest {
    @Test
    void theProtocolNamesEveryApiCodeOfTheServerAndNoOther() {
        var apiCodes = Arrays.stream(ErrorCode.values()).map(Enum::name).filter(name -> !name.startsWith("DASHBOARD_")).toList();
        assertThat(ErrorCodes.ALL).containsExactlyInAnyOrderElementsOf(apiCodes);
    }
}

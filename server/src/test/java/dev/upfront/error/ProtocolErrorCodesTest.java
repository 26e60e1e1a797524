package dev.upfront.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.protocol.ErrorCodes;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The code names the SDKs see through the protocol module are codes this server really answers with. */
class ProtocolErrorCodesTest {
    @Test
    void everyProtocolCodeIsAServerCode() {
        assertThat(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()).containsAll(ErrorCodes.ALL);
    }
}

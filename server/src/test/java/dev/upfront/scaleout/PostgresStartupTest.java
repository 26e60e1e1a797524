package dev.upfront.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.config.ConfigException;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up refusals of the distributed mode (PostgreSQL): each names the variable to fix, never a password. */
class PostgresStartupTest {
    @Test
    void anUnreachableDatabaseStopsStartUpNamingTheVariable() throws Exception {
        Throwable failure = failedStart(Map.of("UPFRONT_DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:1/upfront?user=upfront&password=s3cret-pw"), true);
        assertThat(failure).isInstanceOf(ConfigException.class);
        assertThat(failure.getMessage()).startsWith("UPFRONT_DATABASE_URL").contains("cannot connect").doesNotContain("s3cret-pw");
    }

    @Test
    void severalInstancesMustShareConfiguredKeys() throws Exception {
        Throwable failure = failedStart(Map.of("UPFRONT_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/upfront"), false);
        assertThat(failure).isInstanceOf(ConfigException.class);
        assertThat(failure.getMessage()).startsWith("UPFRONT_PUBLIC_KEY").contains("PostgreSQL");
    }

    /** Why the server did not start. */
    private static Throwable failedStart(Map<String, String> env, boolean testKeys) throws IOException {
        try {
            TestServer.start(Files.createTempDirectory("upfront-pgstart-"), env, testKeys).close();
        } catch (IllegalStateException e) {
            return e.getCause();
        }
        throw new AssertionError("the server started");
    }
}

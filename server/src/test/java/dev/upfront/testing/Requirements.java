package dev.upfront.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a tool from outside the JVM (Node.js, Chromium, libvips) skip loudly when it is missing, except
 * when {@code UPFRONT_REQUIRE_ALL=1} (set by .ci/run): then a missing tool fails the test instead.
 */
public final class Requirements {
    private Requirements() {}

    public static void require(boolean available, String what) {
        if (available) {
            return;
        }
        String message = "REQUIRED TOOL MISSING: " + what;
        if ("1".equals(System.getenv("UPFRONT_REQUIRE_ALL"))) {
            throw new AssertionError(message + " (UPFRONT_REQUIRE_ALL=1 turns this skip into a failure)");
        }
        System.err.println("SKIPPED: " + message);
        Assumptions.abort(message);
    }
}

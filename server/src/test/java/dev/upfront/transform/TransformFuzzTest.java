package dev.upfront.transform;

import static dev.upfront.testing.ClientErrors.resultOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes a delivery URL's transformation as the server handles it: parse, then plan against a fixed source image
 * (1200×800, EXIF orientation 6 so rt-auto swaps the sides, a fo-custom area). Bad text and impossible outputs are
 * refused with a 4xx; a parsed chain's canonical form (the derived-image cache key) parses back to itself; a plan's
 * output stays within {@link Planner#MAX_OUTPUT_SIDE}. Inputs are UTF-8 text, so seeds are plain transformation files.
 */
class TransformFuzzTest {
    private static final TransformParser PARSER = new TransformParser(Map.of("thumb", "w-100,h-100:q-50"));

    @FuzzTest(maxDuration = "5s")
    void parsesAndPlansOrRefuses(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Optional<Transformation> parsed = resultOrRefusal(() -> PARSER.parse(text));
        if (parsed.isEmpty()) {
            return;
        }
        Transformation t = parsed.get();
        assertThat(PARSER.parse(t.canonical()).canonical()).as("canonical form of %s", text).isEqualTo(t.canonical());
        Step.Format format = t.format() == Step.Format.AUTO ? Step.Format.JPG : t.format();
        resultOrRefusal(() -> Planner.plan(t, 1200, 800, "10,20,300,200", format, 6)).ifPresent(plan -> {
            assertThat(plan.width()).as("width planned for %s", text).isBetween(1, Planner.MAX_OUTPUT_SIDE);
            assertThat(plan.height()).as("height planned for %s", text).isBetween(1, Planner.MAX_OUTPUT_SIDE);
        });
    }
}

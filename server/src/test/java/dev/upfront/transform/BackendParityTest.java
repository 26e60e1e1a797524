package dev.upfront.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.Images;
import dev.upfront.testing.Requirements;
import dev.upfront.transform.java.JavaBackend;
import dev.upfront.transform.vips.VipsBackend;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests run on both image backends: each transformation must give the expected size on each, and the two
 * renderings must look the same (mean absolute difference per channel within a few levels: libvips resamples
 * with lanczos3, Java with bilinear/bicubic). libvips is required in CI (UPFRONT_REQUIRE_ALL=1).
 */
class BackendParityTest {
    private static final byte[] SOURCE = Images.png(640, 480);
    private static final TransformParser PARSER = new TransformParser(Map.of());

    static Stream<Arguments> golden() {
        return Stream.of(
                Arguments.of("w-320,h-240,f-png", 320, 240),
                Arguments.of("w-200,f-png", 200, 150),
                Arguments.of("h-120,f-png", 160, 120),
                Arguments.of("w-300,h-300,f-png", 300, 300),
                Arguments.of("w-300,h-300,c-force,f-png", 300, 300),
                Arguments.of("w-300,h-300,c-at_max,f-png", 300, 225),
                Arguments.of("w-1000,h-1000,c-at_max,f-png", 640, 480),
                Arguments.of("w-1000,h-1000,c-at_max_enlarge,f-png", 1000, 750),
                Arguments.of("w-300,h-300,c-at_least,f-png", 400, 300),
                Arguments.of("w-300,h-300,cm-pad_resize,bg-FF0000,f-png", 300, 300),
                Arguments.of("w-200,h-100,cm-extract,fo-bottom_right,f-png", 200, 100),
                Arguments.of("w-200,h-100,cm-extract,x-10,y-20,f-png", 200, 100),
                Arguments.of("w-800,h-600,cm-pad_extract,f-png", 800, 600),
                Arguments.of("w-0.5,f-png", 320, 240),
                Arguments.of("w-100,dpr-2,f-png", 200, 150),
                Arguments.of("w-200,ar-2-1,f-png", 200, 100),
                Arguments.of("w-200,f-png:rt-90", 150, 200),
                Arguments.of("w-200,f-png:rt-180", 200, 150),
                Arguments.of("w-200,bl-6,f-png", 200, 150),
                Arguments.of("w-200,r-20,f-png", 200, 150),
                Arguments.of("w-320,h-240,q-90,f-jpg", 320, 240),
                Arguments.of("n-ik_ml_thumbnail,f-png", 400, 300));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void bothBackendsAgree(String tr, int width, int height) throws Exception {
        ImageBackend vips = VipsBackend.load().orElse(null);
        Requirements.require(vips != null, "libvips42 (libvips.so.42), to compare the native backend with pure Java");
        Transformation t = PARSER.parse(tr.replace(",f-png", "").replace(",f-jpg", "").replace("n-ik_ml_thumbnail", "n-ik_ml_thumbnail"));
        Step.Format format = tr.contains("f-jpg") ? Step.Format.JPG : Step.Format.PNG;
        Plan plan = Planner.plan(t, 640, 480, null, format);
        assertThat(plan.width()).isEqualTo(width);
        assertThat(plan.height()).isEqualTo(height);

        BufferedImage fromJava = decode(new JavaBackend().render(SOURCE, plan));
        BufferedImage fromVips = decode(vips.render(SOURCE, plan));
        for (BufferedImage image : List.of(fromJava, fromVips)) {
            assertThat(image.getWidth()).as("width").isEqualTo(width);
            assertThat(image.getHeight()).as("height").isEqualTo(height);
        }
        double difference = meanDifference(fromJava, fromVips);
        // Blur radii and corner anti-aliasing differ most between the two; everything else agrees closely.
        double allowed = tr.contains("bl-") || tr.contains("r-") ? 12 : 6;
        assertThat(difference).as("mean |java - vips| per channel, 0..255").isLessThan(allowed);
    }

    private static BufferedImage decode(byte[] bytes) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("decodable output").isNotNull();
        return image;
    }

    /** Mean absolute difference over R, G, B (and alpha, weighted in as a channel). */
    static double meanDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 24; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return (double) sum / (4.0 * a.getWidth() * a.getHeight());
    }
}

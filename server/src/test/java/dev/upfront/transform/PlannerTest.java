package dev.upfront.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Geometry of reference §6.2 on a 4000×3000 landscape and a 3000×4000 portrait source: exact output sizes and the
 * exact operations for each crop strategy and mode, focus positions, dpr, ar, rotation, and the output size limit.
 */
class PlannerTest {
    private static final long WHITE = 0xFFFFFFFFL;
    private static final long TRANSPARENT = 0L;
    private final TransformParser parser = new TransformParser(Map.of());

    private Plan plan(String text, int w, int h) {
        return plan(text, w, h, null, Step.Format.JPG);
    }

    private Plan plan(String text, int w, int h, String customCoordinates, Step.Format format) {
        return Planner.plan(parser.parse(text), w, h, customCoordinates, format);
    }

    private Plan landscape(String text) {
        return plan(text, 4000, 3000);
    }

    private Plan portrait(String text) {
        return plan(text, 3000, 4000);
    }

    private static void size(Plan p, int w, int h) {
        assertThat(p.width() + "x" + p.height()).isEqualTo(w + "x" + h);
    }

    private void tooLarge(String text, int w, int h) {
        assertThatThrownBy(() -> plan(text, w, h)).as(text)
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("8192");
                });
    }

    @Test
    void noGeometryKeepsTheSource() {
        Plan p = landscape("q-50");
        assertThat(p.ops()).isEmpty();
        size(p, 4000, 3000);
        assertThat(p.quality()).isEqualTo(50);
        assertThat(p.format()).isEqualTo(Step.Format.JPG);
    }

    @Test
    void defaultsOfThePlan() {
        Plan p = landscape("w-100");
        assertThat(p.quality()).as("ImageKit's default quality").isEqualTo(80);
        assertThat(p.background()).isEqualTo(WHITE);
        assertThat(landscape("w-100,bg-112233").background()).isEqualTo(0x112233FFL);
        assertThat(landscape("bg-112233:w-100:q-10").quality()).isEqualTo(10);
        assertThat(plan("w-100", 4000, 3000, null, Step.Format.PNG).format()).isEqualTo(Step.Format.PNG);
        assertThatThrownBy(() -> plan("w-100", 4000, 3000, null, Step.Format.AUTO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneSideKeepsTheAspectRatio() {
        Plan w = landscape("w-400");
        assertThat(w.ops()).containsExactly(new Op.Resize(400, 300));
        size(w, 400, 300);
        assertThat(landscape("h-300").ops()).containsExactly(new Op.Resize(400, 300));
        assertThat(landscape("w-333").ops()).as("rounded").containsExactly(new Op.Resize(333, 250));
        assertThat(portrait("w-400").ops()).containsExactly(new Op.Resize(400, 533));
        assertThat(portrait("h-400").ops()).containsExactly(new Op.Resize(300, 400));
        assertThat(landscape("w-8000").ops()).as("enlarges").containsExactly(new Op.Resize(8000, 6000));
    }

    @Test
    void fractionsArePartsOfTheInput() {
        assertThat(landscape("w-0.5").ops()).containsExactly(new Op.Resize(2000, 1500));
        assertThat(landscape("h-0.25").ops()).containsExactly(new Op.Resize(1000, 750));
        size(landscape("w-0.1,h-0.5,c-force"), 400, 1500);
        assertThat(landscape("w-2000:w-0.5").ops()).as("a fraction of the previous step's output")
                .containsExactly(new Op.Resize(2000, 1500), new Op.Resize(1000, 750));
    }

    @Test
    void maintainRatioIsTheDefaultCoverThenCentreCrop() {
        Plan p = landscape("w-400,h-400");
        assertThat(p.ops()).containsExactly(new Op.Resize(533, 400), new Op.Crop(66, 0, 400, 400));
        size(p, 400, 400);
        assertThat(landscape("w-400,h-400,c-maintain_ratio").ops()).isEqualTo(p.ops());
        assertThat(portrait("w-400,h-400").ops()).containsExactly(new Op.Resize(400, 533), new Op.Crop(0, 66, 400, 400));
        assertThat(landscape("w-800,h-600").ops()).as("same aspect: no crop").containsExactly(new Op.Resize(800, 600));
        Plan wide = landscape("w-1000,h-100");
        assertThat(wide.ops()).containsExactly(new Op.Resize(1000, 750), new Op.Crop(0, 325, 1000, 100));
    }

    @ParameterizedTest(name = "landscape fo-{0} crops at ({1}, {2})")
    @CsvSource({"center, 66, 0", "auto, 66, 0", "left, 0, 0", "right, 133, 0", "top, 66, 0", "bottom, 66, 0",
            "top_left, 0, 0", "top_right, 133, 0", "bottom_left, 0, 0", "bottom_right, 133, 0"})
    void focusOnLandscape(String focus, int x, int y) {
        Plan p = landscape("w-400,h-400,fo-" + focus);
        assertThat(p.ops()).containsExactly(new Op.Resize(533, 400), new Op.Crop(x, y, 400, 400));
        size(p, 400, 400);
    }

    @ParameterizedTest(name = "portrait fo-{0} crops at ({1}, {2})")
    @CsvSource({"center, 0, 66", "auto, 0, 66", "top, 0, 0", "bottom, 0, 133", "left, 0, 66", "right, 0, 66",
            "top_left, 0, 0", "top_right, 0, 0", "bottom_left, 0, 133", "bottom_right, 0, 133"})
    void focusOnPortrait(String focus, int x, int y) {
        Plan p = portrait("w-400,h-400,fo-" + focus);
        assertThat(p.ops()).containsExactly(new Op.Resize(400, 533), new Op.Crop(x, y, 400, 400));
        size(p, 400, 400);
    }

    @Test
    void customFocusCentresOnTheUploadsCoordinates() {
        // The region 3000,1000 400x400 has its centre at (3200, 1200); scaled by 0.1 that is (320, 120).
        Plan p = plan("w-400,h-100,fo-custom", 4000, 3000, "3000,1000,400,400", Step.Format.JPG);
        assertThat(p.ops()).containsExactly(new Op.Resize(400, 300), new Op.Crop(0, 70, 400, 100));
        Plan portrait = plan("w-300,h-300,fo-custom", 3000, 4000, "100,2000,200,400", Step.Format.JPG);
        assertThat(portrait.ops()).containsExactly(new Op.Resize(300, 400), new Op.Crop(0, 70, 300, 300));
        Plan clamped = plan("w-400,h-100,fo-custom", 4000, 3000, "0,2900,100,100", Step.Format.JPG);
        assertThat(clamped.ops()).as("kept inside the image").containsExactly(new Op.Resize(400, 300), new Op.Crop(0, 200, 400, 100));
        Plan extract = plan("cm-extract,w-400,h-400,fo-custom", 4000, 3000, "3000,1000,400,400", Step.Format.JPG);
        assertThat(extract.ops()).containsExactly(new Op.Crop(3000, 1000, 400, 400));
        assertThat(plan("w-400,h-100,fo-custom", 4000, 3000, null, Step.Format.JPG).ops())
                .as("without coordinates: the centre").isEqualTo(landscape("w-400,h-100").ops());
        assertThat(plan("w-400,h-100,fo-custom", 4000, 3000, "garbage", Step.Format.JPG).ops()).isEqualTo(landscape("w-400,h-100").ops());
    }

    @Test
    void forceSquashes() {
        Plan p = landscape("w-400,h-400,c-force");
        assertThat(p.ops()).containsExactly(new Op.Resize(400, 400));
        size(p, 400, 400);
        assertThat(portrait("w-100,h-900,c-force").ops()).containsExactly(new Op.Resize(100, 900));
    }

    @Test
    void atMaxFitsInsideAndNeverEnlarges() {
        assertThat(landscape("w-400,h-400,c-at_max").ops()).containsExactly(new Op.Resize(400, 300));
        size(landscape("w-400,h-400,c-at_max"), 400, 300);
        assertThat(portrait("w-400,h-400,c-at_max").ops()).containsExactly(new Op.Resize(300, 400));
        assertThat(landscape("w-5000,h-1000,c-at_max").ops()).containsExactly(new Op.Resize(1333, 1000));
        Plan bigger = landscape("w-8000,h-8000,c-at_max");
        assertThat(bigger.ops()).isEmpty();
        size(bigger, 4000, 3000);
    }

    @Test
    void atMaxEnlargeFitsInsideAndEnlarges() {
        assertThat(landscape("w-8000,h-8000,c-at_max_enlarge").ops()).containsExactly(new Op.Resize(8000, 6000));
        assertThat(landscape("w-400,h-400,c-at_max_enlarge").ops()).containsExactly(new Op.Resize(400, 300));
        assertThat(portrait("w-6000,h-6000,c-at_max_enlarge").ops()).containsExactly(new Op.Resize(4500, 6000));
        size(landscape("w-8192,h-8192,c-at_max_enlarge"), 8192, 6144);
    }

    @Test
    void atLeastCoversWithoutCropping() {
        assertThat(landscape("w-400,h-400,c-at_least").ops()).containsExactly(new Op.Resize(533, 400));
        size(landscape("w-400,h-400,c-at_least"), 533, 400);
        assertThat(portrait("w-400,h-400,c-at_least").ops()).containsExactly(new Op.Resize(400, 533));
        assertThat(landscape("w-400,h-100,c-at_least").ops()).containsExactly(new Op.Resize(400, 300));
    }

    @Test
    void padResizeFitsThenPads() {
        Plan p = landscape("w-400,h-400,cm-pad_resize");
        assertThat(p.ops()).containsExactly(new Op.Resize(400, 300), new Op.Pad(400, 400, 0, 50, WHITE));
        size(p, 400, 400);
        assertThat(landscape("w-400,h-400,cm-pad_resize,fo-top").ops()).containsExactly(new Op.Resize(400, 300), new Op.Pad(400, 400, 0, 0, WHITE));
        assertThat(landscape("w-400,h-400,cm-pad_resize,fo-bottom").ops()).containsExactly(new Op.Resize(400, 300), new Op.Pad(400, 400, 0, 100, WHITE));
        assertThat(portrait("w-400,h-400,cm-pad_resize").ops()).containsExactly(new Op.Resize(300, 400), new Op.Pad(400, 400, 50, 0, WHITE));
        assertThat(portrait("w-400,h-400,cm-pad_resize,fo-left").ops()).containsExactly(new Op.Resize(300, 400), new Op.Pad(400, 400, 0, 0, WHITE));
        assertThat(portrait("w-400,h-400,cm-pad_resize,fo-right").ops()).containsExactly(new Op.Resize(300, 400), new Op.Pad(400, 400, 100, 0, WHITE));
        assertThat(landscape("w-400,h-400,cm-pad_resize,bg-FF0000").ops()).containsExactly(new Op.Resize(400, 300),
                new Op.Pad(400, 400, 0, 50, 0xFF0000FFL));
        assertThat(plan("w-400,h-400,cm-pad_resize", 4000, 3000, null, Step.Format.PNG).ops())
                .as("formats with alpha pad with transparency").containsExactly(new Op.Resize(400, 300), new Op.Pad(400, 400, 0, 50, TRANSPARENT));
        size(landscape("w-8000,h-100,cm-pad_resize"), 8000, 100);
    }

    @Test
    void extractCutsWithoutResizing() {
        Plan p = landscape("cm-extract,w-400,h-300");
        assertThat(p.ops()).as("centred by default").containsExactly(new Op.Crop(1800, 1350, 400, 300));
        size(p, 400, 300);
        assertThat(landscape("cm-extract,w-400,h-300,x-10,y-20").ops()).containsExactly(new Op.Crop(10, 20, 400, 300));
        assertThat(landscape("cm-extract,w-400,h-300,x-10").ops()).containsExactly(new Op.Crop(10, 0, 400, 300));
        assertThat(landscape("cm-extract,w-400,h-300,xc-1000,yc-500").ops()).containsExactly(new Op.Crop(800, 350, 400, 300));
        assertThat(landscape("cm-extract,w-400,h-300,fo-top_left").ops()).containsExactly(new Op.Crop(0, 0, 400, 300));
        assertThat(landscape("cm-extract,w-400,h-300,fo-bottom_right").ops()).containsExactly(new Op.Crop(3600, 2700, 400, 300));
        assertThat(landscape("cm-extract,w-400,h-300,fo-right").ops()).containsExactly(new Op.Crop(3600, 1350, 400, 300));
        assertThat(portrait("cm-extract,w-400,h-300,fo-bottom").ops()).containsExactly(new Op.Crop(1300, 3700, 400, 300));
        assertThat(landscape("cm-extract,w-0.5,h-0.5").ops()).containsExactly(new Op.Crop(1000, 750, 2000, 1500));
        Plan edge = landscape("cm-extract,w-400,h-300,x-3900");
        assertThat(edge.ops()).as("clipped at the edge").containsExactly(new Op.Crop(3900, 0, 100, 300));
        size(edge, 100, 300);
        assertThat(landscape("cm-extract").ops()).as("the whole image: nothing to cut").isEmpty();
        assertThatThrownBy(() -> landscape("cm-extract,w-400,h-300,x-5000"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSFORMATION_INVALID));
    }

    @Test
    void padExtractPadsWhatLiesOutside() {
        Plan p = landscape("cm-pad_extract,w-5000,h-400");
        assertThat(p.ops()).containsExactly(new Op.Crop(0, 1300, 4000, 400), new Op.Pad(5000, 400, 500, 0, WHITE));
        size(p, 5000, 400);
        assertThat(landscape("cm-pad_extract,w-400,h-300").ops()).as("inside the image it is extract")
                .containsExactly(new Op.Crop(1800, 1350, 400, 300));
        Plan both = portrait("cm-pad_extract,w-4000,h-5000,bg-00FF00");
        assertThat(both.ops()).containsExactly(new Op.Pad(4000, 5000, 500, 500, 0x00FF00FFL));
        size(both, 4000, 5000);
    }

    @Test
    void dprMultipliesTheRequestedSize() {
        assertThat(landscape("w-400,dpr-2").ops()).containsExactly(new Op.Resize(800, 600));
        assertThat(landscape("h-300,dpr-1.5").ops()).containsExactly(new Op.Resize(600, 450));
        assertThat(landscape("w-400,h-400,c-force,dpr-2").ops()).containsExactly(new Op.Resize(800, 800));
        assertThat(landscape("w-400,h-400,dpr-0.5").ops()).containsExactly(new Op.Resize(267, 200), new Op.Crop(33, 0, 200, 200));
    }

    @Test
    void aspectRatioDerivesTheMissingSide() {
        Plan p = landscape("w-400,ar-16-9");
        assertThat(p.ops()).containsExactly(new Op.Resize(400, 300), new Op.Crop(0, 37, 400, 225));
        size(p, 400, 225);
        assertThat(landscape("h-300,ar-1-1").ops()).containsExactly(new Op.Resize(400, 300), new Op.Crop(50, 0, 300, 300));
        size(landscape("w-400,h-400,ar-16-9"), 400, 400);
        size(portrait("w-300,ar-3-4,c-force"), 300, 400);
    }

    @Test
    void rotation() {
        Plan p = landscape("w-400:rt-90");
        assertThat(p.ops()).containsExactly(new Op.Resize(400, 300), new Op.Rotate(90, WHITE));
        size(p, 300, 400);
        size(landscape("w-400:rt-180"), 400, 300);
        assertThat(landscape("w-400,rt-N90").ops()).as("rotation follows the resize of its step")
                .containsExactly(new Op.Resize(400, 300), new Op.Rotate(270, WHITE));
        size(landscape("w-400,rt-N90"), 300, 400);
        size(landscape("w-400,rt-45"), 495, 495);
        assertThat(plan("w-400,rt-45", 4000, 3000, null, Step.Format.PNG).ops()).contains(new Op.Rotate(45, TRANSPARENT));
        assertThat(landscape("rt-45,bg-000000").ops()).containsExactly(new Op.Rotate(45, 0x000000FFL));
        assertThat(landscape("rt-0").ops()).isEmpty();
        assertThat(landscape("rt-360").ops()).isEmpty();
    }

    @Test
    void autoRotationComesFirst() {
        Plan p = landscape("rt-auto,w-400");
        assertThat(p.ops()).containsExactly(new Op.AutoRotate(), new Op.Resize(400, 300));
        assertThat(landscape("rt-auto").ops()).containsExactly(new Op.AutoRotate());
    }

    @Test
    void autoRotationByAQuarterSwapsTheSidesForWhatFollows() {
        for (int orientation = 1; orientation <= 9; orientation++) {
            boolean quarter = orientation >= 5 && orientation <= 8;
            Plan p = Planner.plan(parser.parse("rt-auto,w-400"), 4000, 3000, null, Step.Format.JPG, orientation);
            assertThat(p.ops()).as("orientation %d", orientation)
                    .containsExactly(new Op.AutoRotate(), quarter ? new Op.Resize(400, 533) : new Op.Resize(400, 300));
            Plan alone = Planner.plan(parser.parse("rt-auto"), 4000, 3000, null, Step.Format.JPG, orientation);
            size(alone, quarter ? 3000 : 4000, quarter ? 4000 : 3000);
        }
        assertThat(Planner.plan(parser.parse("rt-auto,w-400,h-400"), 4000, 3000, null, Step.Format.JPG, 6).ops())
                .containsExactly(new Op.AutoRotate(), new Op.Resize(400, 533), new Op.Crop(0, 66, 400, 400));
        assertThat(Planner.plan(parser.parse("w-400"), 4000, 3000, null, Step.Format.JPG, 6).ops())
                .as("without rt-auto the stored orientation is kept").containsExactly(new Op.Resize(400, 300));
        assertThat(Planner.plan(parser.parse("rt-auto,w-400"), 4000, 3000, null, Step.Format.JPG, 0).ops())
                .containsExactly(new Op.AutoRotate(), new Op.Resize(400, 300));
    }

    @Test
    void blurAndRadius() {
        assertThat(landscape("bl-10").ops()).containsExactly(new Op.Blur(5.0));
        assertThat(landscape("w-400,bl-1").ops()).containsExactly(new Op.Resize(400, 300), new Op.Blur(0.5));
        assertThat(landscape("w-400,r-20").ops()).containsExactly(new Op.Resize(400, 300), new Op.RoundCorners(20));
        assertThat(landscape("w-400,r-max").ops()).as("max: a pill/circle").containsExactly(new Op.Resize(400, 300), new Op.RoundCorners(150));
        assertThat(landscape("w-400,r-1000").ops()).containsExactly(new Op.Resize(400, 300), new Op.RoundCorners(150));
    }

    @Test
    void namedThumbnail() {
        Plan p = landscape("n-ik_ml_thumbnail");
        assertThat(p.ops()).containsExactly(new Op.Resize(400, 300));
        assertThat(p.quality()).isEqualTo(80);
        size(portrait("n-ik_ml_thumbnail"), 225, 300);
        Plan small = plan("n-ik_ml_thumbnail", 200, 100);
        assertThat(small.ops()).as("at_max never enlarges").isEmpty();
        size(small, 200, 100);
    }

    @Test
    void chainsWorkOnThePreviousOutput() {
        Plan p = landscape("w-400,h-400:rt-90:cm-extract,w-200,h-100,fo-top_left");
        assertThat(p.ops()).containsExactly(new Op.Resize(533, 400), new Op.Crop(66, 0, 400, 400), new Op.Rotate(90, WHITE),
                new Op.Crop(0, 0, 200, 100));
        size(p, 200, 100);
    }

    @Test
    void theLargestOutputIsProduced() {
        size(landscape("w-8192"), 8192, 6144);
        size(portrait("h-8192"), 6144, 8192);
        size(landscape("w-8192,h-8192,c-force"), 8192, 8192);
        size(landscape("cm-pad_extract,w-8192,h-8192"), 8192, 8192);
    }

    @Test
    void outputsOverTheLimitAreRefused() {
        tooLarge("w-8193", 4000, 3000);
        tooLarge("h-8193", 4000, 3000);
        tooLarge("h-8192", 4000, 3000); // width 10923
        tooLarge("w-8192", 3000, 4000); // height 10923
        tooLarge("w-5000,dpr-2", 4000, 3000);
        tooLarge("w-1000,ar-1-10", 4000, 3000);
        tooLarge("w-9000,h-100,c-force", 4000, 3000);
        tooLarge("w-8000,h-8000,c-at_least", 4000, 3000);
        tooLarge("w-10000,h-10000,c-at_max_enlarge", 4000, 3000);
        tooLarge("w-9000,h-100,cm-pad_resize", 4000, 3000);
        tooLarge("cm-extract,w-9000,h-100", 4000, 3000);
        tooLarge("cm-pad_extract,w-9000,h-100", 4000, 3000);
        tooLarge("w-8000:rt-45", 4000, 3000);
        tooLarge("w-8000:h-8000", 4000, 3000);
        tooLarge("q-80", 10000, 100); // no geometry: the output is the source
    }
}

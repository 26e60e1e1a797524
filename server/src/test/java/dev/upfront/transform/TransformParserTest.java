package dev.upfront.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The transformation syntax of reference §6.2: every parameter, chains, named transformations, canonical form, refusals. */
class TransformParserTest {
    private final TransformParser parser = new TransformParser(Map.of());

    private Step one(String text) {
        Transformation t = parser.parse(text);
        assertThat(t.steps()).as(text).hasSize(1);
        return t.steps().getFirst();
    }

    /** The text is refused with TRANSFORMATION_INVALID and a message that names {@code named}. */
    private void refused(String text, String named) {
        assertThatThrownBy(() -> parser.parse(text)).as(text)
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TRANSFORMATION_INVALID);
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("Bad Image Transformation Request.").contains(named);
                });
    }

    @Test
    void emptyOrAbsentIsNoTransformation() {
        assertThat(parser.parse(null)).isSameAs(Transformation.NONE);
        assertThat(parser.parse("")).isSameAs(Transformation.NONE);
        assertThat(Transformation.NONE.isEmpty()).isTrue();
        assertThat(Transformation.NONE.format()).isEqualTo(Step.Format.AUTO);
        assertThat(Transformation.NONE.quality()).isNull();
    }

    @Test
    void widthAndHeightInPixels() {
        Step s = one("w-300,h-200");
        assertThat(s.width()).isEqualTo(300.0);
        assertThat(s.height()).isEqualTo(200.0);
        assertThat(s.resizes()).isTrue();
        assertThat(one("w-1").width()).isEqualTo(1.0);
        assertThat(one("h-65535").height()).isEqualTo(65535.0);
        Step none = one("q-50");
        assertThat(none.width()).isNull();
        assertThat(none.height()).isNull();
        assertThat(none.resizes()).isFalse();
    }

    @Test
    void widthAndHeightAsFractions() {
        assertThat(one("w-0.5").width()).isEqualTo(0.5);
        assertThat(one("h-0.25").height()).isEqualTo(0.25);
        assertThat(one("w-0.01,h-0.99").width()).isEqualTo(0.01);
    }

    @ParameterizedTest
    @CsvSource({"w-0, w", "w-1.5, w", "w-abc, w", "w-65536, w", "h-0, h", "h-2.5, h", "h-x, h", "h-NaN, h",
            "w-Infinity, w", "w-1e3, w", "w-100f, w", "w-100d, w", "w-+100, w", "w- 100, w", "h-0x10, h"})
    void badDimensionsAreRefused(String text, String param) {
        refused(text, param);
    }

    @Test
    void aspectRatioNeedsWidthOrHeight() {
        assertThat(one("w-400,ar-4-3").aspectRatio()).isCloseTo(4.0 / 3, within(1e-9));
        assertThat(one("h-300,ar-16-9").aspectRatio()).isCloseTo(16.0 / 9, within(1e-9));
        assertThat(one("ar-1.5-1,w-10").aspectRatio()).isCloseTo(1.5, within(1e-9));
        refused("ar-4-3", "ar");
        refused("w-100,ar-4", "ar");
        refused("w-100,ar-4-3-2", "ar");
        refused("w-100,ar-0-3", "ar");
        refused("w-100,ar-a-b", "ar");
    }

    @Test
    void everyCropStrategy() {
        assertThat(one("c-maintain_ratio").crop()).isEqualTo(Step.Crop.MAINTAIN_RATIO);
        assertThat(one("c-force").crop()).isEqualTo(Step.Crop.FORCE);
        assertThat(one("c-at_max").crop()).isEqualTo(Step.Crop.AT_MAX);
        assertThat(one("c-at_max_enlarge").crop()).isEqualTo(Step.Crop.AT_MAX_ENLARGE);
        assertThat(one("c-at_least").crop()).isEqualTo(Step.Crop.AT_LEAST);
        assertThat(one("w-1").crop()).isNull();
        refused("c-pad_resize", "c");
        refused("c-squash", "c");
    }

    @Test
    void everyCropMode() {
        assertThat(one("cm-pad_resize").cropMode()).isEqualTo(Step.CropMode.PAD_RESIZE);
        assertThat(one("cm-extract").cropMode()).isEqualTo(Step.CropMode.EXTRACT);
        assertThat(one("cm-pad_extract").cropMode()).isEqualTo(Step.CropMode.PAD_EXTRACT);
        assertThat(one("cm-extract").resizes()).as("a crop mode alone changes geometry").isTrue();
        refused("cm-force", "cm");
    }

    @Test
    void everyFocus() {
        for (String fo : new String[] {"center", "top", "left", "bottom", "right", "top_left", "top_right", "bottom_left",
                "bottom_right", "auto", "custom"}) {
            assertThat(one("fo-" + fo).focus()).as(fo).isEqualTo(Step.Focus.valueOf(fo.toUpperCase()));
        }
        refused("fo-middle", "fo");
    }

    @Test
    void extractCoordinates() {
        Step s = one("cm-extract,w-100,h-50,x-10,y-20");
        assertThat(s.x()).isEqualTo(10);
        assertThat(s.y()).isEqualTo(20);
        Step c = one("cm-extract,w-100,h-50,xc-300,yc-400");
        assertThat(c.xCenter()).isEqualTo(300);
        assertThat(c.yCenter()).isEqualTo(400);
        assertThat(one("x-0").x()).isZero();
        refused("x-1.5", "x");
        refused("y-abc", "y");
        refused("xc-65536", "xc");
        refused("yc--1", "yc");
    }

    @Test
    void quality() {
        assertThat(one("q-1").quality()).isEqualTo(1);
        assertThat(one("q-100").quality()).isEqualTo(100);
        assertThat(parser.parse("q-30:w-10:q-60").quality()).as("the last q wins").isEqualTo(60);
        refused("q-0", "q");
        refused("q-101", "q");
        refused("q-high", "q");
    }

    @Test
    void everyFormat() {
        assertThat(one("f-auto").format()).isEqualTo(Step.Format.AUTO);
        assertThat(one("f-jpg").format()).isEqualTo(Step.Format.JPG);
        assertThat(one("f-jpeg").format()).isEqualTo(Step.Format.JPG);
        assertThat(one("f-png").format()).isEqualTo(Step.Format.PNG);
        assertThat(one("f-webp").format()).isEqualTo(Step.Format.WEBP);
        assertThat(one("f-avif").format()).isEqualTo(Step.Format.AVIF);
        assertThat(parser.parse("w-10").format()).as("default").isEqualTo(Step.Format.AUTO);
        assertThat(parser.parse("f-png:w-10:f-jpg").format()).as("the last f wins").isEqualTo(Step.Format.JPG);
        assertThat(Step.Format.JPG.mime()).isEqualTo("image/jpeg");
        assertThat(Step.Format.PNG.mime()).isEqualTo("image/png");
        assertThat(Step.Format.WEBP.mime()).isEqualTo("image/webp");
        assertThat(Step.Format.AVIF.mime()).isEqualTo("image/avif");
        refused("f-gif", "f");
        refused("f-tiff", "f");
    }

    @Test
    void blur() {
        assertThat(one("bl-1").blur()).isEqualTo(1);
        assertThat(one("bl-100").blur()).isEqualTo(100);
        refused("bl-0", "bl");
        refused("bl-101", "bl");
    }

    @Test
    void rotation() {
        assertThat(one("rt-90").rotation()).isEqualTo(90);
        assertThat(one("rt-180").rotation()).isEqualTo(180);
        assertThat(one("rt-45").rotation()).isEqualTo(45);
        assertThat(one("rt-0").rotation()).isZero();
        assertThat(one("rt-360").rotation()).as("a full turn is none").isZero();
        assertThat(one("rt-N90").rotation()).as("counter-clockwise 90 is clockwise 270").isEqualTo(270);
        assertThat(one("rt-N45").rotation()).isEqualTo(315);
        assertThat(one("rt-N0").rotation()).isZero();
        assertThat(one("rt-N360").rotation()).isZero();
        assertThat(one("rt-auto").rotation()).isEqualTo(Step.AUTO_ROTATION);
        refused("rt-361", "rt");
        refused("rt-N361", "rt");
        refused("rt-left", "rt");
        refused("rt-N-90", "rt");
        refused("rt-+90", "rt");
        refused("rt-90.5", "rt");
    }

    @Test
    void devicePixelRatioNeedsWidthOrHeight() {
        assertThat(one("w-100,dpr-2").dpr()).isEqualTo(2.0);
        assertThat(one("h-100,dpr-0.1").dpr()).isEqualTo(0.1);
        assertThat(one("w-100,dpr-5").dpr()).isEqualTo(5.0);
        assertThat(one("w-100,dpr-1.5").dpr()).isEqualTo(1.5);
        refused("dpr-2", "dpr");
        refused("w-100,dpr-0.05", "dpr");
        refused("w-100,dpr-6", "dpr");
        refused("w-100,dpr-auto", "dpr");
    }

    @Test
    void backgroundAsHexRgbaOrName() {
        assertThat(one("bg-FF0000").background()).isEqualTo(0xFF0000FFL);
        assertThat(one("bg-00ff00").background()).as("lower case hex").isEqualTo(0x00FF00FFL);
        assertThat(one("bg-11223344").background()).as("RRGGBBAA").isEqualTo(0x11223344L);
        assertThat(one("bg-FFFFFF00").background()).isEqualTo(0xFFFFFF00L);
        assertThat(one("bg-white").background()).isEqualTo(0xFFFFFFFFL);
        assertThat(one("bg-black").background()).isEqualTo(0x000000FFL);
        assertThat(one("bg-Red").background()).as("names are case-insensitive").isEqualTo(0xFF0000FFL);
        assertThat(one("bg-blue").background()).isEqualTo(0x0000FFFFL);
        assertThat(one("bg-gray").background()).isEqualTo(one("bg-grey").background()).isEqualTo(0x808080FFL);
        assertThat(one("bg-transparent").background()).isEqualTo(0L);
        refused("bg-FFF", "bg");
        refused("bg-GGGGGG", "bg");
        refused("bg-FFFFFFF", "bg");
        refused("bg-chartreusy", "bg");
    }

    @Test
    void radius() {
        assertThat(one("r-20").radius()).isEqualTo(20);
        assertThat(one("r-max").radius()).isEqualTo(Step.MAX_RADIUS);
        refused("r-0", "r");
        refused("r-round", "r");
        refused("r-10001", "r");
    }

    @Test
    void originalOnlyTakesTrue() {
        assertThat(one("orig-true").original()).isTrue();
        assertThat(parser.parse("orig-true").original()).isTrue();
        assertThat(parser.parse("w-10:orig-true").original()).isTrue();
        assertThat(parser.parse("w-10").original()).isFalse();
        refused("orig-false", "orig");
        refused("orig-1", "orig");
    }

    @Test
    void builtInThumbnailExpands() {
        Transformation t = parser.parse("n-ik_ml_thumbnail");
        assertThat(t.namedOnly()).isTrue();
        assertThat(t.steps()).hasSize(1);
        Step s = t.steps().getFirst();
        assertThat(s.width()).isEqualTo(400.0);
        assertThat(s.height()).isEqualTo(300.0);
        assertThat(s.crop()).isEqualTo(Step.Crop.AT_MAX);
        assertThat(s.quality()).isEqualTo(80);
        assertThat(t.canonical()).isEqualTo(parser.parse("w-400,h-300,c-at_max,q-80").canonical());
        assertThat(parser.parse("w-400,h-300,c-at_max,q-80").namedOnly()).as("the same params spelled out are not named").isFalse();
    }

    @Test
    void configuredNamedTransformationsExpandInPlace() {
        TransformParser withNamed = new TransformParser(
                TransformParser.namedFromConfig("square=w-100,h-100; spin = w-50:rt-90 ;ik_ml_thumbnail=w-10"));
        Transformation square = withNamed.parse("n-square");
        assertThat(square.namedOnly()).isTrue();
        assertThat(square.steps()).singleElement().satisfies(s -> {
            assertThat(s.width()).isEqualTo(100.0);
            assertThat(s.height()).isEqualTo(100.0);
        });
        Transformation spin = withNamed.parse("n-spin");
        assertThat(spin.steps()).hasSize(2);
        assertThat(spin.steps().get(1).rotation()).isEqualTo(90);
        assertThat(spin.canonical()).isEqualTo("w-50:rt-90");

        Transformation both = withNamed.parse("n-square:n-spin");
        assertThat(both.namedOnly()).isTrue();
        assertThat(both.steps()).hasSize(3);

        Transformation mixed = withNamed.parse("n-square:rt-180");
        assertThat(mixed.namedOnly()).as("an unnamed step makes the chain unnamed").isFalse();
        assertThat(mixed.steps()).hasSize(2);

        assertThat(withNamed.parse("n-ik_ml_thumbnail").steps().getFirst().width())
                .as("configuration may redefine the built-in").isEqualTo(10.0);
        assertThatThrownBy(() -> parser.parse("n-square")).as("another parser does not know it")
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("square"));
    }

    @Test
    void namedTransformationsAreRefusedBesideOtherParams() {
        refused("n-ik_ml_thumbnail,w-100", "n-");
        refused("w-100,n-ik_ml_thumbnail", "n-");
        refused("n-nope", "nope");
    }

    @Test
    void badNamedConfigurationIsRefused() {
        assertThat(TransformParser.namedFromConfig("")).isEmpty();
        assertThat(TransformParser.namedFromConfig(null)).isEmpty();
        assertThatThrownBy(() -> TransformParser.namedFromConfig("noequals")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransformParser.namedFromConfig("bad name=w-10")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransformParser.namedFromConfig("x=w-abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x").hasMessageContaining("w");
        assertThatThrownBy(() -> TransformParser.namedFromConfig("x=zz-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zz");
        assertThatThrownBy(() -> TransformParser.namedFromConfig("x=n-ik_ml_thumbnail"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
    }

    @Test
    void chainsApplyInOrder() {
        Transformation t = parser.parse("w-400,h-300:rt-90:bl-5");
        assertThat(t.steps()).hasSize(3);
        assertThat(t.steps().get(0).width()).isEqualTo(400.0);
        assertThat(t.steps().get(1).rotation()).isEqualTo(90);
        assertThat(t.steps().get(2).blur()).isEqualTo(5);
        assertThat(t.canonical()).isEqualTo("h-300,w-400:rt-90:bl-5");
        assertThat(t.namedOnly()).isFalse();
        assertThat(parser.parse("rt-90:w-400").canonical()).as("order of steps matters")
                .isNotEqualTo(parser.parse("w-400:rt-90").canonical());
    }

    @Test
    void canonicalFormIgnoresParameterOrder() {
        String a = parser.parse("w-300,h-200,c-at_max,q-70,f-png,bg-FFFFFF,fo-top").canonical();
        String b = parser.parse("fo-top,bg-FFFFFF,f-png,q-70,c-at_max,h-200,w-300").canonical();
        String c = parser.parse("q-70,h-200,fo-top,w-300,f-png,c-at_max,bg-FFFFFF").canonical();
        assertThat(a).isEqualTo(b).isEqualTo(c);
        assertThat(parser.parse("h-2,w-1:rt-90,bl-3").canonical()).isEqualTo(parser.parse("w-1,h-2:bl-3,rt-90").canonical());
        assertThat(parser.parse("w-1,h-2").canonical()).isNotEqualTo(parser.parse("w-2,h-1").canonical());
    }

    @Test
    void unknownParamsAreRefusedByName() {
        refused("e-grayscale", "'e'");
        refused("w-100,zz-3", "'zz'");
        refused("w-100:l-image", "'l'");
        refused("di-default.jpg", "'di'");
        refused("W-100", "'W'");
    }

    @Test
    void malformedTextIsRefused() {
        refused("w", "'w'");
        refused("w-", "'w-'");
        refused("-100", "'-100'");
        refused("w-100,", "''");
        refused("w-100:", "empty");
        refused(":w-100", "empty");
        refused("w-100::h-100", "empty");
        refused("w-100,w-200", "'w'");
        refused("w-1:".repeat(10) + "w-1", "10");
        refused("w-1," + "q-5".repeat(800), "2048");
        assertThat(parser.parse("w-1:".repeat(9) + "w-1").steps()).hasSize(10);
    }

    @Test
    void everyParameterTogether() {
        Step s = one("w-0.5,h-300,ar-4-3,c-at_least,cm-pad_extract,fo-custom,x-1,y-2,xc-3,yc-4,q-90,f-png,bl-7,rt-N90,"
                + "dpr-2,bg-00000080,r-max,orig-true");
        assertThat(s).isEqualTo(new Step(0.5, 300.0, 4.0 / 3, Step.Crop.AT_LEAST, Step.CropMode.PAD_EXTRACT, Step.Focus.CUSTOM,
                1, 2, 3, 4, 90, Step.Format.PNG, 7, 270, 2.0, 0x00000080L, Step.MAX_RADIUS, true));
    }
}

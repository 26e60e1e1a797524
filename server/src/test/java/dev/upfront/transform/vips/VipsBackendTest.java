package dev.upfront.transform.vips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.upfront.testing.CancelledRender;
import dev.upfront.testing.Images;
import dev.upfront.testing.Requirements;
import dev.upfront.transform.ImageBackend.ImageException;
import dev.upfront.transform.Op;
import dev.upfront.transform.Plan;
import dev.upfront.transform.Step;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The libvips backend on generated images: every operation's geometry and pixels, every output format, bad input,
 * leaks and concurrency. Skips (loudly) where libvips42 is not installed. The benchmark runs with
 * The benchmark against vipsthumbnail lives in bench/transform.sh.
 */
class VipsBackendTest {
    private static final long WHITE = 0xFFFFFFFFL;
    private static final long TRANSPARENT = 0x00000000L;
    private static final int ORANGE = Color.ORANGE.getRGB() & 0xFFFFFF;
    private static final int BLUE = new Color(30, 120, 200).getRGB() & 0xFFFFFF;

    private VipsBackend vips;

    @BeforeEach
    void requireLibvips() {
        var loaded = VipsBackend.load();
        Requirements.require(loaded.isPresent(), "libvips42");
        vips = loaded.get();
    }

    @Test
    void describesItself() {
        assertThat(vips.name()).matches("libvips 8\\.\\d+\\.\\d+.*");
        assertThat(vips.formats()).contains(Step.Format.JPG, Step.Format.PNG, Step.Format.WEBP);
        assertThat(VipsBackend.load()).containsSame(vips);
        assertThat(vips.canRead("image/jpeg")).isTrue();
        assertThat(vips.canRead("IMAGE/PNG; charset=binary")).isTrue();
        for (String mime : List.of("image/gif", "image/webp", "image/avif", "image/heif", "image/tiff")) {
            assertThat(vips.canRead(mime)).as(mime).isTrue();
        }
        for (String mime : List.of("image/svg+xml", "application/pdf", "image/x-portable-pixmap", "text/plain", "")) {
            assertThat(vips.canRead(mime)).as(mime).isFalse();
        }
        assertThat(vips.canRead(null)).isFalse();
    }

    @Test
    void firstResizeShrinksOnLoadToTheExactSize() throws Exception {
        for (int[] size : new int[][] {{200, 100}, {37, 211}, {799, 599}, {1, 1}, {1600, 1200}}) {
            BufferedImage out = decode(vips.render(Images.jpeg(800, 600), plan(Step.Format.PNG, new Op.Resize(size[0], size[1]))));
            assertThat(new int[] {out.getWidth(), out.getHeight()}).as("%dx%d", size[0], size[1]).containsExactly(size);
        }
        BufferedImage out = decode(vips.render(Images.jpeg(800, 600), plan(Step.Format.PNG, new Op.Resize(80, 60))));
        assertRgb(out, 70, 50).isCloseTo(BLUE);
        assertRgb(out, 20, 15).isCloseTo(ORANGE);
    }

    @Test
    void laterResizeIsExactToo() throws Exception {
        for (int[] size : new int[][] {{100, 50}, {333, 17}, {1000, 900}}) {
            byte[] png = vips.render(Images.png(640, 480),
                    plan(Step.Format.PNG, new Op.Crop(10, 10, 600, 400), new Op.Resize(size[0], size[1])));
            BufferedImage out = decode(png);
            assertThat(new int[] {out.getWidth(), out.getHeight()}).containsExactly(size);
        }
    }

    @Test
    void crop() throws Exception {
        BufferedImage out = decode(vips.render(Images.png(400, 300), plan(Step.Format.PNG, new Op.Crop(150, 100, 100, 50))));
        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(50);
        assertRgb(out, 99, 49).isCloseTo(BLUE);
        assertThatThrownBy(() -> vips.render(Images.png(400, 300), plan(Step.Format.PNG, new Op.Crop(350, 0, 100, 50))))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("extract_area");
    }

    @Test
    void padFillsWithTheColourAndAddsAlphaWhenTransparent() throws Exception {
        BufferedImage red = decode(vips.render(Images.jpeg(100, 50),
                plan(Step.Format.JPG, new Op.Pad(200, 200, 50, 75, 0xFF0000FFL))));
        assertThat(red.getWidth()).isEqualTo(200);
        assertThat(red.getHeight()).isEqualTo(200);
        assertRgb(red, 5, 5).isCloseTo(0xFF0000);
        assertRgb(red, 140, 110).isCloseTo(BLUE);

        BufferedImage clear = decode(vips.render(Images.jpeg(100, 50),
                plan(Step.Format.PNG, new Op.Pad(120, 90, 10, 20, TRANSPARENT))));
        assertThat(clear.getColorModel().hasAlpha()).isTrue();
        assertThat(alpha(clear, 0, 0)).isZero();
        assertThat(alpha(clear, 60, 45)).isEqualTo(255);
    }

    @Test
    void rightAngleRotationsAreClockwise() throws Exception {
        BufferedImage r90 = decode(vips.render(Images.png(300, 200), plan(Step.Format.PNG, new Op.Rotate(90, WHITE))));
        assertThat(r90.getWidth()).isEqualTo(200);
        assertThat(r90.getHeight()).isEqualTo(300);
        assertRgb(r90, 200 - 1 - 50, 75).isCloseTo(ORANGE); // the top-left oval went top-right
        assertRgb(r90, 50, 75).isCloseTo(BLUE);

        BufferedImage r180 = decode(vips.render(Images.png(300, 200), plan(Step.Format.PNG, new Op.Rotate(180, WHITE))));
        assertThat(new int[] {r180.getWidth(), r180.getHeight()}).containsExactly(300, 200);
        assertRgb(r180, 300 - 75, 200 - 50).isCloseTo(ORANGE);

        BufferedImage r270 = decode(vips.render(Images.jpeg(300, 200), plan(Step.Format.JPG, new Op.Rotate(270, WHITE))));
        assertThat(new int[] {r270.getWidth(), r270.getHeight()}).containsExactly(200, 300);
        assertRgb(r270, 50, 300 - 75).isCloseTo(ORANGE); // top-left went bottom-left
    }

    @Test
    void anyAngleRotationHasThePlannersSizeAndFilledCorners() throws Exception {
        for (int degrees : new int[] {30, 45, 89, 135, 200, 359, -30}) {
            double rad = Math.toRadians(degrees);
            int w = 300;
            int h = 200;
            int nw = (int) Math.round(Math.abs(w * Math.cos(rad)) + Math.abs(h * Math.sin(rad)));
            int nh = (int) Math.round(Math.abs(w * Math.sin(rad)) + Math.abs(h * Math.cos(rad)));
            BufferedImage out = decode(vips.render(Images.jpeg(w, h), plan(Step.Format.PNG, new Op.Rotate(degrees, TRANSPARENT))));
            assertThat(new int[] {out.getWidth(), out.getHeight()}).as("%d°", degrees).containsExactly(nw, nh);
            if (degrees % 90 != 89 && degrees != 359) {
                assertThat(alpha(out, 0, 0)).as("%d° corner", degrees).isZero();
            }
            assertThat(alpha(out, nw / 2, nh / 2)).isEqualTo(255);
        }
        // 45° clockwise moves the top-left oval up: it sits above the centre, right in the middle horizontally.
        BufferedImage out = decode(vips.render(Images.png(300, 300), plan(Step.Format.JPG, new Op.Rotate(45, 0x00FF00FFL))));
        assertRgb(out, out.getWidth() / 2, out.getHeight() / 2 - 106).isCloseTo(ORANGE);
        assertRgb(out, 3, 3).isCloseTo(0x00FF00);
    }

    @Test
    void autoRotateAppliesExifOrientationAndNothingElseDoes() throws Exception {
        byte[] rotated = withOrientation(Images.jpeg(300, 200), 6);
        BufferedImage auto = decode(vips.render(rotated, plan(Step.Format.PNG, new Op.AutoRotate())));
        assertThat(new int[] {auto.getWidth(), auto.getHeight()}).containsExactly(200, 300);
        assertRgb(auto, 200 - 1 - 50, 75).isCloseTo(ORANGE);
        // shrink-on-load does not rotate on its own, and the orientation survives for a later AutoRotate
        BufferedImage resized = decode(vips.render(rotated, plan(Step.Format.PNG, new Op.Resize(150, 100))));
        assertThat(new int[] {resized.getWidth(), resized.getHeight()}).containsExactly(150, 100);
        BufferedImage both = decode(vips.render(rotated, plan(Step.Format.PNG, new Op.Resize(150, 100), new Op.AutoRotate())));
        assertThat(new int[] {both.getWidth(), both.getHeight()}).containsExactly(100, 150);
        // nothing to do without the tag
        BufferedImage plain = decode(vips.render(Images.jpeg(300, 200), plan(Step.Format.PNG, new Op.AutoRotate())));
        assertThat(new int[] {plain.getWidth(), plain.getHeight()}).containsExactly(300, 200);
        // and the output carries no orientation for a browser to apply again
        byte[] jpg = vips.render(rotated, plan(Step.Format.JPG, new Op.Crop(0, 0, 100, 100)));
        assertThat(indexOf(jpg, "Exif".getBytes(StandardCharsets.US_ASCII))).isNegative();
    }

    @Test
    void blurKeepsTheSizeAndSoftensEdges() throws Exception {
        byte[] source = Images.png(200, 100);
        BufferedImage sharp = decode(vips.render(source, plan(Step.Format.PNG)));
        for (double sigma : new double[] {0.5, 5, 50}) {
            BufferedImage blurred = decode(vips.render(source, plan(Step.Format.PNG, new Op.Blur(sigma))));
            assertThat(new int[] {blurred.getWidth(), blurred.getHeight()}).containsExactly(200, 100);
            if (sigma >= 5) {
                assertRgb(blurred, 50, 50).isNotEqualTo(assertRgb(sharp, 50, 50)); // on the oval's edge
            }
        }
        BufferedImage jpeg = decode(vips.render(Images.jpeg(1200, 900), plan(Step.Format.JPG, new Op.Blur(20))));
        assertThat(jpeg.getWidth()).isEqualTo(1200);
    }

    @Test
    void roundCornersAreTransparentOrTheBackground() throws Exception {
        BufferedImage png = decode(vips.render(Images.jpeg(200, 100), plan(Step.Format.PNG, new Op.RoundCorners(30))));
        assertThat(png.getColorModel().hasAlpha()).isTrue();
        for (int[] corner : new int[][] {{0, 0}, {199, 0}, {0, 99}, {199, 99}, {3, 3}, {196, 96}}) {
            assertThat(alpha(png, corner[0], corner[1])).as("%d,%d", corner[0], corner[1]).isZero();
        }
        assertThat(alpha(png, 100, 50)).isEqualTo(255);
        assertThat(alpha(png, 0, 50)).isEqualTo(255);
        assertThat(alpha(png, 30, 0)).isEqualTo(255);
        int edge = alpha(png, 8, 8); // on the arc: anti-aliased, neither in nor out
        assertThat(edge).isBetween(1, 254);

        // an image that already has alpha keeps its transparent parts transparent
        BufferedImage padded = decode(vips.render(Images.jpeg(100, 100),
                plan(Step.Format.PNG, new Op.Pad(200, 200, 50, 50, TRANSPARENT), new Op.RoundCorners(100))));
        assertThat(alpha(padded, 10, 100)).isZero();
        assertThat(alpha(padded, 0, 0)).isZero();
        assertThat(alpha(padded, 100, 100)).isEqualTo(255);

        BufferedImage jpg = decode(vips.render(Images.png(200, 100),
                new Plan(List.of(new Op.RoundCorners(Integer.MAX_VALUE)), Step.Format.JPG, 90, 0x000000FFL, 200, 100)));
        assertRgb(jpg, 1, 1).isCloseTo(0x000000);
        assertRgb(jpg, 190, 50).isCloseTo(BLUE);
    }

    @Test
    void everyFormatEncodes() throws Exception {
        byte[] source = Images.png(320, 240);
        List<Op> ops = List.of(new Op.Resize(160, 120), new Op.RoundCorners(20));
        BufferedImage jpg = decode(vips.render(source, new Plan(ops, Step.Format.JPG, 75, WHITE, 160, 120)));
        assertThat(jpg.getColorModel().hasAlpha()).isFalse();
        assertRgb(jpg, 0, 0).isCloseTo(0xFFFFFF); // flattened on the plan's background
        BufferedImage png = decode(vips.render(source, new Plan(ops, Step.Format.PNG, 75, WHITE, 160, 120)));
        assertThat(png.getWidth()).isEqualTo(160);

        byte[] webp = vips.render(source, new Plan(ops, Step.Format.WEBP, 75, WHITE, 160, 120));
        assertThat(new String(webp, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(webp, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");

        if (vips.formats().contains(Step.Format.AVIF)) {
            byte[] avif = vips.render(source, new Plan(ops, Step.Format.AVIF, 50, WHITE, 160, 120));
            assertThat(new String(avif, 4, 8, StandardCharsets.US_ASCII)).isEqualTo("ftypavif");
        } else {
            System.err.println("NOTE: this libvips cannot encode AVIF");
        }

        byte[] lowQ = vips.render(Images.jpeg(640, 480), plan(Step.Format.JPG, 10));
        byte[] highQ = vips.render(Images.jpeg(640, 480), plan(Step.Format.JPG, 100));
        assertThat(lowQ.length).isLessThan(highQ.length);
    }

    @Test
    void readsGifWebpTiffGreyAndSixteenBitInputs() throws Exception {
        BufferedImage fromGif = decode(vips.render(Images.gif(120, 80), plan(Step.Format.PNG, new Op.Resize(60, 40))));
        assertThat(fromGif.getWidth()).isEqualTo(60);
        assertRgb(fromGif, 50, 35).isCloseTo(BLUE);

        byte[] webp = vips.render(Images.png(120, 80), plan(Step.Format.WEBP, 90));
        BufferedImage fromWebp = decode(vips.render(webp, plan(Step.Format.PNG, new Op.Crop(0, 0, 60, 40))));
        assertThat(fromWebp.getWidth()).isEqualTo(60);

        BufferedImage fromTiff = decode(vips.render(encode(image(120, 80, BufferedImage.TYPE_INT_RGB), "tiff"),
                plan(Step.Format.JPG, new Op.Resize(60, 40))));
        assertThat(fromTiff.getWidth()).isEqualTo(60);

        if (vips.formats().contains(Step.Format.AVIF)) {
            byte[] avif = vips.render(Images.png(120, 80), plan(Step.Format.AVIF, 80));
            BufferedImage fromAvif = decode(vips.render(avif, plan(Step.Format.PNG, new Op.Resize(60, 40))));
            assertThat(fromAvif.getWidth()).isEqualTo(60);
        }

        for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY}) {
            byte[] grey = encode(image(120, 80, type), "png");
            BufferedImage out = decode(vips.render(grey, plan(Step.Format.JPG, new Op.Rotate(90, WHITE))));
            assertThat(new int[] {out.getWidth(), out.getHeight()}).containsExactly(80, 120);
            assertThat(out.getRaster().getNumBands()).isEqualTo(3);
        }
        BufferedImage greyJpeg = decode(vips.render(encode(image(120, 80, BufferedImage.TYPE_BYTE_GRAY), "jpg"),
                plan(Step.Format.PNG, new Op.Pad(130, 90, 5, 5, 0xFF0000FFL))));
        assertRgb(greyJpeg, 0, 0).isCloseTo(0xFF0000);
    }

    @Test
    void badInputIsAnImageExceptionWithLibvipssMessage() {
        byte[] jpeg = Images.jpeg(400, 300);
        List<byte[]> bad = List.of(
                new byte[] {1, 2, 3},
                randomBytes(5000),
                Arrays.copyOf(jpeg, 40), // cut inside the header
                "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>"
                        .getBytes(StandardCharsets.UTF_8),
                "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII),
                ppm(4, 4),
                "P2\n2 2\n255\n0 0 0 0\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] input : bad) {
            for (Plan p : List.of(plan(Step.Format.JPG), plan(Step.Format.PNG, new Op.Resize(10, 10)))) {
                assertThatThrownBy(() -> vips.render(input, p))
                        .isInstanceOf(ImageException.class)
                        .satisfies(e -> assertThat(e.getMessage()).isNotBlank().isEqualTo(e.getMessage().trim()));
            }
        }
        assertThatThrownBy(() -> vips.render(new byte[0], plan(Step.Format.JPG))).isInstanceOf(ImageException.class);
        // the error buffer was cleared: the next failure reports only itself
        assertThat(Vips.takeError()).isEmpty();
    }

    @Test
    void otherFormatsNeverReachALoader() throws Exception {
        byte[] svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>".getBytes(StandardCharsets.UTF_8);
        byte[] pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        for (byte[] input : List.of(svg, pdf, ppm(4, 4), "GIF87a".getBytes(StandardCharsets.US_ASCII))) {
            assertThatThrownBy(() -> vips.render(input, plan(Step.Format.PNG)))
                    .isInstanceOf(ImageException.class)
                    .hasMessageMatching("the image format is not supported|.*(gif|GIF).*");
        }
        // and libvips itself refuses them, had they got through
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, svg);
            assertThat(Vips.findLoadBuffer(buf)).isEqualTo("VipsForeignLoadSvgBuffer");
            assertThat(Vips.newFromBufferSequential(buf)).isEqualTo(MemorySegment.NULL);
            assertThat(Vips.takeError()).contains("operation is blocked");
        }
    }

    @Test
    void truncatedJpegRendersWhatIsThereAndWarnsInTheLog() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(VipsBackend.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(events);
        try {
            byte[] jpeg = Images.jpeg(400, 300);
            byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
            BufferedImage out = decode(vips.render(cut, plan(Step.Format.PNG, new Op.Resize(40, 30))));
            assertThat(out.getWidth()).isEqualTo(40);
        } finally {
            logger.detachAppender(events);
            logger.setLevel(level);
        }
        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains("Premature end of JPEG file"));
    }

    /** 500 renders leave no VipsObject, tracked pixel memory or process memory behind. */
    @Test
    void noLeaks() throws Exception {
        byte[] jpeg = Images.jpeg(600, 450);
        byte[] png = Images.png(300, 200);
        List<Plan> plans = List.of(
                new Plan(List.of(new Op.Resize(300, 200), new Op.RoundCorners(40)), Step.Format.PNG, 80, WHITE, 300, 200),
                new Plan(List.of(new Op.Crop(50, 50, 400, 300), new Op.Rotate(30, TRANSPARENT), new Op.Blur(3)),
                        Step.Format.JPG, 80, WHITE, 0, 0),
                new Plan(List.of(new Op.Pad(700, 500, 50, 25, TRANSPARENT), new Op.Rotate(90, WHITE), new Op.Resize(200, 280)),
                        Step.Format.WEBP, 70, WHITE, 200, 280),
                new Plan(List.of(new Op.AutoRotate(), new Op.Resize(64, 48)), Step.Format.JPG, 80, WHITE, 64, 48));
        byte[] bad = Arrays.copyOf(jpeg, 40);
        Runnable round = () -> {
            for (Plan p : plans) {
                render(p.ops().getFirst() instanceof Op.Pad ? png : jpeg, p);
            }
            try {
                vips.render(bad, plans.getFirst());
            } catch (ImageException expected) {
                // failures must release too
            }
        };
        for (int i = 0; i < 25; i++) {
            round.run();
        }
        long objects = Vips.liveObjects();
        try (Arena arena = Arena.ofConfined()) { // the counter counts
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            assertThat(Vips.black(out, 10, 10, 1)).isZero();
            assertThat(Vips.liveObjects()).isGreaterThan(objects);
            Vips.unref(out.get(ValueLayout.ADDRESS, 0));
            assertThat(Vips.liveObjects()).isEqualTo(objects);
        }
        long tracked = Vips.trackedMemory();
        int files = Vips.trackedFiles();
        long[] before = nativeKb();
        for (int i = 0; i < 125; i++) { // 125 rounds × 4 plans = 500 renders, plus 125 failures
            round.run();
        }
        long[] after = nativeKb();
        System.err.printf("vips leak check: objects %d -> %d, tracked %d -> %d bytes, RSS %d -> %d kB, RSS - Java heap %d -> %d kB%n",
                objects, Vips.liveObjects(), tracked, Vips.trackedMemory(), before[0], after[0], before[1], after[1]);
        assertThat(Vips.liveObjects()).isEqualTo(objects);
        assertThat(Vips.trackedMemory()).isLessThanOrEqualTo(tracked);
        assertThat(Vips.trackedFiles()).isEqualTo(files);
        // One leaked 600×450 decode per render would be 400 MB; allow allocator, JIT and metaspace noise. The Java
        // heap is taken out because a GC can shrink it by more than a leak adds.
        assertThat(after[1] - before[1]).as("growth of RSS outside the Java heap, kB").isLessThan(64 * 1024);
    }

    /**
     * A render whose deadline is cancelled stops within a tile instead of running to the end (a blur of σ 50 on
     * 4000 × 4000 takes far longer than the bound here on one core), and releases everything it made.
     */
    @Test
    void aCancelledRenderStopsAndReleasesItsImages() throws Exception {
        Plan huge = new Plan(List.of(new Op.Resize(4000, 4000), new Op.Blur(50)), Step.Format.PNG, 80, WHITE, 4000, 4000);
        byte[] source = Images.png(16, 16);
        vips.render(Images.jpeg(20, 20), plan(Step.Format.PNG, new Op.Resize(10, 10))); // warm up: lazy libvips classes
        long objects = Vips.liveObjects();
        Throwable failure = CancelledRender.run(vips, source, huge, Duration.ofMillis(500));
        assertThat(failure).isInstanceOf(ImageException.class).hasMessageContaining("ran out of time");
        assertThat(Vips.liveObjects()).isEqualTo(objects);
    }

    @Test
    void concurrentRendersFromPlatformThreadsAgree() throws Exception {
        byte[] jpeg = Images.jpeg(1000, 700);
        List<Plan> plans = List.of(
                new Plan(List.of(new Op.Resize(250, 175)), Step.Format.JPG, 80, WHITE, 250, 175),
                new Plan(List.of(new Op.Crop(0, 0, 500, 500), new Op.Rotate(20, WHITE), new Op.RoundCorners(50)),
                        Step.Format.PNG, 80, WHITE, 0, 0),
                new Plan(List.of(new Op.Resize(400, 300), new Op.Blur(4), new Op.Pad(500, 400, 50, 50, 0xFF00FFFFL)),
                        Step.Format.WEBP, 80, WHITE, 500, 400));
        List<byte[]> expected = new ArrayList<>();
        for (Plan p : plans) {
            expected.add(vips.render(jpeg, p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4); // platform threads
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                Callable<Integer> job = () -> {
                    int done = 0;
                    for (int i = 0; i < 30; i++) {
                        int k = (i + offset) % plans.size();
                        assertThat(vips.render(jpeg, plans.get(k))).as("plan %d", k).isEqualTo(expected.get(k));
                        done++;
                    }
                    return done;
                };
                results.add(pool.submit(job));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(30);
            }
        } finally {
            pool.shutdownNow();
        }
    }


    // ---- helpers

    private byte[] render(byte[] source, Plan plan) {
        try {
            return vips.render(source, plan);
        } catch (ImageException e) {
            throw new AssertionError(e);
        }
    }

    private static Plan plan(Step.Format format, Op... ops) {
        return new Plan(List.of(ops), format, 85, WHITE, 0, 0);
    }

    private static Plan plan(Step.Format format, int quality) {
        return new Plan(List.of(), format, quality, WHITE, 0, 0);
    }

    private static double median(long[] sortedNanos) {
        int n = sortedNanos.length;
        return (sortedNanos[(n - 1) / 2] + sortedNanos[n / 2]) / 2e6;
    }

    private static BufferedImage decode(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("ImageIO decodes the output").isNotNull();
        return image;
    }

    private static RgbAssert assertRgb(BufferedImage image, int x, int y) {
        return new RgbAssert(image.getRGB(x, y) & 0xFFFFFF);
    }

    private static int alpha(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) >>> 24;
    }

    /** Compares colours within JPEG/resampling tolerance. */
    private record RgbAssert(int actual) {
        void isCloseTo(int expected) {
            int tolerance = 40;
            for (int shift : new int[] {16, 8, 0}) {
                int a = (actual >> shift) & 0xFF;
                int e = (expected >> shift) & 0xFF;
                assertThat(Math.abs(a - e)).as("#%06x close to #%06x", actual, expected).isLessThanOrEqualTo(tolerance);
            }
        }

        void isNotEqualTo(RgbAssert other) {
            assertThat(actual).isNotEqualTo(other.actual);
        }
    }

    private static BufferedImage image(int width, int height, int type) {
        BufferedImage img = new BufferedImage(width, height, type);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.fillOval(0, 0, width / 2, height / 2);
        g.dispose();
        return img;
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ImageIO.write(image, format, out)).as("ImageIO writes " + format).isTrue();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    private static byte[] ppm(int w, int h) {
        byte[] header = ("P6\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(header, header.length + w * h * 3);
        Arrays.fill(out, header.length, out.length, (byte) 200);
        return out;
    }

    /** Inserts an EXIF APP1 segment with just the orientation tag right after SOI. */
    private static byte[] withOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
            'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation SHORT 1
            0, 0, 0, 0 // no next IFD
        };
        byte[] exif = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.US_ASCII), 0, exif, 0, 6);
        System.arraycopy(tiff, 0, exif, 6, tiff.length);
        int length = exif.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(exif, 0, exif.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Process RSS, and RSS minus the committed Java heap, in kB, after a GC. */
    private static long[] nativeKb() throws IOException {
        System.gc();
        long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
        long rss = rssKb();
        return new long[] {rss, rss - heap};
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}

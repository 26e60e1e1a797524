package dev.upfront.transform.vips;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.upfront.transform.Deadline;
import dev.upfront.transform.ImageBackend;
import dev.upfront.transform.Op;
import dev.upfront.transform.Plan;
import dev.upfront.transform.Step;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libvips backend, through the hand-written FFM binding in {@link Vips}. Get it with {@link #load()}, which
 * initialises libvips once per process and answers empty when the library is missing or unusable. Call
 * {@link #render} from platform threads (see package-info).
 */
public final class VipsBackend implements ImageBackend {
    private static final Logger log = LoggerFactory.getLogger(VipsBackend.class);

    private static final Set<String> READABLE = Set.of(
            "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/heif", "image/heic", "image/tiff");

    /** Loader base classes left unblocked; every other VipsForeignLoad subclass (svg, pdf, magick, matrix…) is blocked. */
    static final List<String> LOADERS = List.of(
            "VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadNsgif", "VipsForeignLoadWebp", "VipsForeignLoadHeif",
            "VipsForeignLoadTiff");

    /** The buffer loaders a source may reach: the classes vips_foreign_find_load_buffer names. */
    private static final Set<String> BUFFER_LOADERS = Set.copyOf(LOADERS.stream().map(l -> l + "Buffer").toList());

    private static Optional<VipsBackend> loaded;

    private final String version;
    private final Set<Step.Format> formats;

    private VipsBackend(String version, Set<Step.Format> formats) {
        this.version = version;
        this.formats = Collections.unmodifiableSet(EnumSet.copyOf(formats));
    }

    /**
     * The backend, or empty when {@code libvips.so.42} cannot be loaded or initialised (the server then uses the
     * pure-Java backend). Never throws; the first call initialises libvips, later calls return the same answer.
     */
    public static synchronized Optional<VipsBackend> load() {
        if (loaded == null) {
            loaded = initialise();
        }
        return loaded;
    }

    private static Optional<VipsBackend> initialise() {
        try {
            Vips.logHandler("VIPS", Vips.G_LOG_LEVEL_WARNING, message -> log.debug("libvips: {}", message));
            if (Vips.init("upfront") != 0) {
                log.info("libvips did not initialise ({}); using the Java backend", Vips.takeError());
                return Optional.empty();
            }
            Vips.cacheSetMax(0); // no operation cache: every render is new, and cached operations would pin buffers
            Vips.concurrencySet(1); // one worker per render; the caller's bounded pool gives the parallelism
            Vips.blockUntrustedSet(true);
            Vips.operationBlockSet("VipsForeignLoad", true);
            for (String loader : LOADERS) {
                Vips.operationBlockSet(loader, false);
            }
            String version = Vips.versionString();
            Set<Step.Format> formats = EnumSet.noneOf(Step.Format.class);
            for (Step.Format f : List.of(Step.Format.JPG, Step.Format.PNG, Step.Format.WEBP, Step.Format.AVIF)) {
                if (canEncode(f)) {
                    formats.add(f);
                } else {
                    log.info("libvips {} cannot encode {}; that format is off", version, f);
                }
            }
            if (!formats.contains(Step.Format.JPG) || !formats.contains(Step.Format.PNG)) {
                log.info("libvips {} cannot encode JPEG and PNG; using the Java backend", version);
                return Optional.empty();
            }
            return Optional.of(new VipsBackend(version, formats));
        } catch (Exception | LinkageError e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            log.info("libvips is not available ({}); using the Java backend", cause.toString());
            return Optional.empty();
        }
    }

    private static boolean canEncode(Step.Format format) {
        try (Session s = new Session()) {
            MemorySegment img = s.result(Vips.black(s.out(), 16, 16, 3), "create");
            img = s.result(Vips.colourspace(img, s.out(), Vips.INTERPRETATION_SRGB), "convert");
            return s.encode(img, format, 50, 0xFFFFFFFFL).length > 0;
        } catch (ImageException e) {
            log.debug("libvips probe for {} failed: {}", format, e.getMessage());
            return false;
        }
    }

    @Override
    public String name() {
        return "libvips " + version;
    }

    @Override
    public Set<Step.Format> formats() {
        return formats;
    }

    @Override
    public boolean canRead(String mime) {
        if (mime == null) {
            return false;
        }
        int semicolon = mime.indexOf(';');
        String type = (semicolon < 0 ? mime : mime.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return READABLE.contains(type);
    }

    @Override
    public long pixels(byte[] source) throws ImageException {
        requireAllowed(source);
        try (Session s = new Session()) {
            MemorySegment img = s.keep(Vips.newFromBufferSequential(s.loadable(source)), "decode"); // header only until pixels are asked for
            return (long) Vips.width(img) * Vips.height(img);
        }
    }

    /** Refuses, before libvips sees them, bytes that are empty or of a format this server does not decode. */
    private static void requireAllowed(byte[] source) throws ImageException {
        if (source.length == 0) {
            throw new ImageException("the image is empty");
        }
        if (!Magic.allowed(source)) {
            throw new ImageException("the image format is not supported");
        }
    }

    @Override
    public byte[] render(byte[] source, Plan plan, Deadline deadline) throws ImageException {
        if (!formats.contains(plan.format())) {
            throw new ImageException(plan.format().name().toLowerCase(Locale.ROOT) + " output is not available with " + name());
        }
        requireAllowed(source);
        deadline.check();
        try (Session s = new Session(); Deadline.Registration stop = deadline.onCancel(s::kill)) {
            MemorySegment buf = s.loadable(source);
            List<Op> ops = plan.ops();
            int next = 0;
            MemorySegment img;
            if (!ops.isEmpty() && ops.getFirst() instanceof Op.Resize r) {
                img = s.result(Vips.thumbnailBufferForce(buf, s.out(), r.width(), r.height()), "decode");
                img = s.exactly(s.normalise(img), r.width(), r.height());
                next = 1;
            } else {
                img = s.keep(Vips.newFromBufferSequential(buf), "decode");
                img = s.normalise(img);
            }
            for (Op op : ops.subList(next, ops.size())) {
                deadline.check();
                img = switch (op) {
                    case Op.Resize r -> s.resize(img, r.width(), r.height());
                    case Op.Crop c -> s.result(Vips.extractArea(img, s.out(), c.x(), c.y(), c.width(), c.height()), "crop");
                    case Op.Pad p -> s.pad(img, p);
                    case Op.Rotate r -> s.rotate(img, r.degrees(), r.rgba());
                    case Op.AutoRotate a -> s.autoRotate(img);
                    case Op.Blur b -> s.blur(img, b.sigma());
                    case Op.RoundCorners r -> s.roundCorners(img, r.radius());
                };
            }
            deadline.check();
            return s.encode(img, plan.format(), plan.quality(), plan.background());
        } catch (ImageException e) {
            throw deadline.passed() ? new ImageException("the render ran out of time", e) : e;
        }
    }

    /**
     * One render's native state: every VipsImage and VipsArea it creates (released in reverse on close), and a
     * confined arena for the source copy, out-parameters and C strings (freed after the images, which may still
     * point into the source buffer).
     */
    private static final class Session implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        private final List<MemorySegment> images = new ArrayList<>();
        private final List<MemorySegment> areas = new ArrayList<>();
        private final MemorySegment out = arena.allocate(ADDRESS);
        /** True while the pipeline reads a loader opened with access=sequential: no going back up the image. */
        private boolean sequential = true;
        /** Set by close: {@link #kill()} from another thread must not touch images already unref'd. */
        private boolean closed;

        /**
         * {@code source} copied where libvips reads it, once a loader this server allows is found for it. In 8.14 a
         * blocked loader can still parse before it notices it is blocked (pdfload does): the loader is chosen first.
         */
        MemorySegment loadable(byte[] source) throws ImageException {
            MemorySegment buf = arena.allocate(source.length);
            MemorySegment.copy(source, 0, buf, JAVA_BYTE, 0, source.length);
            String loader = Vips.findLoadBuffer(buf);
            if (loader == null) {
                throw failure("decode");
            }
            if (!BUFFER_LOADERS.contains(loader)) {
                throw new ImageException("the image format is not supported");
            }
            return buf;
        }

        /** The out-parameter slot for the next call, cleared. */
        MemorySegment out() {
            out.set(ADDRESS, 0, MemorySegment.NULL);
            return out;
        }

        /** Takes ownership of the image a call returned through {@link #out()}, or throws with libvips's error. */
        MemorySegment result(int rc, String what) throws ImageException {
            MemorySegment image = out.get(ADDRESS, 0);
            if (rc != 0 || image.equals(MemorySegment.NULL)) {
                throw failure(what);
            }
            own(image);
            return image;
        }

        /** Takes ownership of an image a call returned directly (NULL on failure). */
        MemorySegment keep(MemorySegment image, String what) throws ImageException {
            if (image.equals(MemorySegment.NULL)) {
                throw failure(what);
            }
            own(image);
            return image;
        }

        private synchronized void own(MemorySegment image) {
            images.add(image);
        }

        /**
         * Stops the computation under way (from another thread): every image of this render gets libvips's kill
         * flag, so the sink (write to buffer, copy to memory) fails at its next tile instead of running on.
         */
        synchronized void kill() {
            if (!closed) {
                images.forEach(Vips::setKill);
            }
        }

        MemorySegment background(MemorySegment image, long rgba) {
            double r = (rgba >>> 24) & 0xFF;
            double g = (rgba >>> 16) & 0xFF;
            double b = (rgba >>> 8) & 0xFF;
            double a = rgba & 0xFF;
            MemorySegment area = Vips.hasAlpha(image) ? Vips.arrayDouble(arena, r, g, b, a) : Vips.arrayDouble(arena, r, g, b);
            areas.add(area);
            return area;
        }

        /** sRGB, 8 bits, 3 or 4 bands: the one layout the operations below assume. */
        MemorySegment normalise(MemorySegment img) throws ImageException {
            int interpretation = Vips.guessInterpretation(img);
            boolean srgb = interpretation == Vips.INTERPRETATION_SRGB || interpretation == Vips.INTERPRETATION_RGB;
            if (!srgb || Vips.format(img) != Vips.FORMAT_UCHAR) {
                img = result(Vips.colourspace(img, out(), Vips.INTERPRETATION_SRGB), "convert to sRGB");
            }
            if (Vips.format(img) != Vips.FORMAT_UCHAR) {
                img = result(Vips.cast(img, out(), Vips.FORMAT_UCHAR), "convert to 8 bits");
            }
            int bands = Vips.bands(img);
            if (bands != 3 && bands != 4) {
                throw new ImageException("images with " + bands + " bands are not supported");
            }
            // Wide-gamut RGB (Display P3, Adobe RGB): convert, since the encoders strip the profile.
            byte[] icc = Vips.iccProfile(arena, img);
            if (icc != null && Icc.isRgb(icc) && !Icc.isSrgb(icc)) {
                if (Vips.iccTransformToSrgb(img, out()) == 0) {
                    img = result(0, "convert to sRGB");
                } else {
                    log.debug("libvips: embedded profile ignored: {}", Vips.takeError());
                }
            }
            return img;
        }

        /** The first Resize comes from vips_thumbnail; make sure of the size it promised. */
        MemorySegment exactly(MemorySegment img, int width, int height) throws ImageException {
            int w = Vips.width(img);
            int h = Vips.height(img);
            if (w == width && h == height) {
                return img;
            }
            if (w >= width && h >= height) {
                return result(Vips.extractArea(img, out(), 0, 0, width, height), "resize");
            }
            return resize(img, width, height);
        }

        MemorySegment resize(MemorySegment img, int width, int height) throws ImageException {
            int w = Vips.width(img);
            int h = Vips.height(img);
            if (w == width && h == height) {
                return img;
            }
            boolean alpha = Vips.hasAlpha(img);
            MemorySegment in = img;
            if (alpha) { // premultiplied so transparent pixels don't bleed colour; 8 bits keep the fast integer path
                in = result(Vips.premultiply(img, out()), "resize");
                in = result(Vips.cast(in, out(), Vips.FORMAT_UCHAR), "resize");
            }
            MemorySegment r = result(Vips.resize(in, out(), (double) width / w, (double) height / h), "resize");
            if (alpha) {
                r = result(Vips.unpremultiply(r, out()), "resize");
                r = result(Vips.cast(r, out(), Vips.FORMAT_UCHAR), "resize");
            }
            if (Vips.width(r) >= width && Vips.height(r) >= height && (Vips.width(r) != width || Vips.height(r) != height)) {
                r = result(Vips.extractArea(r, out(), 0, 0, width, height), "resize");
            }
            if (Vips.width(r) != width || Vips.height(r) != height) {
                throw new ImageException("libvips resized to " + Vips.width(r) + "x" + Vips.height(r) + " instead of " + width + "x" + height);
            }
            return r;
        }

        MemorySegment pad(MemorySegment img, Op.Pad p) throws ImageException {
            if ((p.rgba() & 0xFF) < 0xFF && !Vips.hasAlpha(img)) {
                img = result(Vips.addalpha(img, out()), "pad");
            }
            MemorySegment bg = background(img, p.rgba());
            return result(Vips.embedBackground(img, out(), p.x(), p.y(), p.width(), p.height(), bg), "pad");
        }

        MemorySegment rotate(MemorySegment img, int degrees, long rgba) throws ImageException {
            int d = Math.floorMod(degrees, 360);
            if (d == 0) {
                return img;
            }
            if (d % 90 == 0) {
                int angle = d == 90 ? Vips.ANGLE_D90 : d == 180 ? Vips.ANGLE_D180 : Vips.ANGLE_D270;
                return result(Vips.rot(randomAccess(img), out(), angle), "rotate");
            }
            if ((rgba & 0xFF) < 0xFF && !Vips.hasAlpha(img)) {
                img = result(Vips.addalpha(img, out()), "rotate");
            }
            img = randomAccess(img);
            // Same size rule as the Planner; the centres coincide. vips_affine premultiplies alpha itself.
            int w = Vips.width(img);
            int h = Vips.height(img);
            double rad = Math.toRadians(degrees);
            double cos = Math.cos(rad);
            double sin = Math.sin(rad);
            int nw = (int) Math.round(Math.abs(w * cos) + Math.abs(h * sin));
            int nh = (int) Math.round(Math.abs(w * sin) + Math.abs(h * cos));
            MemorySegment oarea = Vips.arrayInt(arena, 0, 0, nw, nh);
            areas.add(oarea);
            MemorySegment bg = background(img, rgba);
            return result(Vips.affine(img, out(), cos, -sin, sin, cos, oarea,
                    -(w - 1) / 2.0, -(h - 1) / 2.0, (nw - 1) / 2.0, (nh - 1) / 2.0, bg), "rotate");
        }

        MemorySegment autoRotate(MemorySegment img) throws ImageException {
            int orientation = Vips.orientation(img);
            if (orientation < 2 || orientation > 8) {
                return img;
            }
            return result(Vips.autorot(randomAccess(img), out()), "rotate");
        }

        MemorySegment blur(MemorySegment img, double sigma) throws ImageException {
            if (!(sigma > 0)) {
                return img;
            }
            boolean alpha = Vips.hasAlpha(img);
            MemorySegment in = img;
            if (alpha) { // premultiplied, but back in 8 bits: gaussblur's integer path is 4x faster than float
                in = result(Vips.premultiply(img, out()), "blur");
                in = result(Vips.cast(in, out(), Vips.FORMAT_UCHAR), "blur");
            }
            MemorySegment r = result(Vips.gaussblur(in, out(), sigma), "blur");
            if (alpha) {
                r = result(Vips.unpremultiply(r, out()), "blur");
            }
            if (Vips.format(r) != Vips.FORMAT_UCHAR) {
                r = result(Vips.cast(r, out(), Vips.FORMAT_UCHAR), "blur");
            }
            return r;
        }

        /** An anti-aliased rounded-rectangle mask (corner tiles computed here, the rest 255) becomes or scales alpha. */
        MemorySegment roundCorners(MemorySegment img, int radius) throws ImageException {
            int w = Vips.width(img);
            int h = Vips.height(img);
            int r = Math.min(radius, Math.min(w, h) / 2);
            if (r <= 0) {
                return img;
            }
            MemorySegment tile = arena.allocateFrom(JAVA_BYTE, cornerTile(r));
            MemorySegment tl = keep(Vips.newFromMemoryCopy(tile, (long) r * r, r, r, 1, Vips.FORMAT_UCHAR), "round corners");
            MemorySegment tr = result(Vips.flip(tl, out(), Vips.DIRECTION_HORIZONTAL), "round corners");
            MemorySegment bl = result(Vips.flip(tl, out(), Vips.DIRECTION_VERTICAL), "round corners");
            MemorySegment br = result(Vips.flip(tr, out(), Vips.DIRECTION_VERTICAL), "round corners");
            MemorySegment mask = result(Vips.black(out(), w, h, 1), "round corners");
            mask = result(Vips.linear1Uchar(mask, out(), 1, 255), "round corners");
            mask = result(Vips.insert(mask, tl, out(), 0, 0), "round corners");
            mask = result(Vips.insert(mask, tr, out(), w - r, 0), "round corners");
            mask = result(Vips.insert(mask, bl, out(), 0, h - r), "round corners");
            mask = result(Vips.insert(mask, br, out(), w - r, h - r), "round corners");
            if (!Vips.hasAlpha(img)) {
                return result(Vips.bandjoin2(img, mask, out()), "round corners");
            }
            int bands = Vips.bands(img);
            MemorySegment colour = result(Vips.extractBands(img, out(), 0, bands - 1), "round corners");
            MemorySegment alpha = result(Vips.extractBands(img, out(), bands - 1, 1), "round corners");
            alpha = result(Vips.multiply(alpha, mask, out()), "round corners");
            alpha = result(Vips.linear1Uchar(alpha, out(), 1 / 255.0, 0), "round corners");
            return result(Vips.bandjoin2(colour, alpha, out()), "round corners");
        }

        byte[] encode(MemorySegment img, Step.Format format, int quality, long background) throws ImageException {
            int q = quality <= 0 ? 80 : Math.min(quality, 100);
            String suffix = switch (format) {
                case JPG -> ".jpg[Q=" + q + ",strip]";
                case PNG -> ".png[strip]";
                case WEBP -> ".webp[Q=" + q + ",strip]";
                case AVIF -> ".avif[Q=" + q + ",strip]";
                case AUTO -> throw new IllegalArgumentException("auto is resolved before encoding");
            };
            if (format == Step.Format.JPG && Vips.hasAlpha(img)) {
                MemorySegment bg = Vips.arrayDouble(arena, (background >>> 24) & 0xFF, (background >>> 16) & 0xFF, (background >>> 8) & 0xFF);
                areas.add(bg);
                img = result(Vips.flatten(img, out(), bg), "flatten");
            }
            MemorySegment data = arena.allocate(ADDRESS);
            MemorySegment length = arena.allocate(JAVA_LONG);
            if (Vips.writeToBuffer(img, arena.allocateFrom(suffix), data, length) != 0) {
                throw failure("encode");
            }
            MemorySegment p = data.get(ADDRESS, 0);
            try {
                return p.reinterpret(length.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
            } finally {
                Vips.gFree(p);
            }
        }

        /** Before an operation that reads out of order, render what we have so far into memory. */
        private MemorySegment randomAccess(MemorySegment img) throws ImageException {
            if (!sequential) {
                return img;
            }
            sequential = false;
            return keep(Vips.copyMemory(img), "decode");
        }

        static ImageException failure(String what) {
            String text = Vips.takeError();
            if (text.length() > 1000) {
                text = text.substring(0, 1000) + "…";
            }
            return new ImageException(text.isEmpty() ? "libvips could not " + what + " the image" : text);
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
            }
            try {
                for (int i = images.size() - 1; i >= 0; i--) {
                    Vips.unref(images.get(i));
                }
                for (MemorySegment area : areas) {
                    Vips.areaUnref(area);
                }
            } finally {
                arena.close();
            }
        }
    }

    /** The top-left corner of a radius-r rounded rectangle as r × r coverage bytes (255 inside). */
    static byte[] cornerTile(int r) {
        byte[] tile = new byte[r * r];
        for (int y = 0; y < r; y++) {
            for (int x = 0; x < r; x++) {
                double dx = r - (x + 0.5);
                double dy = r - (y + 0.5);
                double coverage = Math.clamp(r - Math.sqrt(dx * dx + dy * dy) + 0.5, 0.0, 1.0);
                tile[y * r + x] = (byte) Math.round(coverage * 255);
            }
        }
        return tile;
    }
}

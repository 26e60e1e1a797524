package dev.upfront.transform.vips;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The raw downcalls into {@code libvips.so.42} (8.14 ABI), one typed method per C call shape. Nothing here owns
 * anything: callers unref what they get back (see {@link VipsBackend} and package-info). Variadic functions get one
 * handle per argument list actually used, always ending with the NULL that terminates the option list; a C
 * {@code gboolean} or enum is passed as {@code int}, a {@code double} as {@code double} (the C default promotions).
 *
 * <p>Loading this class loads the library; it fails with {@link ExceptionInInitializerError} when the library or a
 * symbol is missing, which {@link VipsBackend#load()} turns into "no libvips".
 */
final class Vips {
    private Vips() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = SymbolLookup.libraryLookup("libvips.so.42", Arena.global());
    private static final MemoryLayout SIZE_T = LINKER.canonicalLayouts().get("size_t");
    private static final MemoryLayout P = ADDRESS;
    private static final MemoryLayout I = JAVA_INT;
    private static final MemoryLayout D = JAVA_DOUBLE;

    // enums from vips/*.h (8.14)
    static final int ACCESS_SEQUENTIAL = 1;
    static final int SIZE_FORCE = 3;
    static final int EXTEND_BACKGROUND = 5;
    static final int ANGLE_D90 = 1;
    static final int ANGLE_D180 = 2;
    static final int ANGLE_D270 = 3;
    static final int DIRECTION_HORIZONTAL = 0;
    static final int DIRECTION_VERTICAL = 1;
    static final int FORMAT_UCHAR = 0;
    static final int INTERPRETATION_B_W = 1;
    static final int INTERPRETATION_CMYK = 15;
    static final int INTERPRETATION_RGB = 17;
    static final int INTERPRETATION_SRGB = 22;
    static final int G_LOG_LEVEL_WARNING = 1 << 4;

    // option names, allocated once and never freed
    private static final MemorySegment EMPTY = cstr("");
    private static final MemorySegment ACCESS = cstr("access");
    private static final MemorySegment HEIGHT = cstr("height");
    private static final MemorySegment SIZE = cstr("size");
    private static final MemorySegment NO_ROTATE = cstr("no_rotate");
    private static final MemorySegment VSCALE = cstr("vscale");
    private static final MemorySegment EXTEND = cstr("extend");
    private static final MemorySegment BACKGROUND = cstr("background");
    private static final MemorySegment OAREA = cstr("oarea");
    private static final MemorySegment IDX = cstr("idx");
    private static final MemorySegment IDY = cstr("idy");
    private static final MemorySegment ODX = cstr("odx");
    private static final MemorySegment ODY = cstr("ody");
    private static final MemorySegment EMBEDDED = cstr("embedded");
    private static final MemorySegment BANDS = cstr("bands");
    private static final MemorySegment N = cstr("n");
    private static final MemorySegment UCHAR = cstr("uchar");
    private static final MemorySegment ICC_PROFILE = cstr("icc-profile-data");
    private static final MemorySegment SRGB = cstr("srgb");
    private static final MemorySegment NULL = MemorySegment.NULL;

    // plain functions
    private static final MethodHandle INIT = fn("vips_init", I, P);
    private static final MethodHandle VERSION_STRING = fn("vips_version_string", P);
    private static final MethodHandle CACHE_SET_MAX = fnVoid("vips_cache_set_max", I);
    private static final MethodHandle CONCURRENCY_SET = fnVoid("vips_concurrency_set", I);
    private static final MethodHandle BLOCK_UNTRUSTED_SET = fnVoid("vips_block_untrusted_set", I);
    private static final MethodHandle OPERATION_BLOCK_SET = fnVoid("vips_operation_block_set", P, I);
    private static final MethodHandle ERROR_BUFFER = fn("vips_error_buffer", P);
    private static final MethodHandle ERROR_CLEAR = fnVoid("vips_error_clear");
    private static final MethodHandle G_OBJECT_UNREF = fnVoid("g_object_unref", P);
    private static final MethodHandle G_FREE = fnVoid("g_free", P);
    private static final MethodHandle G_LOG_SET_HANDLER = fn("g_log_set_handler", I, P, I, P, P);
    private static final MethodHandle ARRAY_DOUBLE_NEW = fn("vips_array_double_new", P, P, I);
    private static final MethodHandle ARRAY_INT_NEW = fn("vips_array_int_new", P, P, I);
    private static final MethodHandle AREA_UNREF = fnVoid("vips_area_unref", P);
    private static final MethodHandle IMAGE_GET_WIDTH = fn("vips_image_get_width", I, P);
    private static final MethodHandle IMAGE_GET_HEIGHT = fn("vips_image_get_height", I, P);
    private static final MethodHandle IMAGE_GET_BANDS = fn("vips_image_get_bands", I, P);
    private static final MethodHandle IMAGE_GET_FORMAT = fn("vips_image_get_format", I, P);
    private static final MethodHandle IMAGE_GUESS_INTERPRETATION = fn("vips_image_guess_interpretation", I, P);
    private static final MethodHandle IMAGE_HASALPHA = fn("vips_image_hasalpha", I, P);
    private static final MethodHandle IMAGE_GET_ORIENTATION = fn("vips_image_get_orientation", I, P);
    private static final MethodHandle IMAGE_GET_TYPEOF = fn("vips_image_get_typeof", JAVA_LONG, P, P);
    private static final MethodHandle IMAGE_GET_BLOB = fn("vips_image_get_blob", I, P, P, P, P);
    private static final MethodHandle IMAGE_SET_KILL = fnVoid("vips_image_set_kill", P, I);
    private static final MethodHandle IMAGE_COPY_MEMORY = fn("vips_image_copy_memory", P, P);
    private static final MethodHandle IMAGE_NEW_FROM_MEMORY_COPY = fn("vips_image_new_from_memory_copy", P, P, SIZE_T, I, I, I, I);
    private static final MethodHandle TRACKED_GET_MEM = fn("vips_tracked_get_mem", SIZE_T);
    private static final MethodHandle TRACKED_GET_FILES = fn("vips_tracked_get_files", I);
    private static final MethodHandle OBJECT_MAP = fn("vips_object_map", P, P, P, P);
    private static final MethodHandle FIND_LOAD_BUFFER = fn("vips_foreign_find_load_buffer", P, P, SIZE_T);

    // variadic functions: fixed arguments, then the options actually passed, then NULL
    private static final MethodHandle NEW_FROM_BUFFER = va("vips_image_new_from_buffer", P, args(P, SIZE_T, P), args(P, I, P));
    private static final MethodHandle THUMBNAIL_BUFFER = va("vips_thumbnail_buffer", I, args(P, SIZE_T, P, I), args(P, I, P, I, P, I, P));
    private static final MethodHandle WRITE_TO_BUFFER = va("vips_image_write_to_buffer", I, args(P, P, P, P), args(P));
    private static final MethodHandle RESIZE = va("vips_resize", I, args(P, P, D), args(P, D, P));
    private static final MethodHandle EXTRACT_AREA = va("vips_extract_area", I, args(P, P, I, I, I, I), args(P));
    private static final MethodHandle EMBED = va("vips_embed", I, args(P, P, I, I, I, I), args(P, I, P, P, P));
    private static final MethodHandle ROT = va("vips_rot", I, args(P, P, I), args(P));
    private static final MethodHandle AFFINE = va("vips_affine", I, args(P, P, D, D, D, D), args(P, P, P, D, P, D, P, D, P, D, P, P, P));
    private static final MethodHandle AUTOROT = va("vips_autorot", I, args(P, P), args(P));
    private static final MethodHandle GAUSSBLUR = va("vips_gaussblur", I, args(P, P, D), args(P));
    private static final MethodHandle FLATTEN = va("vips_flatten", I, args(P, P), args(P, P, P));
    private static final MethodHandle COLOURSPACE = va("vips_colourspace", I, args(P, P, I), args(P));
    private static final MethodHandle ICC_TRANSFORM = va("vips_icc_transform", I, args(P, P, P), args(P, I, P));
    private static final MethodHandle CAST = va("vips_cast", I, args(P, P, I), args(P));
    private static final MethodHandle PREMULTIPLY = va("vips_premultiply", I, args(P, P), args(P));
    private static final MethodHandle UNPREMULTIPLY = va("vips_unpremultiply", I, args(P, P), args(P));
    private static final MethodHandle ADDALPHA = va("vips_addalpha", I, args(P, P), args(P));
    private static final MethodHandle BANDJOIN2 = va("vips_bandjoin2", I, args(P, P, P), args(P));
    private static final MethodHandle EXTRACT_BAND = va("vips_extract_band", I, args(P, P, I), args(P, I, P));
    private static final MethodHandle MULTIPLY = va("vips_multiply", I, args(P, P, P), args(P));
    private static final MethodHandle LINEAR1 = va("vips_linear1", I, args(P, P, D, D), args(P, I, P));
    private static final MethodHandle BLACK = va("vips_black", I, args(P, I, I), args(P, I, P));
    private static final MethodHandle INSERT = va("vips_insert", I, args(P, P, P, I, I), args(P));
    private static final MethodHandle FLIP = va("vips_flip", I, args(P, P, I), args(P));

    // ---- setup and globals

    static int init(String argv0) {
        try (Arena a = Arena.ofConfined()) {
            return (int) INIT.invokeExact(a.allocateFrom(argv0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String versionString() {
        try {
            return string((MemorySegment) VERSION_STRING.invokeExact());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void cacheSetMax(int max) {
        try {
            CACHE_SET_MAX.invokeExact(max);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void concurrencySet(int n) {
        try {
            CONCURRENCY_SET.invokeExact(n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void blockUntrustedSet(boolean state) {
        try {
            BLOCK_UNTRUSTED_SET.invokeExact(state ? 1 : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Blocks (or unblocks) an operation class and all its subclasses, e.g. {@code VipsForeignLoad}. */
    static void operationBlockSet(String className, boolean state) {
        try (Arena a = Arena.ofConfined()) {
            OPERATION_BLOCK_SET.invokeExact(a.allocateFrom(className), state ? 1 : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Takes the text of libvips's (process-wide) error buffer and clears it. */
    static String takeError() {
        try {
            String text = string((MemorySegment) ERROR_BUFFER.invokeExact());
            ERROR_CLEAR.invokeExact();
            return text == null ? "" : text.trim();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void unref(MemorySegment gobject) {
        try {
            G_OBJECT_UNREF.invokeExact(gobject);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void gFree(MemorySegment p) {
        try {
            G_FREE.invokeExact(p);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Routes glib log messages of {@code domain} at the given levels to {@code sink}. The stub lives for the whole
     * process (glib keeps the pointer); the sink must not throw and is called from libvips worker threads too.
     */
    static void logHandler(String domain, int levels, Consumer<String> sink) {
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(Vips.class, "onLog",
                    MethodType.methodType(void.class, Consumer.class, MemorySegment.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = LINKER.upcallStub(target.bindTo(sink), FunctionDescriptor.ofVoid(P, I, P, P), Arena.global());
            int unused = (int) G_LOG_SET_HANDLER.invokeExact(Arena.global().allocateFrom(domain), levels, stub, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @SuppressWarnings("unused") // the upcall target
    private static void onLog(Consumer<String> sink, MemorySegment domain, int level, MemorySegment message, MemorySegment userData) {
        try {
            sink.accept(string(message));
        } catch (Throwable ignored) {
            // an exception escaping an upcall kills the JVM
        }
    }

    // ---- arrays (refcounted VipsArea; operations take their own reference)

    static MemorySegment arrayDouble(Arena arena, double... values) {
        try {
            return (MemorySegment) ARRAY_DOUBLE_NEW.invokeExact(arena.allocateFrom(JAVA_DOUBLE, values), values.length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment arrayInt(Arena arena, int... values) {
        try {
            return (MemorySegment) ARRAY_INT_NEW.invokeExact(arena.allocateFrom(JAVA_INT, values), values.length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void areaUnref(MemorySegment area) {
        try {
            AREA_UNREF.invokeExact(area);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- image header

    static int width(MemorySegment image) {
        try {
            return (int) IMAGE_GET_WIDTH.invokeExact(image);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int height(MemorySegment image) {
        try {
            return (int) IMAGE_GET_HEIGHT.invokeExact(image);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int bands(MemorySegment image) {
        try {
            return (int) IMAGE_GET_BANDS.invokeExact(image);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int format(MemorySegment image) {
        try {
            return (int) IMAGE_GET_FORMAT.invokeExact(image);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int guessInterpretation(MemorySegment image) {
        try {
            return (int) IMAGE_GUESS_INTERPRETATION.invokeExact(image);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static boolean hasAlpha(MemorySegment image) {
        try {
            return (int) IMAGE_HASALPHA.invokeExact(image) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int orientation(MemorySegment image) {
        try {
            return (int) IMAGE_GET_ORIENTATION.invokeExact(image);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The embedded ICC profile (a copy), or null. */
    static byte[] iccProfile(Arena arena, MemorySegment image) {
        try {
            if ((long) IMAGE_GET_TYPEOF.invokeExact(image, ICC_PROFILE) == 0) {
                return null;
            }
            MemorySegment data = arena.allocate(ADDRESS);
            MemorySegment length = arena.allocate(SIZE_T);
            if ((int) IMAGE_GET_BLOB.invokeExact(image, ICC_PROFILE, data, length) != 0) {
                takeError();
                return null;
            }
            long n = length.get(JAVA_LONG, 0);
            MemorySegment p = data.get(ADDRESS, 0);
            if (p.equals(NULL) || n <= 0 || n > 16 << 20) {
                return null;
            }
            return p.reinterpret(n).toArray(JAVA_BYTE); // borrowed from the image: copy now
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The class name of the loader libvips would pick for {@code buf} (e.g. {@code VipsForeignLoadJpegBuffer}), or null
     * with the error buffer set. Only runs the loaders' magic-number sniffers, blocked ones included.
     */
    static String findLoadBuffer(MemorySegment buf) {
        try {
            return string((MemorySegment) FIND_LOAD_BUFFER.invokeExact(buf, buf.byteSize()));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Sets the image's kill flag: evaluation that reaches it (a sink computing it or an image built on it) stops
     * with an error at its next tile. Safe to call from another thread while the image is being computed.
     */
    static void setKill(MemorySegment image) {
        try {
            IMAGE_SET_KILL.invokeExact(image, 1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- images: each returns a new reference (or NULL on failure) the caller must unref

    static MemorySegment copyMemory(MemorySegment image) {
        try {
            return (MemorySegment) IMAGE_COPY_MEMORY.invokeExact(image);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment newFromMemoryCopy(MemorySegment data, long size, int width, int height, int bands, int format) {
        try {
            return (MemorySegment) IMAGE_NEW_FROM_MEMORY_COPY.invokeExact(data, size, width, height, bands, format);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Lazily decodes {@code buf}, which must stay valid until every image derived from the result is unref'd. */
    static MemorySegment newFromBufferSequential(MemorySegment buf) {
        try {
            return (MemorySegment) NEW_FROM_BUFFER.invokeExact(buf, buf.byteSize(), EMPTY, ACCESS, ACCESS_SEQUENTIAL, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- operations: return 0 on success (then *out holds a new reference), -1 with the error buffer set

    /** Exactly width × height with shrink-on-load, without applying the EXIF orientation. Same rule on {@code buf}. */
    static int thumbnailBufferForce(MemorySegment buf, MemorySegment out, int width, int height) {
        try {
            return (int) THUMBNAIL_BUFFER.invokeExact(buf, buf.byteSize(), out, width, HEIGHT, height, SIZE, SIZE_FORCE, NO_ROTATE, 1, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code *buf} is g_malloc'd: the caller g_frees it. */
    static int writeToBuffer(MemorySegment image, MemorySegment suffix, MemorySegment buf, MemorySegment size) {
        try {
            return (int) WRITE_TO_BUFFER.invokeExact(image, suffix, buf, size, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int resize(MemorySegment in, MemorySegment out, double hscale, double vscale) {
        try {
            return (int) RESIZE.invokeExact(in, out, hscale, VSCALE, vscale, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int extractArea(MemorySegment in, MemorySegment out, int left, int top, int width, int height) {
        try {
            return (int) EXTRACT_AREA.invokeExact(in, out, left, top, width, height, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int embedBackground(MemorySegment in, MemorySegment out, int x, int y, int width, int height, MemorySegment background) {
        try {
            return (int) EMBED.invokeExact(in, out, x, y, width, height, EXTEND, EXTEND_BACKGROUND, BACKGROUND, background, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int rot(MemorySegment in, MemorySegment out, int angle) {
        try {
            return (int) ROT.invokeExact(in, out, angle, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Output pixel = [a b; c d] · (input + (idx, idy)) + (odx, ody), over the output area {@code oarea}. */
    static int affine(MemorySegment in, MemorySegment out, double a, double b, double c, double d, MemorySegment oarea,
            double idx, double idy, double odx, double ody, MemorySegment background) {
        try {
            return (int) AFFINE.invokeExact(in, out, a, b, c, d,
                    OAREA, oarea, IDX, idx, IDY, idy, ODX, odx, ODY, ody, BACKGROUND, background, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int autorot(MemorySegment in, MemorySegment out) {
        try {
            return (int) AUTOROT.invokeExact(in, out, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int gaussblur(MemorySegment in, MemorySegment out, double sigma) {
        try {
            return (int) GAUSSBLUR.invokeExact(in, out, sigma, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int flatten(MemorySegment in, MemorySegment out, MemorySegment background) {
        try {
            return (int) FLATTEN.invokeExact(in, out, BACKGROUND, background, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int colourspace(MemorySegment in, MemorySegment out, int space) {
        try {
            return (int) COLOURSPACE.invokeExact(in, out, space, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** To the built-in sRGB profile from the embedded one. */
    static int iccTransformToSrgb(MemorySegment in, MemorySegment out) {
        try {
            return (int) ICC_TRANSFORM.invokeExact(in, out, SRGB, EMBEDDED, 1, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int cast(MemorySegment in, MemorySegment out, int format) {
        try {
            return (int) CAST.invokeExact(in, out, format, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int premultiply(MemorySegment in, MemorySegment out) {
        try {
            return (int) PREMULTIPLY.invokeExact(in, out, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int unpremultiply(MemorySegment in, MemorySegment out) {
        try {
            return (int) UNPREMULTIPLY.invokeExact(in, out, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int addalpha(MemorySegment in, MemorySegment out) {
        try {
            return (int) ADDALPHA.invokeExact(in, out, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int bandjoin2(MemorySegment in1, MemorySegment in2, MemorySegment out) {
        try {
            return (int) BANDJOIN2.invokeExact(in1, in2, out, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int extractBands(MemorySegment in, MemorySegment out, int band, int n) {
        try {
            return (int) EXTRACT_BAND.invokeExact(in, out, band, N, n, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int multiply(MemorySegment left, MemorySegment right, MemorySegment out) {
        try {
            return (int) MULTIPLY.invokeExact(left, right, out, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** out = in · a + b, as uchar. */
    static int linear1Uchar(MemorySegment in, MemorySegment out, double a, double b) {
        try {
            return (int) LINEAR1.invokeExact(in, out, a, b, UCHAR, 1, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int black(MemorySegment out, int width, int height, int bands) {
        try {
            return (int) BLACK.invokeExact(out, width, height, BANDS, bands, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int insert(MemorySegment main, MemorySegment sub, MemorySegment out, int x, int y) {
        try {
            return (int) INSERT.invokeExact(main, sub, out, x, y, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int flip(MemorySegment in, MemorySegment out, int direction) {
        try {
            return (int) FLIP.invokeExact(in, out, direction, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- diagnostics (tests)

    /** Bytes of pixel memory libvips has allocated and not yet freed. */
    static long trackedMemory() {
        try {
            return (long) TRACKED_GET_MEM.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int trackedFiles() {
        try {
            return (int) TRACKED_GET_FILES.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** How many VipsObjects (images, operations, interpolators…) are alive in the process. */
    static long liveObjects() {
        AtomicLong count = new AtomicLong();
        try (Arena a = Arena.ofConfined()) {
            MethodHandle target = MethodHandles.lookup().findStatic(Vips.class, "countObject",
                    MethodType.methodType(MemorySegment.class, AtomicLong.class, MemorySegment.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = LINKER.upcallStub(target.bindTo(count), FunctionDescriptor.of(P, P, P, P), a);
            MemorySegment unused = (MemorySegment) OBJECT_MAP.invokeExact(stub, NULL, NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return count.get();
    }

    @SuppressWarnings("unused") // the upcall target
    private static MemorySegment countObject(AtomicLong count, MemorySegment object, MemorySegment a, MemorySegment b) {
        count.incrementAndGet();
        return NULL;
    }

    // ---- plumbing

    static MemorySegment cstr(String s) {
        return Arena.global().allocateFrom(s);
    }

    private static String string(MemorySegment p) {
        return p.equals(NULL) ? null : p.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    private static MethodHandle fn(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args));
    }

    private static MethodHandle fnVoid(String name, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(args));
    }

    private static MethodHandle va(String name, MemoryLayout result, MemoryLayout[] fixed, MemoryLayout[] varargs) {
        MemoryLayout[] all = new MemoryLayout[fixed.length + varargs.length];
        System.arraycopy(fixed, 0, all, 0, fixed.length);
        System.arraycopy(varargs, 0, all, fixed.length, varargs.length);
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, all), Linker.Option.firstVariadicArg(fixed.length));
    }

    private static MemoryLayout[] args(MemoryLayout... layouts) {
        return layouts;
    }

    private static MemorySegment symbol(String name) {
        return LIB.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libvips.so.42 has no symbol " + name));
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}

/**
 * The libvips image backend: a small hand-written FFM binding to Debian's {@code libvips.so.42} (8.14), because
 * vips-ffm is not in the Maven mirror. {@link dev.upfront.transform.vips.Vips} holds the raw downcalls;
 * {@link dev.upfront.transform.vips.VipsBackend} owns everything else. A mistake here is a segfault, not an
 * exception, so the rules are strict.
 *
 * <h2>Loading</h2>
 * {@code SymbolLookup.libraryLookup("libvips.so.42", Arena.global())} finds libvips and, through the same dlopen
 * handle, the glib/gobject symbols it links ({@code g_object_unref}, {@code g_free}, {@code g_log_set_handler}). Any
 * failure to load, link or initialise (missing library or symbol, {@code vips_init} error, native access denied)
 * makes {@code VipsBackend.load()} answer empty, and the server uses the pure-Java backend. libvips is initialised
 * once per process; it is never shut down.
 *
 * <h2>Variadic calls</h2>
 * Most vips operations are C varargs ({@code vips_resize(in, &out, scale, "vscale", v, NULL)}). Each call shape gets
 * its own downcall handle with {@code Linker.Option.firstVariadicArg(n)}, n being the number of fixed parameters, and
 * an option list that always ends with a NULL pointer. Integers, gbooleans and enums go as {@code int}, reals as
 * {@code double}: never pass a {@code float}, {@code short} or {@code long} where C expects an int. Option names are
 * C strings allocated once in the global arena. Enum values are copied from the 8.14 headers into {@code Vips}.
 *
 * <h2>Ownership</h2>
 * <ul>
 * <li>Every {@code VipsImage*} an operation returns (through {@code VipsImage **out}) or a constructor returns is a new
 * reference that the render owns: it is recorded in the render's session and {@code g_object_unref}'d when the render
 * ends, success or failure. Never unref an image you did not get that way, and never read {@code *out} after a
 * non-zero return.</li>
 * <li>{@code VipsArrayDouble}/{@code VipsArrayInt} (backgrounds, affine output area) are refcounted areas: operations
 * take their own reference, and the session {@code vips_area_unref}s ours.</li>
 * <li>{@code vips_image_write_to_buffer} returns g_malloc'd memory: copy it into a {@code byte[]}, then
 * {@code g_free} it (in a finally).</li>
 * <li>{@code vips_image_new_from_buffer} and {@code vips_thumbnail_buffer} do <em>not</em> copy the source: the native
 * copy of the input lives in the session's confined arena, which is closed only after every image is unref'd.</li>
 * <li>Blobs read with {@code vips_image_get_blob} (the ICC profile) are borrowed: copy them before the image goes.</li>
 * <li>The operation cache is off ({@code vips_cache_set_max(0)}), so nothing outlives a render; the tests check
 * that the live VipsObject count and libvips's tracked memory return to their baseline.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * An operation returning non-zero (or NULL) has written to libvips's error buffer; the text, trimmed, becomes the
 * {@code ImageException} message, and the buffer is cleared. The buffer is process-wide, not per thread, so two
 * renders failing at the same moment may see each other's text: it is for people, not for branching on. glib
 * warnings from the {@code VIPS} domain (for example "premature end of JPEG file") go to the log at debug level
 * through an upcall instead of stderr.
 *
 * <h2>Threading</h2>
 * A backend is thread-safe: every render has its own session and images. {@code vips_concurrency_set(1)}: each
 * render uses one libvips worker, and the server's bounded pool of <em>platform</em> threads supplies the
 * parallelism. Do not call {@code render} from virtual threads: a downcall pins its carrier for the whole encode.
 *
 * <h2>Stopping a render</h2>
 * The heavy work happens inside one downcall (the sink of {@code vips_image_write_to_buffer} or
 * {@code vips_image_copy_memory}), which Java cannot interrupt. When the render's {@code Deadline} is cancelled, the
 * deadline thread calls {@code vips_image_set_kill} on every image of the session: libvips checks the flag as it
 * computes each tile, so the sink fails within a tile ("killed for image") and the render unwinds and unrefs as on
 * any failure. The session's lock keeps the kill from touching images that {@code close} already released.
 *
 * <h2>Access pattern</h2>
 * Sources are opened with {@code access=sequential} (or through {@code vips_thumbnail_buffer}, which does the same and
 * also shrinks on load when the first operation is a resize). Sequential images can only be read top to bottom, so
 * before an operation that reads out of order (rotations, EXIF auto-rotation) the pipeline so far is rendered into
 * memory once with {@code vips_image_copy_memory}.
 *
 * <h2>Blocked loaders</h2>
 * Three fences, because the source bytes are untrusted:
 * <ol>
 * <li>{@code Magic} checks the magic number in Java (JPEG, PNG, GIF, WebP, TIFF, ISO-BMFF for HEIF/AVIF) before
 * libvips sees anything, so other formats' sniffers and parsers never run.</li>
 * <li>{@code vips_foreign_find_load_buffer} must then name one of the allowed buffer loaders. This matters: in 8.14 a
 * blocked loader only notices it is blocked when its parent's build runs, and pdfload parses the document before
 * that ("PDF document is damaged" rather than "operation is blocked").</li>
 * <li>{@code vips_block_untrusted_set(TRUE)} blocks what libvips marks untrusted (ImageMagick, PDF, SVG, JPEG 2000,
 * JPEG XL, FITS, OpenSlide, Matlab, CSV, vips, raw…), and every {@code VipsForeignLoad} class is blocked except
 * JPEG, PNG, GIF (libnsgif), WebP, HEIF/AVIF and TIFF ({@code VipsBackend.LOADERS}).</li>
 * </ol>
 * Input in any other format fails with an {@code ImageException}, whatever the caller believed its type was.
 *
 * <h2>Colour and metadata</h2>
 * After decoding, images become 8-bit sRGB with 3 or 4 bands ({@code vips_colourspace}: CMYK, grey, 16-bit), and an
 * embedded RGB profile that is not sRGB (Display P3, Adobe RGB) is converted to sRGB with {@code vips_icc_transform}.
 * Encoders strip all metadata (EXIF, XMP, ICC), like the Java backend. Resize and blur work on premultiplied alpha
 * (so transparent pixels don't bleed colour), cast back to 8 bits to stay on libvips's fast integer paths.
 */
package dev.upfront.transform.vips;

package dev.upfront.transform;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.FileVersion;
import dev.upfront.library.LibraryFile;
import dev.upfront.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Delivery's transformations: checks that a file can be transformed (an image this backend reads, of a size known
 * from its header and under the pixel limit, so decompression bombs are refused before any decoding), resolves the
 * output format ({@code f-auto}: AVIF or WebP when the client accepts them and the backend writes them, else the
 * source's format), plans, refuses outputs over {@link #MAX_OUTPUT_PIXELS} and plans that would cost more than
 * {@link RenderCost#MAX} before any work, and returns the cached or freshly rendered result.
 */
public final class Transforms {
    /** A rendering ready to send. @param formatFromAccept the format was chosen from the Accept header (Vary) */
    public record Rendering(BlobStore.Blob blob, String mime, String key, boolean formatFromAccept) {}

    /** Largest output, in pixels (8192 × 3052): bounds a render's memory, whatever the sides. */
    public static final long MAX_OUTPUT_PIXELS = 25_000_000;

    private final BlobStore originals;
    private final DerivedImages derived;
    private final long maxPixels;

    public Transforms(BlobStore originals, DerivedImages derived, long maxPixels) {
        this.originals = originals;
        this.derived = derived;
        this.maxPixels = maxPixels;
    }

    public Rendering render(LibraryFile file, Transformation t, String accept) {
        FileVersion v = file.version();
        Step.Format requested = t.format();
        boolean fromAccept = requested == Step.Format.AUTO;
        Planned planned = plan(v.fileType().equals("image"), v.mime(), v.width(), v.height(), v.customCoordinates(), orientation(v), t, accept);
        String key = DerivedImages.key(v.versionId(), t.canonical(), planned.plan());
        BlobStore.Blob blob = derived.get(key, planned.plan(), planned.cost(), () -> asInspected(read(v), v.width(), v.height()));
        return new Rendering(blob, planned.plan().format().mime(), key, fromAccept);
    }

    /** An image rendered once, not cached: an upload's pre-transformation, before the file exists. */
    public record Rendered(byte[] bytes, String mime) {}

    /**
     * Renders {@code source}, an image not in the library yet, with the checks and planning of {@link #render}
     * (an {@code f-auto} output keeps the source's format).
     */
    public Rendered renderOnce(Source source, Transformation t) {
        Planned planned = plan(source.mime().startsWith("image/"), source.mime(), source.width(), source.height(), null, source.orientation(), t, null);
        return new Rendered(derived.renderUncached(() -> asInspected(source.bytes().get(), source.width(), source.height()),
                planned.plan(), planned.cost()), planned.plan().format().mime());
    }

    /** An image to render once: its bytes, read only after the checks pass, and what inspection found. */
    public record Source(Supplier<byte[]> bytes, String mime, Integer width, Integer height, int orientation) {}

    /** A plan that passed the output and cost bounds, with its estimated cost (which picks the render lane). */
    private record Planned(Plan plan, long cost) {}

    /**
     * Checks that the image can be transformed (readable, dimensions known, under the pixel limit, before any
     * decoding), plans the transformation in the resolved output format, and refuses outputs over
     * {@link #MAX_OUTPUT_PIXELS} and plans that would cost more than {@link RenderCost#MAX}.
     */
    private Planned plan(boolean image, String mime, Integer width, Integer height, String customCoordinates, int orientation,
                      Transformation t, String accept) {
        ImageBackend backend = derived.backend();
        if (!image || !backend.canRead(mime)) {
            throw new ApiException(ErrorCode.IMAGE_UNREADABLE, "transformations apply to JPEG, PNG, GIF"
                    + (backend.canRead("image/webp") ? ", WebP, AVIF, HEIC and TIFF" : " and BMP") + " images; this file is " + mime + ".");
        }
        if (width == null || height == null) {
            throw new ApiException(ErrorCode.IMAGE_UNREADABLE, "the image's dimensions could not be read.");
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new ApiException(ErrorCode.IMAGE_TOO_LARGE, "it has " + pixels + " pixels; at most " + maxPixels + " are transformed.");
        }
        Step.Format requested = t.format();
        Step.Format format = requested == Step.Format.AUTO ? auto(mime, accept, backend) : requested;
        if (!backend.formats().contains(format)) {
            throw new ApiException(ErrorCode.FORMAT_UNSUPPORTED, format.name().toLowerCase());
        }
        Plan plan = Planner.plan(t, width, height, customCoordinates, format, orientation);
        long outputPixels = (long) plan.width() * plan.height();
        if (outputPixels > MAX_OUTPUT_PIXELS) {
            throw new ApiException(ErrorCode.IMAGE_TOO_LARGE, "the output would have " + outputPixels + " pixels; at most "
                    + MAX_OUTPUT_PIXELS + " are produced.");
        }
        long cost = RenderCost.of(plan, width, height);
        if (cost > RenderCost.MAX) {
            throw new ApiException(ErrorCode.TRANSFORM_TOO_COSTLY);
        }
        return new Planned(plan, cost);
    }

    /** The EXIF Orientation recorded at upload (embedded metadata), 1 when there is none. */
    private static int orientation(FileVersion v) {
        return orientation(v.embeddedMetadata());
    }

    /** The EXIF Orientation in flattened embedded metadata, 1 when there is none. */
    public static int orientation(Map<String, Object> embeddedMetadata) {
        Object o = embeddedMetadata == null ? null : embeddedMetadata.get("Orientation");
        return o instanceof Number n ? n.intValue() : 1;
    }

    /**
     * All of an Accept header that {@code f-auto} reads: whether it names AVIF and WebP. A rendering chosen by Accept is
     * kept under this, never under the header itself, which a client may make different on every request.
     */
    public static String autoFormatHint(String accept) {
        return (accepts(accept, "image/avif") ? "avif" : "-") + (accepts(accept, "image/webp") ? "+webp" : "-");
    }

    private static boolean accepts(String accept, String mime) {
        return accept != null && accept.contains(mime);
    }

    private static Step.Format auto(String sourceMime, String accept, ImageBackend backend) {
        if (accepts(accept, "image/avif") && backend.formats().contains(Step.Format.AVIF)) {
            return Step.Format.AVIF;
        }
        if (accepts(accept, "image/webp") && backend.formats().contains(Step.Format.WEBP)) {
            return Step.Format.WEBP;
        }
        return switch (sourceMime) {
            case "image/png", "image/gif" -> Step.Format.PNG;
            case "image/webp" -> backend.formats().contains(Step.Format.WEBP) ? Step.Format.WEBP : Step.Format.PNG;
            default -> Step.Format.JPG;
        };
    }

    /**
     * {@code bytes}, when their header declares no more pixels than the plan was made for ({@code width × height}).
     * The plan's bounds (the source pixel limit, the output size, the cost) were checked against what inspection
     * recorded; a file whose header declares a larger image (a crafted container, a misread one) is refused before it
     * is decoded. A smaller one (a cropped HEIF, a GIF's first frame inside its screen) costs less than planned.
     */
    private byte[] asInspected(byte[] bytes, int width, int height) {
        long declared;
        try {
            declared = derived.backend().pixels(bytes);
        } catch (ImageBackend.ImageException e) {
            throw new ApiException(ErrorCode.IMAGE_UNREADABLE, e.getMessage() + ".");
        }
        if (declared > (long) width * height) {
            throw new ApiException(ErrorCode.IMAGE_UNREADABLE, "its header does not describe the image its metadata does.");
        }
        return bytes;
    }

    private byte[] read(FileVersion v) {
        try {
            BlobStore.Blob blob = originals.find(v.blobKey()).orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
            try (InputStream in = blob.open(0, blob.size())) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public DerivedImages derived() {
        return derived;
    }
}

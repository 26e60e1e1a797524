package dev.upfront.transform;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.FileVersion;
import dev.upfront.library.LibraryFile;
import dev.upfront.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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
        ImageBackend backend = derived.backend();
        if (!v.fileType().equals("image") || !backend.canRead(v.mime())) {
            throw new ApiException(ErrorCode.IMAGE_UNREADABLE, "transformations apply to JPEG, PNG, GIF"
                    + (backend.canRead("image/webp") ? ", WebP, AVIF, HEIC and TIFF" : " and BMP") + " images; this file is " + v.mime() + ".");
        }
        if (v.width() == null || v.height() == null) {
            throw new ApiException(ErrorCode.IMAGE_UNREADABLE, "the image's dimensions could not be read.");
        }
        long pixels = (long) v.width() * v.height();
        if (pixels > maxPixels) {
            throw new ApiException(ErrorCode.IMAGE_TOO_LARGE, "it has " + pixels + " pixels; at most " + maxPixels + " are transformed.");
        }
        Step.Format requested = t.format();
        boolean fromAccept = requested == Step.Format.AUTO;
        Step.Format format = fromAccept ? auto(v.mime(), accept, backend) : requested;
        if (!backend.formats().contains(format)) {
            throw new ApiException(ErrorCode.FORMAT_UNSUPPORTED, format.name().toLowerCase());
        }
        Plan plan = Planner.plan(t, v.width(), v.height(), v.customCoordinates(), format, orientation(v));
        long outputPixels = (long) plan.width() * plan.height();
        if (outputPixels > MAX_OUTPUT_PIXELS) {
            throw new ApiException(ErrorCode.IMAGE_TOO_LARGE, "the output would have " + outputPixels + " pixels; at most "
                    + MAX_OUTPUT_PIXELS + " are produced.");
        }
        long cost = RenderCost.of(plan, v.width(), v.height());
        if (cost > RenderCost.MAX) {
            throw new ApiException(ErrorCode.TRANSFORM_TOO_COSTLY);
        }
        String key = DerivedImages.key(v.versionId(), t.canonical(), plan);
        BlobStore.Blob blob = derived.get(key, plan, cost, () -> read(v));
        return new Rendering(blob, format.mime(), key, fromAccept);
    }

    /** The EXIF Orientation recorded at upload (embedded metadata), 1 when there is none. */
    private static int orientation(FileVersion v) {
        Object o = v.embeddedMetadata() == null ? null : v.embeddedMetadata().get("Orientation");
        return o instanceof Number n ? n.intValue() : 1;
    }

    private static Step.Format auto(String sourceMime, String accept, ImageBackend backend) {
        String a = accept == null ? "" : accept;
        if (a.contains("image/avif") && backend.formats().contains(Step.Format.AVIF)) {
            return Step.Format.AVIF;
        }
        if (a.contains("image/webp") && backend.formats().contains(Step.Format.WEBP)) {
            return Step.Format.WEBP;
        }
        return switch (sourceMime) {
            case "image/png", "image/gif" -> Step.Format.PNG;
            case "image/webp" -> backend.formats().contains(Step.Format.WEBP) ? Step.Format.WEBP : Step.Format.PNG;
            default -> Step.Format.JPG;
        };
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

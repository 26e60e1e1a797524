package dev.upfront.upload.transform;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.events.UploadEvents;
import dev.upfront.ids.Ids;
import dev.upfront.inspect.ContentType;
import dev.upfront.inspect.MediaInfo;
import dev.upfront.library.LibraryFile;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.StagedBlob;
import dev.upfront.transform.TransformParser;
import dev.upfront.transform.Transformation;
import dev.upfront.transform.Transforms;
import dev.upfront.upload.StagedUpload;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.slf4j.MDC;

/**
 * Applies an upload's {@code transformation}: {@code pre} renders the image before it is stored (the stored file is
 * the result), {@code post} renders each rendition into the delivery cache right after the upload, in the
 * background, under the key a later GET of the same transformed URL looks up, and announces it through
 * {@link UploadEvents}. Anything that needs a video toolchain is refused with a 400 naming it.
 */
public final class UploadTransforms {
    private static final Set<String> VIDEO_TYPES = Set.of("gif-to-video", "thumbnail", "abs");

    private final TransformParser parser;
    private final Transforms transforms;
    private final BlobStore originals;
    private final UploadEvents events;
    private final boolean videoToolchain;

    /** @param videoToolchain whether ffmpeg is installed (video transformations still are not implemented) */
    public UploadTransforms(TransformParser parser, Transforms transforms, BlobStore originals, UploadEvents events,
                            boolean videoToolchain) {
        this.parser = parser;
        this.transforms = transforms;
        this.originals = originals;
        this.events = events;
        this.videoToolchain = videoToolchain;
    }

    /** Refuses, before the file is looked at, video-only types and transformation strings that do not parse. */
    public void validate(UploadTransformation t) {
        for (UploadTransformation.Post post : t.post()) {
            if (VIDEO_TYPES.contains(post.type())) {
                throw videoRefused(post.type());
            }
            parse(post.value());
        }
        parse(t.pre());
    }

    /** Refuses a file whose detected type the transformation cannot apply to. */
    public void checkMedia(UploadTransformation t, ContentType type) {
        if (type.isVideo()) {
            throw videoRefused(t.pre() != null ? "video pre" : "video post");
        }
        if (!type.isImage()) {
            throw new ApiException(ErrorCode.UPLOAD_TRANSFORMATION_MEDIA);
        }
        if (!t.post().isEmpty() && !transforms.derived().backend().canRead(type.mime())) {
            throw new ApiException(ErrorCode.UPLOAD_TRANSFORMATION_INCOMPATIBLE);
        }
    }

    /** The upload's bytes after {@code pre}, staged (the caller closes it); an image this server can read. */
    public StagedUpload pre(String pre, StagedUpload staged, MediaInfo info) {
        Transformation t = parse(pre);
        Transforms.Source source = new Transforms.Source(() -> read(staged), staged.type().mime(), info.width(), info.height(),
                Transforms.orientation(info.embeddedMetadata()));
        return stage(transforms.renderOnce(source, t));
    }

    /**
     * Renders each post entry in the background; the upload's response does not wait. The rendering threads keep
     * the upload's logging context (its request id, which the events carry).
     *
     * @param webhookUrl the upload's own {@code webhookUrl}, null when none
     */
    public void post(UploadTransformation t, LibraryFile file, String webhookUrl) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        for (UploadTransformation.Post post : t.post()) {
            Thread.ofVirtual().name("upfront-post-transform").start(() -> {
                if (context != null) {
                    MDC.setContextMap(context);
                }
                try {
                    transforms.render(file, parse(post.value()), null);
                    events.postTransformSucceeded(file, post.type(), post.value(), webhookUrl);
                } catch (ApiException e) {
                    events.postTransformFailed(file, post.type(), post.value(), e.getMessage(), webhookUrl);
                } catch (RuntimeException e) {
                    events.postTransformFailed(file, post.type(), post.value(), "rendering failed", webhookUrl);
                }
            });
        }
    }

    private Transformation parse(String value) {
        if (value == null) {
            return Transformation.NONE;
        }
        try {
            return parser.parse(value);
        } catch (ApiException e) {
            throw new ApiException(ErrorCode.UPLOAD_TRANSFORMATION_INVALID);
        }
    }

    private ApiException videoRefused(String what) {
        return new ApiException(videoToolchain ? ErrorCode.VIDEO_TRANSFORMATION_UNSUPPORTED : ErrorCode.VIDEO_TOOLCHAIN_MISSING,
                what);
    }

    private static byte[] read(StagedUpload staged) {
        try (InputStream in = staged.blob().open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StagedUpload stage(Transforms.Rendered out) {
        try {
            StagedBlob blob = originals.stage(Ids.objectId());
            try {
                blob.write(ByteBuffer.wrap(out.bytes()));
                blob.finish();
            } catch (IOException | RuntimeException e) {
                blob.close();
                throw e;
            }
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(out.bytes()));
            return new StagedUpload(blob, out.bytes().length, md5, new ContentType(out.mime()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the pre-transformed file", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.upfront.upload.transform;

import dev.upfront.checksum.ContentChecksum;
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
import dev.upfront.video.Ffmpeg;
import dev.upfront.video.VideoRenditions;
import dev.upfront.video.VideoSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Applies an upload's {@code transformation}. {@code pre} on an image renders it before it is stored (the stored
 * file is the result). {@code pre} on a video is queued ({@code VideoPreQueue}), which
 * has it transcoded here later and stores the result as the upload's file (the upload answered 202). {@code post} renders each rendition into
 * the delivery cache right after the upload, in the background, under the key a later GET of its URL looks up, and
 * announces it through {@link UploadEvents}. Without ffmpeg, everything that needs it is refused with a 400 naming
 * it; {@code abs} with {@code protocol: dash} is refused by name (this server streams HLS only).
 */
public final class UploadTransforms {
    private static final Logger log = LoggerFactory.getLogger(UploadTransforms.class);
    private static final Set<String> VIDEO_TYPES = Set.of("gif-to-video", "thumbnail", "abs");

    private final TransformParser parser;
    private final Transforms transforms;
    private final BlobStore originals;
    private final UploadEvents events;
    private final VideoRenditions videos;

    public UploadTransforms(TransformParser parser, Transforms transforms, BlobStore originals, UploadEvents events,
                            VideoRenditions videos) {
        this.parser = parser;
        this.transforms = transforms;
        this.originals = originals;
        this.events = events;
        this.videos = videos;
    }

    /**
     * Refuses, before the file is looked at, what needs a missing toolchain, DASH, and values that are neither an
     * image transformation nor a video one this server renders.
     */
    public void validate(UploadTransformation t) {
        for (UploadTransformation.Post post : t.post()) {
            if (VIDEO_TYPES.contains(post.type()) && !videos.available()) {
                throw new ApiException(ErrorCode.VIDEO_TOOLCHAIN_MISSING, post.type());
            }
            switch (post.type()) {
                case "abs" -> {
                    if (post.protocol().equals("dash")) {
                        throw new ApiException(ErrorCode.VIDEO_TRANSFORMATION_UNSUPPORTED, "abs with protocol dash");
                    }
                    VideoSpec.representations(post.value()).orElseThrow(UploadTransforms::invalid);
                }
                case "gif-to-video", "thumbnail" -> videoSpec(post.value());
                default -> parseAny(post.value());
            }
        }
        if (t.pre() != null) {
            parseAny(t.pre());
        }
    }

    /** Refuses a file whose detected type the transformation cannot apply to. */
    public void checkMedia(UploadTransformation t, ContentType type) {
        if (type.isVideo()) {
            checkVideo(t);
            return;
        }
        if (!type.isImage()) {
            throw new ApiException(ErrorCode.UPLOAD_TRANSFORMATION_MEDIA);
        }
        if (t.pre() != null) {
            parse(t.pre());
        }
        for (UploadTransformation.Post post : t.post()) {
            boolean fits = switch (post.type()) {
                case "transformation" -> transforms.derived().backend().canRead(type.mime());
                case "gif-to-video" -> type.mime().equals("image/gif");
                default -> false;
            };
            if (!fits) {
                throw new ApiException(ErrorCode.UPLOAD_TRANSFORMATION_INCOMPATIBLE);
            }
            if (post.type().equals("transformation")) {
                parse(post.value());
            }
        }
    }

    private void checkVideo(UploadTransformation t) {
        if (!videos.available()) {
            throw new ApiException(ErrorCode.VIDEO_TOOLCHAIN_MISSING, t.pre() != null ? "video pre" : "video post");
        }
        if (t.pre() != null) {
            videoSpec(t.pre());
        }
        for (UploadTransformation.Post post : t.post()) {
            if (post.type().equals("gif-to-video")) {
                throw new ApiException(ErrorCode.UPLOAD_TRANSFORMATION_INCOMPATIBLE);
            }
            if (post.type().equals("transformation")) {
                videoSpec(post.value());
            }
        }
    }

    /** The upload's bytes after {@code pre}, staged (the caller closes it); an image this server can read. */
    public StagedUpload pre(String pre, StagedUpload staged, MediaInfo info) {
        Transformation t = parse(pre);
        Transforms.Source source = new Transforms.Source(() -> read(staged), staged.type().mime(), info.width(), info.height(),
                Transforms.orientation(info.embeddedMetadata()));
        Transforms.Rendered out = transforms.renderOnce(source, t);
        return stage(Ids.objectId(), new ByteArrayInputStream(out.bytes()), out.mime());
    }

    /** Refuses, before a video's {@code pre} is queued, a value that is no video transformation and a too large source. */
    public void checkVideoPre(String pre, long size) {
        videoSpec(pre);
        if (size > videos.maxInputBytes()) {
            throw new ApiException(ErrorCode.VIDEO_TOO_LARGE, String.valueOf(size), String.valueOf(videos.maxInputBytes()));
        }
    }

    /**
     * A queued video's bytes after {@code pre}: the source blob is copied to a private folder, transcoded there,
     * and the result staged as an original under {@code resultKey} (the caller stores or closes it).
     *
     * @throws Ffmpeg.Failure when ffmpeg fails or takes too long, or the source blob is gone
     */
    public StagedUpload preVideo(String pre, String sourceKey, String resultKey) {
        VideoSpec spec = videoSpec(pre);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("upfront-pre-");
            BlobStore.Blob source = originals.find(sourceKey)
                    .orElseThrow(() -> new Ffmpeg.Failure("internal_server_error", "the queued video's bytes are gone"));
            try (InputStream in = source.open(0, source.size())) {
                Files.copy(in, dir.resolve("source"));
            }
            Path output = dir.resolve("output");
            videos.transcode(dir.resolve("source"), spec, output);
            try (InputStream in = Files.newInputStream(output)) {
                return stage(resultKey, in, spec.mime());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot transcode the queued video", e);
        } finally {
            if (dir != null) {
                VideoRenditions.deleteTree(dir);
            }
        }
    }

    /**
     * Renders each post entry in the background; the upload's response does not wait.
     *
     * @param webhookUrl the upload's own {@code webhookUrl}, null when none
     */
    public void post(UploadTransformation t, LibraryFile file, String webhookUrl) {
        for (UploadTransformation.Post post : t.post()) {
            inBackground("upfront-post-transform", () -> {
                try {
                    switch (post.type()) {
                        case "gif-to-video" -> videos.gifVideo(file, videoSpec(post.value()));
                        case "thumbnail" -> videos.thumbnail(file, videoSpec(post.value()));
                        case "abs" -> videos.hlsMaster(file, VideoSpec.representations(post.value()).orElseThrow(UploadTransforms::invalid));
                        default -> {
                            if (file.version().mime().startsWith("video/")) {
                                videos.transformed(file, videoSpec(post.value()));
                            } else {
                                transforms.render(file, parse(post.value()), null);
                            }
                        }
                    }
                    events.postTransformSucceeded(file, post.type(), post.value(), webhookUrl);
                } catch (Ffmpeg.Failure e) {
                    events.postTransformFailed(file, post.type(), post.value(), e.reason(), webhookUrl);
                } catch (ApiException e) {
                    events.postTransformFailed(file, post.type(), post.value(), e.getMessage(), webhookUrl);
                } catch (RuntimeException e) {
                    log.error("Post-transformation {} failed", post.type(), e);
                    events.postTransformFailed(file, post.type(), post.value(), "rendering failed", webhookUrl);
                }
            });
        }
    }

    /** Runs {@code work} on a virtual thread that keeps the upload's logging context (its request id, which events carry). */
    private static void inBackground(String name, Runnable work) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        Thread.ofVirtual().name(name).start(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            work.run();
        });
    }

    private Transformation parse(String value) {
        if (value == null) {
            return Transformation.NONE;
        }
        try {
            return parser.parse(value);
        } catch (ApiException e) {
            throw invalid();
        }
    }

    /** An image transformation or a video one: which applies is known only once the file is. */
    private void parseAny(String value) {
        if (VideoSpec.parse(value).isEmpty()) {
            parse(value);
        }
    }

    private static VideoSpec videoSpec(String value) {
        return VideoSpec.parse(value).orElseThrow(UploadTransforms::invalid);
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.UPLOAD_TRANSFORMATION_INVALID);
    }

    private static byte[] read(StagedUpload staged) {
        try (InputStream in = staged.open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stages {@code in} as a new original under {@code key}, with its size and checksum. */
    private StagedUpload stage(String key, InputStream in, String mime) {
        try {
            ContentChecksum checksum = ContentChecksum.crc32c();
            StagedBlob blob = originals.stage(key);
            try {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    checksum.update(buffer, 0, n);
                    blob.write(ByteBuffer.wrap(buffer, 0, n));
                }
                blob.finish();
            } catch (IOException | RuntimeException e) {
                blob.close();
                throw e;
            }
            return new StagedUpload(blob, blob.size(), checksum.value(), new ContentType(mime));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the pre-transformed file", e);
        }
    }
}

package dev.upfront.video;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.FileVersion;
import dev.upfront.library.LibraryFile;
import dev.upfront.storage.BlobStore;
import dev.upfront.transform.RenderCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Video renditions made with ffmpeg and kept in the rendering cache, under the version's id like image renderings
 * (so deleting the version drops them, and the cache's size cap covers them). Delivery addresses them as ImageKit
 * does, relative to the file's URL:
 * <ul>
 *   <li>{@code <file url>?tr=w-320,h-240,q-70,f-webm}: the video transformed ({@link VideoSpec});</li>
 *   <li>{@code <gif url>/ik-gif-video.mp4[?tr=...]}: a GIF as an MP4;</li>
 *   <li>{@code <file url>/ik-thumbnail.jpg[?tr=w-..,h-..]}: the first frame as a JPEG;</li>
 *   <li>{@code <file url>/ik-master.m3u8?tr=sr-240_360_720}: adaptive bitrate streaming (HLS), whose master playlist
 *       names {@code ik-hls-<height>p.m3u8} playlists of {@code ik-hls-<height>p-<n>.ts} segments beside it.</li>
 * </ul>
 * A rendition missing from the cache (never produced, or evicted) is produced when asked for; one key is produced
 * by one thread at a time. Sources larger than {@code maxInputBytes} are refused before ffmpeg starts.
 */
public final class VideoRenditions {
    private static final Logger log = LoggerFactory.getLogger(VideoRenditions.class);
    public static final String GIF_VIDEO = "ik-gif-video.mp4";
    public static final String THUMBNAIL = "ik-thumbnail.jpg";
    public static final String HLS_MASTER = "ik-master.m3u8";
    private static final Pattern HLS_PLAYLIST = Pattern.compile("ik-hls-(\\d{3,4})p\\.m3u8");
    private static final Pattern HLS_SEGMENT = Pattern.compile("ik-hls-(\\d{3,4})p-(\\d{3,5})\\.ts");
    private static final String HLS_MIME = "application/vnd.apple.mpegurl";
    private static final int HLS_SEGMENT_SECONDS = 4;

    /** A rendition ready to send. */
    public record Rendition(BlobStore.Blob blob, String mime, String key) {}

    /** A delivery path that names a rendition: {@code <filePath>/<name>}. */
    public record Named(String filePath, String name) {}

    private final Ffmpeg ffmpeg;
    private final BlobStore originals;
    private final RenderCache cache;
    private final long maxInputBytes;
    private final ConcurrentHashMap<String, Object> producing = new ConcurrentHashMap<>();

    public VideoRenditions(Ffmpeg ffmpeg, BlobStore originals, RenderCache cache, long maxInputBytes) {
        this.ffmpeg = ffmpeg;
        this.originals = originals;
        this.cache = cache;
        this.maxInputBytes = maxInputBytes;
    }

    public boolean available() {
        return ffmpeg.available();
    }

    public long maxInputBytes() {
        return maxInputBytes;
    }

    /** The rendition a delivery path names ({@code /a/clip.mp4/ik-master.m3u8}), if it names one. */
    public static Optional<Named> named(String path) {
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String name = path.substring(slash + 1);
        boolean known = name.equals(GIF_VIDEO) || name.equals(THUMBNAIL) || name.equals(HLS_MASTER)
                || HLS_PLAYLIST.matcher(name).matches() || HLS_SEGMENT.matcher(name).matches();
        return known ? Optional.of(new Named(path.substring(0, slash), name)) : Optional.empty();
    }

    /** Where a post entry's rendition is delivered, relative to the file's URL: a path suffix and a query. */
    public static String urlSuffix(String type, String value) {
        String query = value == null ? "" : "?tr=" + value;
        return switch (type) {
            case "gif-to-video" -> "/" + GIF_VIDEO + query;
            case "thumbnail" -> "/" + THUMBNAIL + query;
            case "abs" -> "/" + HLS_MASTER + query;
            default -> query;
        };
    }

    /**
     * What delivery sends for {@code named} (null: the file itself) with {@code transformation}, produced first if
     * need be.
     */
    public Rendition deliver(LibraryFile file, Named named, String transformation) {
        requireToolchain(named == null ? "video" : named.name());
        try {
            return produceFor(file, named, transformation);
        } catch (Ffmpeg.Failure e) {
            throw new ApiException(ErrorCode.VIDEO_TRANSFORMATION_FAILED, e.reason());
        }
    }

    private Rendition produceFor(LibraryFile file, Named named, String transformation) {
        if (named == null) {
            return transformed(file, spec(transformation));
        }
        String name = named.name();
        if (name.equals(GIF_VIDEO)) {
            return gifVideo(file, spec(transformation));
        }
        if (name.equals(THUMBNAIL)) {
            return thumbnail(file, spec(transformation));
        }
        if (name.equals(HLS_MASTER)) {
            return hlsMaster(file, VideoSpec.representations(transformation)
                    .orElseThrow(() -> new ApiException(ErrorCode.VIDEO_TRANSFORMATION_INVALID, "sr-<heights> (e.g. sr-240_360_720)")));
        }
        Matcher playlist = HLS_PLAYLIST.matcher(name);
        if (playlist.matches()) {
            return hlsVariant(file, representation(playlist.group(1)));
        }
        Matcher segment = HLS_SEGMENT.matcher(name);
        if (!segment.matches()) {
            throw new ApiException(ErrorCode.FILE_NOT_FOUND);
        }
        int height = representation(segment.group(1));
        return cached(key(file, name), "video/mp2t").orElseGet(() -> {
            hlsVariant(file, height);
            return cached(key(file, name), "video/mp2t").orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
        });
    }

    /** The whole video transformed to {@code spec} into {@code output}: a video pre-transformation. */
    public void transcode(Path input, VideoSpec spec, Path output) {
        List<String> args = new ArrayList<>(List.of("-map", "0:v:0", "-map", "0:a:0?"));
        args.addAll(spec.encoderArgs());
        args.addAll(List.of("-y", output.toString()));
        ffmpeg.run(input, args);
    }

    public Rendition transformed(LibraryFile file, VideoSpec spec) {
        requireVideo(file);
        return produce(file, "tr|" + spec.canonical(), spec.mime(), (in, out) -> transcode(in, spec, out));
    }

    public Rendition gifVideo(LibraryFile file, VideoSpec spec) {
        if (!file.version().mime().equals("image/gif")) {
            throw new ApiException(ErrorCode.VIDEO_TRANSFORMATION_INVALID, "gif-to-video applies to GIF files");
        }
        VideoSpec mp4 = new VideoSpec(spec.width(), spec.height(), spec.quality(), "mp4");
        return produce(file, GIF_VIDEO + "|" + mp4.canonical(), mp4.mime(), (in, out) -> transcode(in, mp4, out));
    }

    public Rendition thumbnail(LibraryFile file, VideoSpec spec) {
        requireVideo(file);
        return produce(file, THUMBNAIL + "|" + spec.canonical(), "image/jpeg", (in, out) -> ffmpeg.run(in,
                List.of("-map", "0:v:0", "-frames:v", "1", "-vf", spec.scaleFilter(), "-c:v", "mjpeg", "-q:v", "3",
                        "-f", "image2", "-y", out.toString())));
    }

    /** The master playlist for {@code heights} (those above the source's height left out), producing each variant. */
    public Rendition hlsMaster(LibraryFile file, List<Integer> heights) {
        requireVideo(file);
        FileVersion v = file.version();
        List<Integer> used = heights.stream().filter(h -> v.height() == null || h <= v.height()).toList();
        if (used.isEmpty()) {
            used = List.of(heights.getFirst());
        }
        String name = HLS_MASTER + "|" + used;
        Optional<Rendition> done = cached(key(file, name), HLS_MIME);
        if (done.isPresent()) {
            return done.get();
        }
        StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
        for (int height : used) {
            Rendition playlist = hlsVariant(file, height);
            master.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth(file, playlist));
            if (v.width() != null && v.height() != null) {
                long width = Math.round((double) height * v.width() / v.height());
                master.append(",RESOLUTION=").append(width - width % 2).append('x').append(height);
            }
            master.append('\n').append(variantName(height)).append('\n');
        }
        byte[] bytes = master.toString().getBytes(StandardCharsets.UTF_8);
        return new Rendition(cache.put(key(file, name), bytes), HLS_MIME, key(file, name));
    }

    /** One representation's playlist; its segments are stored first, so a stored playlist has its segments. */
    public Rendition hlsVariant(LibraryFile file, int height) {
        requireVideo(file);
        String name = variantName(height);
        return produceAll(file, name, HLS_MIME, (in, dir) -> ffmpeg.run(in, List.of("-map", "0:v:0", "-map", "0:a:0?",
                "-vf", VideoSpec.heightScale(height), "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast",
                "-crf", "23", "-g", "48", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "128k", "-f", "hls",
                "-hls_time", String.valueOf(HLS_SEGMENT_SECONDS), "-hls_playlist_type", "vod",
                "-hls_segment_filename", dir.resolve("ik-hls-" + height + "p-%03d.ts").toString(),
                dir.resolve(name).toString())));
    }

    private static String variantName(int height) {
        return "ik-hls-" + height + "p.m3u8";
    }

    /** Average bits per second of a variant: its segments' bytes over its playlist's duration. */
    private long bandwidth(LibraryFile file, Rendition playlist) {
        double seconds = 0;
        long bytes = 0;
        for (String line : read(playlist.blob()).split("\n")) {
            if (line.startsWith("#EXTINF:")) {
                seconds += Double.parseDouble(line.substring(8, line.indexOf(',') < 0 ? line.length() : line.indexOf(',')));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                bytes += cached(key(file, line.strip()), null).map(r -> r.blob().size()).orElse(0L);
            }
        }
        return seconds <= 0 ? 1 : Math.max(1, Math.round(bytes * 8 / seconds));
    }

    private interface Job {
        void run(Path input, Path output);
    }

    /** One output file, stored under {@code name}. */
    private Rendition produce(LibraryFile file, String name, String mime, Job job) {
        return produceAll(file, name, mime, (in, dir) -> job.run(in, dir.resolve("out")), "out");
    }

    /** Every file the job writes into its folder, stored under its name; the one named {@code name} last. */
    private Rendition produceAll(LibraryFile file, String name, String mime, Job job) {
        return produceAll(file, name, mime, job, name);
    }

    private Rendition produceAll(LibraryFile file, String name, String mime, Job job, String mainFile) {
        String key = key(file, name);
        Object lock = producing.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                Optional<Rendition> done = cached(key, mime);
                if (done.isPresent()) {
                    return done.get();
                }
                Path dir = Files.createTempDirectory("upfront-video-");
                try {
                    Path input = dir.resolve("source");
                    copySource(file.version(), input);
                    Path outputs = Files.createDirectory(dir.resolve("out.d"));
                    job.run(input, outputs);
                    Path main = outputs.resolve(mainFile);
                    if (!Files.isRegularFile(main)) {
                        throw new Ffmpeg.Failure("encoding_failed", "ffmpeg wrote no output");
                    }
                    try (Stream<Path> files = Files.list(outputs)) {
                        for (Path f : files.filter(f -> !f.equals(main)).sorted(Comparator.naturalOrder()).toList()) {
                            cache.put(key(file, f.getFileName().toString()), Files.readAllBytes(f));
                        }
                    }
                    return new Rendition(cache.put(key, Files.readAllBytes(main)), mime, key);
                } finally {
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            producing.remove(key, lock);
        }
    }

    private void copySource(FileVersion v, Path target) throws IOException {
        if (v.size() > maxInputBytes) {
            throw new ApiException(ErrorCode.VIDEO_TOO_LARGE, String.valueOf(v.size()), String.valueOf(maxInputBytes));
        }
        BlobStore.Blob blob = originals.find(v.blobKey()).orElseThrow(() -> new ApiException(ErrorCode.FILE_NOT_FOUND));
        try (InputStream in = blob.open(0, blob.size())) {
            Files.copy(in, target);
        }
    }

    private Optional<Rendition> cached(String key, String mime) {
        return cache.find(key).map(blob -> new Rendition(blob, mime, key));
    }

    private static String read(BlobStore.Blob blob) {
        try (InputStream in = blob.open(0, blob.size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VideoSpec spec(String transformation) {
        return VideoSpec.parse(transformation).orElseThrow(() -> new ApiException(ErrorCode.VIDEO_TRANSFORMATION_INVALID,
                "w-, h-, q- and f-mp4/f-webm"));
    }

    private static int representation(String height) {
        int h = Integer.parseInt(height);
        if (!VideoSpec.REPRESENTATIONS.contains(h)) {
            throw new ApiException(ErrorCode.FILE_NOT_FOUND);
        }
        return h;
    }

    private void requireToolchain(String what) {
        if (!ffmpeg.available()) {
            throw new ApiException(ErrorCode.VIDEO_TOOLCHAIN_MISSING, what);
        }
    }

    private static void requireVideo(LibraryFile file) {
        if (!file.version().mime().startsWith("video/")) {
            throw new ApiException(ErrorCode.VIDEO_TRANSFORMATION_INVALID, "this transformation applies to videos");
        }
    }

    /** The cache key: the version id, then a digest of the rendition's name. */
    private static String key(LibraryFile file, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("video|" + name).getBytes(StandardCharsets.UTF_8));
            return file.version().versionId() + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes a temporary folder and what is in it; one left behind is only logged. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("Could not delete the temporary folder {}: {}", dir, e.toString());
        }
    }
}

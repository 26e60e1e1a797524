package dev.upfront.inspect;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegSegmentMetadataReader;
import com.drew.lang.Rational;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.Tag;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.gif.GifImageDirectory;
import com.drew.metadata.heif.HeifDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.iptc.IptcReader;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.jpeg.JpegDnlReader;
import com.drew.metadata.jpeg.JpegReader;
import com.drew.metadata.photoshop.PhotoshopReader;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import com.drew.metadata.xmp.XmpReader;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads image headers with metadata-extractor: dimensions, alpha, and EXIF/IPTC/XMP as a flat map. Only headers
 * are parsed, never pixels. Videos go to the {@link VideoProbe} (ffprobe) when the machine has one. Unreadable or
 * hostile headers give {@link MediaInfo#NONE}, not an error: the upload still succeeds, as it would for any other
 * file.
 */
public final class MediaInspector {
    private static final Logger log = LoggerFactory.getLogger(MediaInspector.class);
    private static final int MAX_ENTRIES = 256;
    private static final int MAX_VALUE_CHARS = 1024;
    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^A-Za-z0-9]");
    /**
     * The JPEG segments whose directories {@link #inspect} reads: the frame header and a DNL segment (dimensions),
     * EXIF, XMP, and IPTC (raw, or inside Photoshop's APP13, which can also carry EXIF and XMP). The other readers
     * (JFIF, ICC, Huffman tables, comments, Adobe, Ducky) fill directories nothing here looks at, so their segments
     * are skipped unread: a plain JPEG costs its frame header only.
     */
    private static final List<JpegSegmentMetadataReader> JPEG_READERS = List.of(new JpegReader(), new JpegDnlReader(),
            new ExifReader(), new XmpReader(), new PhotoshopReader(), new IptcReader());

    /** A source of the file's bytes, opened once. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private final VideoProbe videos;

    /** Images only: videos get no facts. */
    public MediaInspector() {
        this(VideoProbe.none());
    }

    public MediaInspector(VideoProbe videos) {
        this.videos = videos;
    }

    public MediaInfo inspect(ContentType type, Source source) {
        if (type.isVideo()) {
            return videos.probe(source).map(f -> new MediaInfo(f.width(), f.height(), null, Map.of(), f.media())).orElse(MediaInfo.NONE);
        }
        if (!type.isImage() || type.mime().equals("image/svg+xml")) {
            return MediaInfo.NONE;
        }
        boolean jpeg = type.mime().equals("image/jpeg");
        // A JPEG's headers come before its scan, which is never read: a small buffer reads little more than them.
        // Bytes already in memory need no buffer.
        try (InputStream raw = source.open();
                InputStream in = raw instanceof ByteArrayInputStream
                        ? raw : new BufferedInputStream(raw, jpeg ? 8 * 1024 : 64 * 1024)) {
            Metadata metadata = jpeg ? JpegMetadataReader.readMetadata(in, JPEG_READERS) : ImageMetadataReader.readMetadata(in);
            MediaInfo facts = facts(metadata, type);
            return isHeif(type.mime()) ? withPrimarySize(facts, source) : facts;
        } catch (Exception | StackOverflowError e) {
            log.debug("No metadata from a {} upload: {}", type.mime(), e.toString());
            return MediaInfo.NONE;
        }
    }

    private static boolean isHeif(String mime) {
        return mime.startsWith("image/heic") || mime.startsWith("image/heif") || mime.startsWith("image/avif");
    }

    /**
     * metadata-extractor gives a HEIF file the first {@code ispe} it finds, which need not be the primary image's (see
     * {@link HeifPrimarySize}); the transform pixel limit must see what a decoder will produce, or no size at all.
     */
    private static MediaInfo withPrimarySize(MediaInfo facts, Source source) throws IOException {
        try (InputStream in = source.open()) {
            int[] size = HeifPrimarySize.of(in).orElse(null);
            return new MediaInfo(size == null ? null : size[0], size == null ? null : size[1], facts.hasAlpha(),
                    facts.embeddedMetadata(), facts.media());
        }
    }

    /** What an image's metadata says: dimensions, alpha, embedded metadata. */
    static MediaInfo facts(Metadata metadata, ContentType type) {
        Integer[] size = gifExtent(metadata, dimensions(metadata));
        return new MediaInfo(size[0], size[1], hasAlpha(metadata, type), embedded(metadata));
    }

    private static Integer[] dimensions(Metadata m) {
        record Dim(Class<? extends Directory> dir, int width, int height) {}
        List<Dim> candidates = List.of(
                new Dim(JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT),
                new Dim(PngDirectory.class, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT),
                new Dim(GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_WIDTH, GifHeaderDirectory.TAG_IMAGE_HEIGHT),
                new Dim(WebpDirectory.class, WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT),
                new Dim(HeifDirectory.class, HeifDirectory.TAG_IMAGE_WIDTH, HeifDirectory.TAG_IMAGE_HEIGHT),
                new Dim(BmpHeaderDirectory.class, BmpHeaderDirectory.TAG_IMAGE_WIDTH, BmpHeaderDirectory.TAG_IMAGE_HEIGHT),
                new Dim(ExifIFD0Directory.class, ExifIFD0Directory.TAG_IMAGE_WIDTH, ExifIFD0Directory.TAG_IMAGE_HEIGHT));
        for (Dim d : candidates) {
            for (Directory dir : m.getDirectoriesOfType(d.dir())) {
                Integer w = dir.getInteger(d.width());
                Integer h = dir.getInteger(d.height());
                if (w != null && h != null && w > 0 && h > 0) {
                    return new Integer[] {w, h};
                }
            }
        }
        return new Integer[] {null, null};
    }

    /**
     * A GIF frame's image descriptor may declare a frame larger than the logical screen (or lying outside it), and
     * decoders size the decoded image by the frame: a 40-byte GIF with a 10×10 screen can decode to 30000×30000.
     * The size recorded is the extent of the screen and every frame, so the transform pixel limit sees it.
     */
    private static Integer[] gifExtent(Metadata m, Integer[] size) {
        if (size[0] == null || !m.containsDirectoryOfType(GifHeaderDirectory.class)) {
            return size;
        }
        int width = size[0];
        int height = size[1];
        for (GifImageDirectory frame : m.getDirectoriesOfType(GifImageDirectory.class)) {
            Integer w = frame.getInteger(GifImageDirectory.TAG_WIDTH);
            Integer h = frame.getInteger(GifImageDirectory.TAG_HEIGHT);
            Integer left = frame.getInteger(GifImageDirectory.TAG_LEFT);
            Integer top = frame.getInteger(GifImageDirectory.TAG_TOP);
            if (w != null && h != null) {
                width = Math.max(width, (left == null ? 0 : left) + w);
                height = Math.max(height, (top == null ? 0 : top) + h);
            }
        }
        return new Integer[] {width, height};
    }

    private static Boolean hasAlpha(Metadata m, ContentType type) {
        PngDirectory png = m.getFirstDirectoryOfType(PngDirectory.class);
        if (png != null) {
            Integer colorType = png.getInteger(PngDirectory.TAG_COLOR_TYPE);
            return colorType != null && (colorType == 4 || colorType == 6);
        }
        WebpDirectory webp = m.getFirstDirectoryOfType(WebpDirectory.class);
        if (webp != null && webp.containsTag(WebpDirectory.TAG_HAS_ALPHA)) {
            return webp.getBooleanObject(WebpDirectory.TAG_HAS_ALPHA);
        }
        return type.mime().equals("image/jpeg") ? Boolean.FALSE : null;
    }

    private static Map<String, Object> embedded(Metadata m) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Class<? extends Directory>> wanted = List.of(ExifIFD0Directory.class, ExifSubIFDDirectory.class,
                GpsDirectory.class, IptcDirectory.class);
        for (Class<? extends Directory> type : wanted) {
            for (Directory dir : m.getDirectoriesOfType(type)) {
                for (Tag tag : dir.getTags()) {
                    if (out.size() >= MAX_ENTRIES) {
                        return out;
                    }
                    Object value = value(dir, tag);
                    if (value != null) {
                        out.putIfAbsent(key(tag.getTagName()), value);
                    }
                }
            }
        }
        for (XmpDirectory xmp : m.getDirectoriesOfType(XmpDirectory.class)) {
            for (Map.Entry<String, String> e : xmp.getXmpProperties().entrySet()) {
                if (out.size() >= MAX_ENTRIES) {
                    return out;
                }
                String key = key(e.getKey().substring(e.getKey().indexOf(':') + 1));
                if (!key.isEmpty() && e.getValue() != null) {
                    out.putIfAbsent(key, clip(e.getValue()));
                }
            }
        }
        return out;
    }

    /**
     * A metadata name as a key: its letters and digits ("Date/Time Original" becomes "DateTimeOriginal"). The pattern
     * is compiled once: an image has dozens of tags.
     */
    static String key(String name) {
        return NOT_ALPHANUMERIC.matcher(name).replaceAll("");
    }

    static Object value(Directory dir, Tag tag) {
        Object raw = dir.getObject(tag.getTagType());
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return raw;
        }
        if (raw instanceof Rational r) {
            return r.isInteger() ? (Object) r.longValue() : (Object) r.doubleValue();
        }
        if (raw instanceof byte[] || raw instanceof int[] || raw instanceof long[]) {
            return null; // binary blobs (thumbnails, maker notes) are not metadata anyone reads as JSON
        }
        String description = tag.getDescription();
        return description == null || description.isBlank() ? null : clip(description.strip());
    }

    private static String clip(String s) {
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS);
    }
}

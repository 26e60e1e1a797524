package dev.upfront.inspect;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.Tag;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifInteropDirectory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.ExifThumbnailDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media API's file metadata (reference §5, {@code GET /v1/files/{id}/metadata}): EXIF grouped as ImageKit
 * groups it (image, thumbnail, exif, gps, interoperability, makernote), colour profile, density, and a 64-bit
 * perceptual hash (DCT of a 32×32 grey thumbnail; hex). Pixels are decoded only for the hash, and only for images
 * up to {@value #MAX_HASH_PIXELS} pixels that the JDK can read.
 */
public final class ImageMetadata {
    private static final Logger log = LoggerFactory.getLogger(ImageMetadata.class);
    static final long MAX_HASH_PIXELS = 50_000_000L;

    private ImageMetadata() {}

    /** What the metadata endpoint reports beyond the stored record. @param exif groups keyed like ImageKit's */
    public record Report(Map<String, Object> exif, boolean hasColorProfile, Integer density, String pHash) {}

    public static Report read(MediaInspector.Source source, Integer width, Integer height) {
        Map<String, Object> exif = new LinkedHashMap<>();
        boolean colorProfile = false;
        Integer density = null;
        try (InputStream in = new BufferedInputStream(source.open(), 64 * 1024)) {
            Metadata m = ImageMetadataReader.readMetadata(in);
            exif.put("image", group(m, ExifIFD0Directory.class));
            exif.put("thumbnail", group(m, ExifThumbnailDirectory.class));
            exif.put("exif", group(m, ExifSubIFDDirectory.class));
            exif.put("gps", group(m, GpsDirectory.class));
            exif.put("interoperability", group(m, ExifInteropDirectory.class));
            exif.put("makernote", Map.of());
            colorProfile = m.containsDirectoryOfType(IccDirectory.class);
            ExifIFD0Directory ifd0 = m.getFirstDirectoryOfType(ExifIFD0Directory.class);
            density = ifd0 == null ? null : intOrNull(ifd0, ExifIFD0Directory.TAG_X_RESOLUTION);
            if (density == null && m.containsDirectoryOfType(JpegDirectory.class)) {
                density = 72;
            }
        } catch (Exception | StackOverflowError e) {
            log.debug("No EXIF: {}", e.toString());
        }
        return new Report(exif, colorProfile, density, pHash(source, width, height));
    }

    private static Integer intOrNull(Directory d, int tag) {
        try {
            return d.containsTag(tag) ? (int) Math.round(d.getDouble(tag)) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static Map<String, Object> group(Metadata m, Class<? extends Directory> type) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Directory dir : m.getDirectoriesOfType(type)) {
            for (Tag tag : dir.getTags()) {
                Object value = MediaInspector.value(dir, tag);
                if (value != null) {
                    out.putIfAbsent(MediaInspector.key(tag.getTagName()), value);
                }
            }
        }
        return out;
    }

    /** The perceptual hash, or null when the image cannot (or should not) be decoded here. */
    static String pHash(MediaInspector.Source source, Integer width, Integer height) {
        if (width == null || height == null || (long) width * height > MAX_HASH_PIXELS) {
            return null;
        }
        try (InputStream in = new BufferedInputStream(source.open(), 64 * 1024)) {
            BufferedImage image = ImageIO.read(in);
            return image == null ? null : dctHash(image);
        } catch (Exception | OutOfMemoryError e) {
            log.debug("No pHash: {}", e.toString());
            return null;
        }
    }

    static String dctHash(BufferedImage image) {
        int n = 32;
        double[][] grey = new double[n][n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                // Box-average the source area that maps to this cell.
                int x0 = x * image.getWidth() / n;
                int x1 = Math.max(x0 + 1, (x + 1) * image.getWidth() / n);
                int y0 = y * image.getHeight() / n;
                int y1 = Math.max(y0 + 1, (y + 1) * image.getHeight() / n);
                double sum = 0;
                int count = 0;
                for (int yy = y0; yy < y1; yy += Math.max(1, (y1 - y0) / 8)) {
                    for (int xx = x0; xx < x1; xx += Math.max(1, (x1 - x0) / 8)) {
                        int rgb = image.getRGB(xx, yy);
                        sum += 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                        count++;
                    }
                }
                grey[y][x] = sum / count;
            }
        }
        double[][] dct = new double[8][8];
        for (int u = 0; u < 8; u++) {
            for (int v = 0; v < 8; v++) {
                double s = 0;
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        s += grey[y][x] * Math.cos((2 * x + 1) * u * Math.PI / (2 * n)) * Math.cos((2 * y + 1) * v * Math.PI / (2 * n));
                    }
                }
                dct[u][v] = s;
            }
        }
        double[] values = new double[63];
        int i = 0;
        for (int u = 0; u < 8; u++) {
            for (int v = 0; v < 8; v++) {
                if (u != 0 || v != 0) {
                    values[i++] = dct[u][v];
                }
            }
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        long bits = 0;
        for (double value : values) {
            bits = (bits << 1) | (value > median ? 1 : 0);
        }
        return String.format("%016x", bits << 1);
    }

}

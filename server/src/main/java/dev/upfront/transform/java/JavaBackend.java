package dev.upfront.transform.java;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.exif.ExifIFD0Directory;
import dev.upfront.transform.Deadline;
import dev.upfront.transform.ImageBackend;
import dev.upfront.transform.Op;
import dev.upfront.transform.Plan;
import dev.upfront.transform.Step;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * The pure-Java backend (Java2D + ImageIO), used when libvips is absent: the same operations as libvips, slower,
 * JPEG and PNG output only. A large first shrink decodes with subsampling, the Java cousin of shrink-on-load.
 */
public final class JavaBackend implements ImageBackend {
    private static final Set<String> READABLE = Set.of("image/jpeg", "image/png", "image/gif", "image/bmp");

    static {
        ImageIO.setUseCache(false); // no temporary files: images are bounded in size before they get here
    }

    @Override
    public String name() {
        return "java (Java2D + ImageIO)";
    }

    @Override
    public Set<Step.Format> formats() {
        return Set.of(Step.Format.JPG, Step.Format.PNG);
    }

    @Override
    public boolean canRead(String mime) {
        return READABLE.contains(mime);
    }

    @Override
    public byte[] render(byte[] source, Plan plan, Deadline deadline) throws ImageException {
        if (!formats().contains(plan.format())) {
            throw new ImageException(plan.format().name().toLowerCase() + " output needs libvips, which this server does not have");
        }
        deadline.check();
        BufferedImage image = decode(source, plan);
        for (Op op : plan.ops()) {
            deadline.check();
            image = switch (op) {
                case Op.Resize r -> resize(image, r.width(), r.height());
                case Op.Crop c -> copy(image.getSubimage(c.x(), c.y(), c.width(), c.height()));
                case Op.Pad p -> pad(image, p);
                case Op.Rotate r -> rotate(image, r.degrees(), r.rgba());
                case Op.AutoRotate a -> autoRotate(image, source);
                case Op.Blur b -> blur(image, b.sigma(), deadline);
                case Op.RoundCorners r -> roundCorners(image, r.radius());
            };
        }
        deadline.check();
        return encode(image, plan);
    }

    @Override
    public long pixels(byte[] source) throws ImageException {
        return withReader(source, "the image's header cannot be read", reader -> (long) reader.getWidth(0) * reader.getHeight(0));
    }

    private static BufferedImage decode(byte[] source, Plan plan) throws ImageException {
        return withReader(source, "the image cannot be decoded", reader -> {
            ImageReadParam param = reader.getDefaultReadParam();
            if (!plan.ops().isEmpty() && plan.ops().getFirst() instanceof Op.Resize r) {
                // Decode at a fraction of the size when the first step shrinks a lot; keep 2x for quality.
                int factor = (int) Math.floor(Math.min((double) reader.getWidth(0) / r.width(), (double) reader.getHeight(0) / r.height()) / 2);
                if (factor >= 2) {
                    param.setSourceSubsampling(factor, factor, 0, 0);
                }
            }
            return toArgb(reader.read(0, param));
        });
    }

    /** What ImageIO can tell or decode of an image. */
    private interface ReaderWork<T> {
        T run(ImageReader reader) throws IOException;
    }

    /** Runs {@code work} with a reader set on {@code source}; its failures become {@code failure}. */
    private static <T> T withReader(byte[] source, String failure, ReaderWork<T> work) throws ImageException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(source))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageException("the image format cannot be read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return work.run(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageException(failure, e);
        }
    }

    private static BufferedImage toArgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_ARGB) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static BufferedImage copy(BufferedImage view) {
        BufferedImage out = new BufferedImage(view.getWidth(), view.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(view, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Halves with bilinear filtering while more than 2x too large, then one bicubic pass to the exact size. */
    static BufferedImage resize(BufferedImage image, int width, int height) {
        BufferedImage current = image;
        while (current.getWidth() / 2 >= width && current.getHeight() / 2 >= height) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() == width && current.getHeight() == height) {
            return current;
        }
        return draw(current, width, height, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    }

    private static BufferedImage draw(BufferedImage image, int width, int height, Object interpolation) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    private static BufferedImage pad(BufferedImage image, Op.Pad p) {
        BufferedImage out = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.setColor(color(p.rgba()));
        g.fillRect(0, 0, p.width(), p.height());
        g.setComposite(AlphaComposite.SrcOver);
        g.drawImage(image, p.x(), p.y(), null);
        g.dispose();
        return out;
    }

    private static BufferedImage rotate(BufferedImage image, int degrees, long rgba) {
        double rad = Math.toRadians(degrees);
        int w = image.getWidth();
        int h = image.getHeight();
        int nw;
        int nh;
        if (degrees == 90 || degrees == 270) {
            nw = h;
            nh = w;
        } else if (degrees == 180) {
            nw = w;
            nh = h;
        } else {
            nw = (int) Math.round(Math.abs(w * Math.cos(rad)) + Math.abs(h * Math.sin(rad)));
            nh = (int) Math.round(Math.abs(w * Math.sin(rad)) + Math.abs(h * Math.cos(rad)));
        }
        BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.setColor(color(rgba));
        g.fillRect(0, 0, nw, nh);
        g.setComposite(AlphaComposite.SrcOver);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform t = new AffineTransform();
        t.translate(nw / 2.0, nh / 2.0);
        t.rotate(rad);
        t.translate(-w / 2.0, -h / 2.0);
        g.drawImage(image, t, null);
        g.dispose();
        return out;
    }

    private static BufferedImage autoRotate(BufferedImage image, byte[] source) {
        int orientation = 1;
        try {
            ExifIFD0Directory ifd0 = ImageMetadataReader.readMetadata(new ByteArrayInputStream(source))
                    .getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                orientation = ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION);
            }
        } catch (Exception e) {
            return image;
        }
        return switch (orientation) {
            case 2 -> mirror(image, true);
            case 3 -> rotate(image, 180, 0);
            case 4 -> mirror(image, false);
            case 5 -> rotate(mirror(image, true), 270, 0); // transpose
            case 6 -> rotate(image, 90, 0);
            case 7 -> rotate(mirror(image, true), 90, 0); // transverse
            case 8 -> rotate(image, 270, 0);
            default -> image;
        };
    }

    /** Mirrors left-right ({@code horizontal}) or top-bottom. */
    private static BufferedImage mirror(BufferedImage image, boolean horizontal) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        if (horizontal) {
            g.drawImage(image, w, 0, 0, h, 0, 0, w, h, null);
        } else {
            g.drawImage(image, 0, h, w, 0, 0, 0, w, h, null);
        }
        g.dispose();
        return out;
    }

    /**
     * Separable Gaussian (radius 3σ, edges extended), row by row so that a passed deadline stops it within one row:
     * a large blur is the most expensive thing a client can ask for.
     */
    static BufferedImage blur(BufferedImage image, double sigma, Deadline deadline) throws ImageException {
        int radius = Math.max(1, (int) Math.ceil(sigma * 3));
        float[] kernel = new float[radius * 2 + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        int[] across = new int[pixels.length];
        for (int y = 0; y < h; y++) {
            deadline.check();
            convolve(pixels, across, y * w, 1, w, kernel, radius);
        }
        for (int x = 0; x < w; x++) {
            deadline.check();
            convolve(across, pixels, x, w, h, kernel, radius);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, pixels, 0, w);
        return out;
    }

    /** One line of {@code n} ARGB pixels from {@code start}, {@code step} apart, each channel convolved. */
    private static void convolve(int[] in, int[] out, int start, int step, int n, float[] kernel, int radius) {
        for (int i = 0; i < n; i++) {
            float a = 0;
            float r = 0;
            float g = 0;
            float b = 0;
            for (int k = -radius; k <= radius; k++) {
                int p = in[start + Math.clamp(i + k, 0, n - 1) * step];
                float weight = kernel[k + radius];
                a += weight * (p >>> 24);
                r += weight * ((p >> 16) & 0xff);
                g += weight * ((p >> 8) & 0xff);
                b += weight * (p & 0xff);
            }
            out[start + i * step] = channel(a) << 24 | channel(r) << 16 | channel(g) << 8 | channel(b);
        }
    }

    private static int channel(float v) {
        return Math.clamp(Math.round(v), 0, 255);
    }

    private static BufferedImage roundCorners(BufferedImage image, int radius) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setClip(new RoundRectangle2D.Double(0, 0, image.getWidth(), image.getHeight(), radius * 2.0, radius * 2.0));
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static byte[] encode(BufferedImage image, Plan plan) throws ImageException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (plan.format() == Step.Format.PNG) {
                ImageIO.write(image, "png", out);
                return out.toByteArray();
            }
            BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.setColor(color(plan.background() | 0xFF));
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
            g.dispose();
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(plan.quality() / 100f);
                writer.write(null, new IIOImage(rgb, null, null), param);
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ImageException("the image cannot be encoded", e);
        }
    }

    private static Color color(long rgba) {
        return new Color((int) (rgba >> 24) & 0xff, (int) (rgba >> 16) & 0xff, (int) (rgba >> 8) & 0xff, (int) rgba & 0xff);
    }
}

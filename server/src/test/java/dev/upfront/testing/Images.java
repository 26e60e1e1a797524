package dev.upfront.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small real images made in memory, for tests that need their dimensions read back. */
public final class Images {
    private Images() {}

    public static byte[] png(int width, int height) {
        return encode(image(width, height, BufferedImage.TYPE_INT_ARGB), "png");
    }

    public static byte[] jpeg(int width, int height) {
        return encode(image(width, height, BufferedImage.TYPE_INT_RGB), "jpg");
    }

    /**
     * A JPEG with an EXIF APP1 segment right after SOI: a little-endian TIFF block whose IFD0 holds {@code Make} and
     * {@code Model} (ASCII), as a camera would write them.
     */
    public static byte[] jpegWithExif(int width, int height, String make, String model) {
        byte[] jpeg = jpeg(width, height);
        byte[] makeBytes = (make + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] modelBytes = (model + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int ifd = 8;
        int data = ifd + 2 + 2 * 12 + 4;
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(data + makeBytes.length + modelBytes.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x010F).putShort((short) 2).putInt(makeBytes.length).putInt(data); // Make, ASCII
        tiff.putShort((short) 0x0110).putShort((short) 2).putInt(modelBytes.length).putInt(data + makeBytes.length); // Model
        tiff.putInt(0); // no IFD1
        tiff.put(makeBytes).put(modelBytes);
        return withApp1Exif(jpeg, tiff.array());
    }

    /**
     * A JPEG in four solid quadrants (top-left red, top-right green, bottom-left blue, bottom-right white) with an
     * EXIF APP1 whose IFD0 holds only {@code Orientation} (1-8), so where the quadrants end up shows how it was turned.
     */
    public static byte[] quadrantsJpegWithOrientation(int width, int height, int orientation) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height / 2);
        g.setColor(Color.GREEN);
        g.fillRect(width / 2, 0, width - width / 2, height / 2);
        g.setColor(Color.BLUE);
        g.fillRect(0, height / 2, width / 2, height - height / 2);
        g.setColor(Color.WHITE);
        g.fillRect(width / 2, height / 2, width - width / 2, height - height / 2);
        g.dispose();
        byte[] jpeg = encode(img, "jpg");
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(8 + 2 + 12 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0); // SHORT
        tiff.putInt(0);
        return withApp1Exif(jpeg, tiff.array());
    }

    /** {@code jpeg} with an EXIF APP1 segment holding {@code tiff} right after its SOI marker. */
    private static byte[] withApp1Exif(byte[] jpeg, byte[] tiff) {
        byte[] exif = "Exif\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int length = 2 + exif.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(exif);
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    public static byte[] gif(int width, int height) {
        return encode(image(width, height, BufferedImage.TYPE_INT_RGB), "gif");
    }

    private static BufferedImage image(int width, int height, int type) {
        BufferedImage img = new BufferedImage(width, height, type);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(0, 0, Math.max(1, width / 2), Math.max(1, height / 2));
        g.dispose();
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A decoded image and the format ImageIO recognised from the bytes themselves (not from a Content-Type). */
    public record Decoded(String format, BufferedImage image) {
        public String size() {
            return image.getWidth() + "x" + image.getHeight();
        }
    }

    /** Decodes with the reader ImageIO picks from the bytes; fails the test when no reader knows them. */
    public static Decoded decode(byte[] bytes) {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new AssertionError("not an image ImageIO can read (" + bytes.length + " bytes)");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new Decoded(reader.getFormatName().toLowerCase(java.util.Locale.ROOT), reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

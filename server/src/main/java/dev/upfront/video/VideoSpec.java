package dev.upfront.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The part of ImageKit's video transformation syntax this server renders: {@code w-<px>}, {@code h-<px>} (both:
 * scaled to cover, then cropped to the centre, as ImageKit's default {@code c-maintain_ratio} does for images),
 * {@code q-<1..100>} and {@code f-mp4} / {@code f-webm}, comma-separated, each at most once. Anything else (other
 * keys, chains with {@code :}, {@code f-auto}) does not parse. Sides are rounded down to even numbers, which
 * H.264 and VP8 with 4:2:0 chroma need.
 *
 * @param width null when not given
 * @param height null when not given
 * @param quality null when not given (then the encoder's default quality)
 * @param format {@code mp4} unless {@code f-webm}
 */
public record VideoSpec(Integer width, Integer height, Integer quality, String format) {
    public static final VideoSpec ORIGINAL = new VideoSpec(null, null, null, "mp4");
    /** Largest side this server produces (4K). */
    public static final int MAX_SIDE = 3840;
    /**
     * Most pixels a frame this server produces may have: 4K UHD's. A side alone does not bound a frame: {@code w-3840}
     * of a 1:4 video is 3840×15360, gigabytes in the encoder, for one unauthenticated request.
     */
    public static final long MAX_PIXELS = 3840L * 2160;
    /** The representations {@code abs} may ask for ({@code sr-240_360_...}): ImageKit's list of heights. */
    public static final List<Integer> REPRESENTATIONS = List.of(240, 360, 480, 720, 1080, 1440, 2160);

    /** The spec, or empty when {@code value} is outside the subset; null or empty is {@link #ORIGINAL}. */
    public static Optional<VideoSpec> parse(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of(ORIGINAL);
        }
        Integer width = null;
        Integer height = null;
        Integer quality = null;
        String format = null;
        for (String part : value.split(",", -1)) {
            int dash = part.indexOf('-');
            if (dash < 1) {
                return Optional.empty();
            }
            String key = part.substring(0, dash);
            String arg = part.substring(dash + 1);
            switch (key) {
                case "w" -> {
                    if (width != null || (width = side(arg)) == null) {
                        return Optional.empty();
                    }
                }
                case "h" -> {
                    if (height != null || (height = side(arg)) == null) {
                        return Optional.empty();
                    }
                }
                case "q" -> {
                    Integer q = number(arg);
                    if (quality != null || q == null || q < 1 || q > 100) {
                        return Optional.empty();
                    }
                    quality = q;
                }
                case "f" -> {
                    if (format != null || !(arg.equals("mp4") || arg.equals("webm"))) {
                        return Optional.empty();
                    }
                    format = arg;
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (width != null && height != null && (long) width * height > MAX_PIXELS) {
            return Optional.empty();
        }
        return Optional.of(new VideoSpec(width, height, quality, format == null ? "mp4" : format));
    }

    /** {@code sr-240_360_720}: the heights, ascending, each one of {@link #REPRESENTATIONS}; empty when not that. */
    public static Optional<List<Integer>> representations(String value) {
        if (value == null || !value.startsWith("sr-")) {
            return Optional.empty();
        }
        TreeSet<Integer> heights = new TreeSet<>();
        for (String h : value.substring(3).split("_", -1)) {
            Integer n = number(h);
            if (n == null || !REPRESENTATIONS.contains(n) || !heights.add(n)) {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(heights));
    }

    /** The same spec written one way only, for cache keys. */
    public String canonical() {
        return "w" + width + ",h" + height + ",q" + quality + ",f" + format;
    }

    public String mime() {
        return format.equals("webm") ? "video/webm" : "video/mp4";
    }

    /** The {@code -vf} filter for the size (even sides, at most {@link #MAX_PIXELS}); the source's size when none is given. */
    String scaleFilter() {
        if (width != null && height != null) {
            return "scale=" + width + ":" + height + ":force_original_aspect_ratio=increase,crop=" + width + ":" + height + ",setsar=1";
        }
        if (width != null) {
            return boundedScale("w", String.valueOf(width), "iw/ih");
        }
        if (height != null) {
            return heightScale(height);
        }
        return boundedScale("w", "iw", "iw/ih");
    }

    /** The {@code -vf} filter that scales to {@code height}, the width following the aspect ratio, within {@link #MAX_PIXELS}. */
    static String heightScale(int height) {
        return boundedScale("h", String.valueOf(height), "ih/iw");
    }

    /**
     * Scales side {@code side} ({@code w} or {@code h}) to {@code wanted} (an ffmpeg expression), the other side
     * following the aspect ratio, but to no more than the side at which the frame holds {@link #MAX_PIXELS}: with
     * {@code ratio} this side over the other, that side is {@code sqrt(MAX_PIXELS × ratio)}. Even sides.
     */
    private static String boundedScale(String side, String wanted, String ratio) {
        String other = side.equals("w") ? "h" : "w";
        return "scale=" + side + "='trunc(min(" + wanted + ",sqrt(" + MAX_PIXELS + "*" + ratio + "))/2)*2':" + other + "=-2,setsar=1";
    }

    /** Encoder arguments for this spec's format and quality (ImageKit's q 1..100 mapped onto the encoder's scale). */
    List<String> encoderArgs() {
        List<String> args = new ArrayList<>(List.of("-vf", scaleFilter(), "-pix_fmt", "yuv420p"));
        int q = quality == null ? 80 : quality;
        if (format.equals("webm")) {
            // crf 4..63 (lower is better); realtime settings keep the CPU bounded
            int crf = 4 + Math.round((100 - q) * 59 / 99f);
            args.addAll(List.of("-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "2M", "-crf",
                    String.valueOf(crf), "-c:a", "libopus", "-f", "webm"));
        } else {
            // crf 18..51 (lower is better)
            int crf = 18 + Math.round((100 - q) * 33 / 99f);
            args.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", String.valueOf(crf),
                    "-c:a", "aac", "-movflags", "+faststart", "-f", "mp4"));
        }
        return args;
    }

    private static Integer side(String arg) {
        Integer n = number(arg);
        if (n == null || n < 2 || n > MAX_SIDE) {
            return null;
        }
        return n - n % 2;
    }

    private static Integer number(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(s);
    }
}

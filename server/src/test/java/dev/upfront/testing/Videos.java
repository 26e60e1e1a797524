package dev.upfront.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small media made by the machine's ffmpeg for tests (check {@link #ffmpegPresent()} first). */
public final class Videos {
    private Videos() {}

    /** Whether ffmpeg and ffprobe are on PATH. */
    public static boolean ffmpegPresent() {
        return onPath("ffmpeg") && onPath("ffprobe");
    }

    /** ffmpeg's test pattern at {@code width}×{@code height}, 25 fps (H.264) with a 440 Hz tone (AAC), as an MP4. */
    public static byte[] mp4(int width, int height, int seconds) {
        return make("clip.mp4", "-f", "lavfi", "-i", "testsrc=size=" + width + "x" + height + ":rate=25:duration=" + seconds,
                "-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds, "-c:v", "libx264", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest");
    }

    /** An animated GIF of the test pattern: 10 frames at 10 fps. */
    public static byte[] gif(int width, int height) {
        return make("anim.gif", "-f", "lavfi", "-i", "testsrc=size=" + width + "x" + height + ":rate=10:duration=1");
    }

    private static byte[] make(String name, String... args) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("upfront-video-");
            Path out = dir.resolve(name);
            List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error"));
            command.addAll(List.of(args));
            command.addAll(List.of("-y", out.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (dir != null) {
                for (File f : dir.toFile().listFiles()) {
                    f.delete();
                }
                dir.toFile().delete();
            }
        }
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}

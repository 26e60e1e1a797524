package dev.upfront.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a video's dimensions, duration, bit rate and codecs with ffprobe, as ImageKit reports them for videos
 * ({@code width}, {@code height}, {@code duration} in whole seconds, {@code bitRate} in kbps, {@code videoCodec},
 * {@code audioCodec}). ffprobe runs as a child process on a private temporary copy of the bytes, reading local
 * files only ({@code -protocol_whitelist file}: a crafted file cannot make it open URLs), bounded in time and in
 * output; anything that goes wrong gives no facts, never an error, so an upload does not fail for want of them.
 * Callers probe only authenticated requests' bytes.
 */
public final class VideoProbe {
    private static final Logger log = LoggerFactory.getLogger(VideoProbe.class);
    private static final int MAX_OUTPUT_BYTES = 256 * 1024;

    /** What the probe found: dimensions (null when unknown) and the media fields it could read. */
    public record Facts(Integer width, Integer height, Map<String, Object> media) {}

    private final String executable;
    private final Duration timeout;

    /** @param executable the ffprobe command, or null when the machine has none (then nothing is probed) */
    public VideoProbe(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    public static VideoProbe none() {
        return new VideoProbe(null, Duration.ZERO);
    }

    public boolean available() {
        return executable != null;
    }

    public Optional<Facts> probe(MediaInspector.Source source) {
        if (executable == null) {
            return Optional.empty();
        }
        Path copy = null;
        try {
            copy = Files.createTempFile("upfront-probe-", ".bin"); // owner-only (0600) on POSIX file systems
            try (InputStream in = source.open(); OutputStream out = Files.newOutputStream(copy)) {
                in.transferTo(out);
            }
            return run(copy).flatMap(VideoProbe::facts);
        } catch (IOException e) {
            log.debug("No video facts: {}", e.toString());
            return Optional.empty();
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    log.warn("Could not delete the probe's temporary copy {}: {}", copy, e.toString());
                }
            }
        }
    }

    private Optional<JsonNode> run(Path file) throws IOException {
        Process process = new ProcessBuilder(List.of(executable, "-v", "error", "-protocol_whitelist", "file",
                "-print_format", "json", "-show_entries", "format=duration,bit_rate:stream=codec_type,codec_name,width,height",
                file.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        process.getOutputStream().close(); // it reads the file, never its standard input
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (output.size() + n > MAX_OUTPUT_BYTES) {
                        process.destroyForcibly();
                        return;
                    }
                    output.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the process ended or was killed: what was read is all there is
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                log.warn("ffprobe took longer than {} s; the video's facts are left out", timeout.toSeconds());
                return Optional.empty();
            }
            reader.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (process.exitValue() != 0 || output.size() >= MAX_OUTPUT_BYTES) {
            log.debug("ffprobe gave no facts (exit {})", process.exitValue());
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.parse(output.toString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** ffprobe's JSON in ImageKit's terms; empty when there is no video stream (an audio file, say). */
    static Optional<Facts> facts(JsonNode probe) {
        JsonNode video = null;
        JsonNode audio = null;
        for (JsonNode stream : probe.path("streams")) {
            String type = stream.path("codec_type").asText();
            if (type.equals("video") && video == null) {
                video = stream;
            } else if (type.equals("audio") && audio == null) {
                audio = stream;
            }
        }
        if (video == null) {
            return Optional.empty();
        }
        Map<String, Object> media = new LinkedHashMap<>();
        JsonNode format = probe.path("format");
        Double duration = number(format.path("duration"));
        if (duration != null) {
            media.put("duration", Math.round(duration));
        }
        Double bitRate = number(format.path("bit_rate"));
        if (bitRate != null) {
            media.put("bitRate", Math.round(bitRate / 1000));
        }
        if (video.hasNonNull("codec_name")) {
            media.put("videoCodec", video.get("codec_name").asText());
        }
        if (audio != null && audio.hasNonNull("codec_name")) {
            media.put("audioCodec", audio.get("codec_name").asText());
        }
        Integer width = video.path("width").canConvertToInt() && video.path("width").asInt() > 0 ? video.path("width").asInt() : null;
        Integer height = video.path("height").canConvertToInt() && video.path("height").asInt() > 0 ? video.path("height").asInt() : null;
        return Optional.of(new Facts(width, height, media));
    }

    /** ffprobe writes numbers as strings ("2.000000"); "N/A" when it does not know. */
    private static Double number(JsonNode n) {
        try {
            double d = Double.parseDouble(n.asText());
            return Double.isFinite(d) && d >= 0 ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

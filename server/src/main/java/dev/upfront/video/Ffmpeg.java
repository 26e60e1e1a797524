package dev.upfront.video;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ffmpeg executable, found once at start ({@code UPFRONT_FFMPEG}: {@code auto} looks on PATH, {@code none}
 * turns video transformations off, anything else is the executable's path). Every run is a child process with
 * its arguments as a list (no shell), reading local files only ({@code -protocol_whitelist file}: a crafted file
 * cannot make it open URLs), never its standard input, bounded in time ({@link #timeout}) and in number (at most
 * {@code concurrency} at once; others wait their turn, up to the same timeout).
 */
public final class Ffmpeg {
    private static final Logger log = LoggerFactory.getLogger(Ffmpeg.class);
    private static final int MAX_ERROR_CHARS = 2000;

    /** Why a run failed: {@code reason} is ImageKit's webhook reason ({@code encoding_failed}, ...). */
    public static final class Failure extends RuntimeException {
        private final String reason;

        public Failure(String reason, String detail) {
            super(detail);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final String executable;
    private final Duration timeout;
    private final Semaphore slots;
    private final int concurrency;

    /** @param executable the command, or null when there is none (then {@link #available()} is false) */
    public Ffmpeg(String executable, Duration timeout, int concurrency) {
        this.executable = executable;
        this.timeout = timeout;
        this.concurrency = Math.max(1, concurrency);
        this.slots = new Semaphore(this.concurrency, true);
    }

    /** {@code auto}: ffmpeg when it is on PATH; {@code none}: no ffmpeg; else that executable, which must exist. */
    public static Optional<String> detect(String setting) {
        if (setting.equals("none")) {
            return Optional.empty();
        }
        if (!setting.equals("auto")) {
            return Optional.of(setting);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            try {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "ffmpeg"))) {
                    return Optional.of("ffmpeg");
                }
            } catch (InvalidPathException e) {
                // a malformed PATH entry holds no executable
            }
        }
        return Optional.empty();
    }

    public boolean available() {
        return executable != null;
    }

    /** Runs allowed at once. */
    public int concurrency() {
        return concurrency;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs {@code ffmpeg -nostdin -v error -protocol_whitelist file -i <input> <args...>}.
     *
     * @throws Failure {@code encoding_failed} when ffmpeg fails or takes too long, {@code internal_server_error}
     *                 when it cannot start
     */
    public void run(Path input, List<String> args) {
        if (executable == null) {
            throw new Failure("internal_server_error", "no ffmpeg");
        }
        List<String> command = new ArrayList<>(List.of(executable, "-nostdin", "-hide_banner", "-v", "error",
                "-protocol_whitelist", "file", "-i", input.toString()));
        command.addAll(args);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!slots.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Failure("encoding_failed", "no ffmpeg slot within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("internal_server_error", "interrupted");
        }
        try {
            execute(command, deadline);
        } finally {
            slots.release();
        }
    }

    private void execute(List<String> command, long deadline) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new Failure("internal_server_error", "ffmpeg did not start: " + e.getMessage());
        }
        StringBuilder errors = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getErrorStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (errors) {
                        if (errors.length() < MAX_ERROR_CHARS) {
                            errors.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended or was killed
            }
        });
        try {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                log.warn("ffmpeg took longer than {} s and was stopped", timeout.toSeconds());
                throw new Failure("encoding_failed", "ffmpeg took longer than " + timeout.toSeconds() + " s");
            }
            reader.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Failure("internal_server_error", "interrupted");
        }
        if (process.exitValue() != 0) {
            String detail;
            synchronized (errors) {
                detail = errors.toString().strip();
            }
            log.info("ffmpeg failed (exit {}): {}", process.exitValue(), detail);
            throw new Failure("encoding_failed", "ffmpeg failed (exit " + process.exitValue() + ")");
        }
    }
}

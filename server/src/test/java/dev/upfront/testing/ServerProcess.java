package dev.upfront.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate JVM ({@code dev.upfront.app.Main serve}), configured through its environment like in
 * production, for tests that must kill it (SIGKILL) or measure its memory. Its stdout and stderr are appended to a
 * log file, so several runs on one data folder leave one diagnostic file. {@link #close()} always ends it.
 */
public final class ServerProcess implements AutoCloseable {
    /** The start-up line, as text or as a JSON string (which escapes {@code /} as {@code \/}). */
    private static final Pattern LISTENING = Pattern.compile("Upfront listening on http:\\\\?/\\\\?/([0-9.]+):(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;

    private ServerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The folder for test artefacts: {@code server/target}. */
    public static Path targetDir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("target").toAbsolutePath().normalize();
    }

    /**
     * Starts {@code Main serve} on a free port of 127.0.0.1 with the test key pair, {@code dataDir}, and {@code env}
     * on top; waits until it logs that it listens (so the start-up sweep has run).
     */
    public static ServerProcess start(Path dataDir, Map<String, String> env, List<String> jvmArgs, Path log) {
        return start(dataDir, env, jvmArgs, log, Duration.ofSeconds(30));
    }

    /** As {@link #start(Path, Map, List, Path)}, waiting up to {@code startTimeout} (several JVMs starting at once). */
    public static ServerProcess start(Path dataDir, Map<String, String> env, List<String> jvmArgs, Path log, Duration startTimeout) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        // The production logging config (with the access log), not the quiet logback-test.xml of the test classpath.
        java.net.URL logback = ClassLoader.getSystemResource("logback.xml");
        if (logback != null && logback.getProtocol().equals("file")) {
            command.add("-Dlogback.configurationFile=" + logback.getPath());
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.upfront.app.Main");
        command.add("serve");
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("UPFRONT_"));
        e.put("UPFRONT_PORT", "0");
        e.put("UPFRONT_BIND", "127.0.0.1");
        e.put("UPFRONT_DATA_DIR", dataDir.toString());
        e.put("UPFRONT_PUBLIC_KEY", TestServer.PUBLIC_KEY);
        e.put("UPFRONT_PRIVATE_KEY", TestServer.PRIVATE_KEY);
        e.putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Files.createDirectories(log.getParent());
            long from = Files.exists(log) ? Files.size(log) : 0;
            Files.writeString(log, "\n===== " + java.time.Instant.now() + " starting: " + String.join(" ", jvmArgs)
                    + " " + env + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Process p = pb.start();
            try {
                int port = awaitListening(p, log, from, startTimeout);
                return new ServerProcess(p, log, port);
            } catch (RuntimeException | Error ex) {
                p.destroyForcibly();
                throw ex;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static int awaitListening(Process p, Path log, long from, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = tail(log, from);
            Matcher m = LISTENING.matcher(text);
            if (m.find()) {
                return Integer.parseInt(m.group(2));
            }
            if (!p.isAlive()) {
                throw new AssertionError("server exited with " + p.exitValue() + " before listening; log " + log + ":\n" + text);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("server did not log 'listening' within " + timeout.toSeconds() + " s; log " + log + ":\n" + tail(log, from));
    }

    private static String tail(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int start = (int) Math.min(from, all.length);
        return new String(all, start, all.length - start, StandardCharsets.UTF_8);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    /** {@code url} (as returned by an earlier run, maybe on another port) re-based on this server. */
    public URI rebase(String url) {
        URI u = URI.create(url);
        return URI.create(baseUrl() + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux): no shutdown hook, no flush, nothing. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: the graceful shutdown hook runs (in-flight requests finish, the database closes). */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                waitFor();
                throw new AssertionError("server did not stop within 30 s of SIGTERM; log " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("server process " + process.pid() + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A {@code kB} value of /proc/&lt;pid&gt;/status, e.g. {@code VmHWM} (peak resident set) or {@code VmRSS}. */
    public OptionalLong procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return OptionalLong.of(Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]));
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

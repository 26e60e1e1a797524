package dev.upfront.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The npm project in {@code src/test/node} (package.json with exact pins + committed package-lock.json), ready to
 * run its scripts with the machine's Node.js: {@link #prepare} finds the folder, requires {@code node} 18+ and
 * {@code npm} through {@link Requirements} (a skip, or a failure under {@code UPFRONT_REQUIRE_ALL=1}), and runs
 * {@code npm ci} when node_modules lacks any pinned dependency at its pinned version. {@link #node} then runs one
 * script with extra environment variables, a timeout, no proxy variables and captured output.
 */
public final class NodeProject {
    public static final int MIN_NODE_MAJOR = 18;
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    /**
     * Variables that would send HTTP clients inside the scripts (axios in the {@code imagekit} SDK honours them) to
     * a proxy, even for the loopback test server.
     */
    public static final List<String> PROXY_VARIABLES =
            List.of("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY");
    /** Test classes in one JVM share node_modules: one {@code npm ci} at a time. */
    private static final Object INSTALL_LOCK = new Object();

    private final Path dir;
    private final Path scratch;
    private final String nodeVersion;
    private final AtomicInteger runs = new AtomicInteger();

    private NodeProject(Path dir, Path scratch, String nodeVersion) {
        this.dir = dir;
        this.scratch = scratch;
        this.nodeVersion = nodeVersion;
    }

    /**
     * Finds the project, requires node 18+ and npm, installs the pinned dependencies when needed.
     *
     * @param scratch a folder for the captured output of every process this project runs (a test's {@code @TempDir})
     */
    public static NodeProject prepare(Path scratch) throws IOException {
        Path dir = locate();
        ProcessResult node = run(List.of("node", "--version"), dir, e -> { }, PROBE_TIMEOUT, scratch, "node-version");
        Requirements.require(node.ok(), "node (Node.js " + MIN_NODE_MAJOR + "+) on PATH, to run the npm packages in src/test/node");
        Requirements.require(majorVersion(node.stdout()) >= MIN_NODE_MAJOR,
                "Node.js " + MIN_NODE_MAJOR + "+ (global fetch/FormData/Blob), found " + node.stdout().strip());
        Requirements.require(run(List.of("npm", "--version"), dir, e -> { }, PROBE_TIMEOUT, scratch, "npm-version").ok(),
                "npm on PATH, to install the packages pinned in src/test/node/package-lock.json");
        NodeProject project = new NodeProject(dir, scratch, node.stdout().strip());
        project.installDependencies();
        return project;
    }

    /**
     * Surefire runs with the module folder as working directory (server/, or examples/backend/ for the example's
     * browser tests); an IDE may use the repository root.
     */
    public static Path locate() {
        for (Path candidate : List.of(Path.of("src/test/node"), Path.of("server/src/test/node"), Path.of("../../server/src/test/node"))) {
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new AssertionError("src/test/node/package.json not found from working directory " + Path.of("").toAbsolutePath());
    }

    public Path dir() {
        return dir;
    }

    /** What {@code node --version} printed, e.g. {@code v20.11.1}. */
    public String nodeVersion() {
        return nodeVersion;
    }

    /** package.json's dependencies, name to version, each checked to be an exact pin ({@code 1.2.3}). */
    public Map<String, String> pinnedDependencies() throws IOException {
        JsonNode deps = Json.parse(Files.readString(dir.resolve("package.json"))).path("dependencies");
        Map<String, String> pinned = new LinkedHashMap<>();
        for (var it = deps.fields(); it.hasNext(); ) {
            var e = it.next();
            // An npm alias ("imagekit-javascript-1": "npm:imagekit-javascript@1.5.5") installs several majors of
            // one package side by side; node_modules/<alias>/package.json then holds the aliased version.
            String version = e.getValue().asText().replaceFirst("^npm:(@?[^@]+)@", "");
            if (!version.matches("\\d+\\.\\d+\\.\\d+")) {
                throw new AssertionError("package.json should pin an exact version of " + e.getKey() + ", found \"" + e.getValue().asText() + "\"");
            }
            pinned.put(e.getKey(), version);
        }
        if (pinned.isEmpty()) {
            throw new AssertionError("package.json in " + dir + " has no dependencies");
        }
        return pinned;
    }

    /** The exact version package.json pins for {@code name}. */
    public String pinnedVersion(String name) throws IOException {
        String version = pinnedDependencies().get(name);
        if (version == null) {
            throw new AssertionError("package.json does not depend on " + name);
        }
        return version;
    }

    /** The version of {@code name} in node_modules, if installed. */
    public Optional<String> installedVersion(String name) throws IOException {
        Path manifest = dir.resolve("node_modules").resolve(name).resolve("package.json");
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        String version = Json.parse(Files.readString(manifest)).path("version").asText();
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
    }

    /** {@code npm ci} from the committed lock file, unless node_modules already holds every pinned dependency. */
    private void installDependencies() throws IOException {
        synchronized (INSTALL_LOCK) {
            Map<String, String> missing = missingDependencies();
            if (missing.isEmpty()) {
                return;
            }
            System.err.println("NodeProject: installing " + missing + " with npm ci in " + dir);
            ProcessResult ci = run(List.of("npm", "ci", "--no-audit", "--no-fund"), e -> { }, NPM_CI_TIMEOUT, "npm-ci");
            if (!ci.ok()) {
                throw new AssertionError("npm ci failed in " + dir + ":\n" + ci.describe());
            }
            Map<String, String> still = missingDependencies();
            if (!still.isEmpty()) {
                throw new AssertionError("npm ci did not install " + still + " in " + dir + ":\n" + ci.describe());
            }
        }
    }

    /** Pinned dependencies that node_modules lacks, or holds at another version. */
    private Map<String, String> missingDependencies() throws IOException {
        Map<String, String> missing = new LinkedHashMap<>();
        for (Map.Entry<String, String> pin : pinnedDependencies().entrySet()) {
            if (!installedVersion(pin.getKey()).filter(pin.getValue()::equals).isPresent()) {
                missing.put(pin.getKey(), pin.getValue());
            }
        }
        return missing;
    }

    /**
     * Runs {@code node script} in the project folder with the JVM's environment minus {@link #PROXY_VARIABLES},
     * {@code NO_PROXY=*}, then {@code env} on top.
     */
    public ProcessResult node(String script, Map<String, String> env, Duration timeout) throws IOException {
        return run(List.of("node", script), e -> {
            PROXY_VARIABLES.forEach(e::remove);
            e.put("NO_PROXY", "*");
            e.put("no_proxy", "*");
            e.putAll(env);
        }, timeout, script.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** Runs any command in the project folder; output goes to {@code <n>-<label>.out/.err} in the scratch folder. */
    public ProcessResult run(List<String> command, Consumer<Map<String, String>> environment, Duration timeout, String label)
            throws IOException {
        return run(command, dir, environment, timeout, scratch, runs.incrementAndGet() + "-" + label);
    }

    /**
     * Runs {@code command} in {@code dir} with the JVM's environment as {@code environment} adjusts it, output
     * captured to files in {@code scratch} (no pipe can fill up), killed with its children after {@code timeout}.
     * A command that cannot start at all gives exit code -1.
     */
    public static ProcessResult run(List<String> command, Path dir, Consumer<Map<String, String>> environment, Duration timeout,
            Path scratch, String label) throws IOException {
        Files.createDirectories(scratch);
        Path stdout = scratch.resolve(label + ".out");
        Path stderr = scratch.resolve(label + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        environment.accept(pb.environment());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ProcessResult(command, -1, "", e.toString(), false);
        }
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new ProcessResult(command, finished ? p.exitValue() : -1,
                Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8), !finished);
    }

    /** The major version in {@code node --version} output ({@code v20.11.1} gives 20), -1 when unreadable. */
    public static int majorVersion(String nodeVersion) {
        String v = nodeVersion.strip();
        try {
            return Integer.parseInt(v.substring(v.startsWith("v") ? 1 : 0, v.indexOf('.')));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** A finished (or killed) process: exit code, captured output, whether the timeout killed it. */
    public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** The non-blank lines of stdout. */
        public List<String> stdoutLines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }

        /** The last non-blank line of stdout. @throws AssertionError when there is none */
        public String lastLine() {
            List<String> lines = stdoutLines();
            if (lines.isEmpty()) {
                throw new AssertionError("no output on stdout:\n" + describe());
            }
            return lines.getLast();
        }

        /** The command, its outcome and both outputs, for failure messages. */
        public String describe() {
            return "$ " + String.join(" ", command) + (timedOut ? "  (TIMED OUT, killed)" : "  (exit " + exitCode + ")")
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }
}

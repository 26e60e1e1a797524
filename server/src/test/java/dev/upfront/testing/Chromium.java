package dev.upfront.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chromium driven by the npm package playwright-core from {@link NodeProject} (script {@code browser-page.mjs}).
 * It uses the machine's Chromium ({@code /usr/bin/chromium}, Debian's package; {@code UPFRONT_CHROMIUM} names
 * another), never a browser that Playwright downloads. Missing Chromium skips, or fails under
 * {@code UPFRONT_REQUIRE_ALL=1} ({@link Requirements}).
 */
public final class Chromium {
    public static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);

    private final NodeProject node;
    private final Path executable;

    private Chromium(NodeProject node, Path executable) {
        this.node = node;
        this.executable = executable;
    }

    public static Chromium prepare(NodeProject node) {
        Path executable = Path.of(System.getenv().getOrDefault("UPFRONT_CHROMIUM", "/usr/bin/chromium"));
        Requirements.require(Files.isExecutable(executable),
                "Chromium at " + executable + " (Debian: apt-get install chromium), for the browser SDK tests");
        return new Chromium(node, executable);
    }

    /** The Chromium binary, for scripts that drive their own flow (dashboard-flow.mjs). */
    public Path executable() {
        return executable;
    }

    /**
     * Opens {@code url}, sets {@code uploadFile} (if not null) on the page's file input, waits for the page's
     * report and returns what browser-page.mjs printed: {report, requests, console, pageErrors}.
     */
    public JsonNode open(String url, Path uploadFile) throws IOException {
        return open(url, uploadFile, null);
    }

    /**
     * As {@link #open(String, Path)}, for a page that knows nothing of tests: it has finished when an element
     * matches {@code doneSelector}; the report lists its {@code [data-state]} elements (data attributes, images).
     */
    public JsonNode open(String url, Path uploadFile, String doneSelector) throws IOException {
        return open(url, uploadFile, doneSelector, null);
    }

    /** As {@link #open(String, Path, String)}, then clicks {@code clickSelector} (a submit button) once the file is set. */
    public JsonNode open(String url, Path uploadFile, String doneSelector, String clickSelector) throws IOException {
        Map<String, String> env = new HashMap<>();
        if (clickSelector != null) {
            env.put("UPFRONT_CLICK_SELECTOR", clickSelector);
        }
        if (doneSelector != null) {
            env.put("UPFRONT_DONE_SELECTOR", doneSelector);
        }
        env.put("UPFRONT_CHROMIUM", executable.toString());
        env.put("UPFRONT_PAGE_URL", url);
        env.put("UPFRONT_TIMEOUT_MS", Long.toString(PAGE_TIMEOUT.toMillis()));
        if (uploadFile != null) {
            env.put("UPFRONT_UPLOAD_FILE", uploadFile.toString());
        }
        NodeProject.ProcessResult run = node.node("browser-page.mjs", env, PAGE_TIMEOUT.plusSeconds(30));
        if (!run.ok()) {
            throw new AssertionError("browser-page.mjs failed:\n" + run.describe());
        }
        JsonNode out = Json.parse(run.lastLine());
        if (out.has("failure") || !out.path("report").path("done").asBoolean()) {
            throw new AssertionError("the page did not finish: " + out.path("failure").asText()
                    + "\nconsole: " + out.path("console") + "\npage errors: " + out.path("pageErrors") + "\nrequests: " + out.path("requests"));
        }
        return out;
    }

    /** The upload POSTs (URLs containing {@code /files/upload}) among the requests a page sent, in order. */
    public static List<String> uploadPosts(JsonNode out) {
        List<String> urls = new ArrayList<>();
        out.path("requests").forEach(r -> {
            if (r.path("method").asText().equals("POST") && r.path("url").asText().contains("/files/upload")) {
                urls.add(r.path("url").asText());
            }
        });
        return urls;
    }
}

package dev.upfront.upload;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Downloads a {@code file} given as an http(s) URL. The response headers must arrive within the header timeout
 * (ImageKit: 8 s); the body goes through the same {@link FileIntake} as an uploaded file, so the same size limit
 * and one-pass staging apply, and the whole download is bounded in time. Loopback, link-local, private and other
 * non-public addresses are refused unless allowed by configuration; redirects are followed by hand (at most
 * {@value #MAX_REDIRECTS}) so every hop is checked.
 *
 * <p>Known gap: the address check resolves the host before the client connects, so a DNS answer that changes in
 * between (rebinding) is not caught. Deployments that need that guarantee should also egress-filter the server.
 */
public final class RemoteFiles implements AutoCloseable {
    private static final int MAX_REDIRECTS = 3;
    private static final int MAX_URL_CHARS = 8192;

    private final HttpClient client;
    private final Duration headerTimeout;
    private final Duration totalTimeout;
    private final boolean allowPrivate;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "upfront-fetch-watchdog");
        t.setDaemon(true);
        return t;
    });

    public RemoteFiles(Duration headerTimeout, Duration totalTimeout, boolean allowPrivate) {
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(headerTimeout)
                .build();
        this.headerTimeout = headerTimeout;
        this.totalTimeout = totalTimeout;
        this.allowPrivate = allowPrivate;
    }

    /** Streams the resource at {@code url} into a new intake and returns the staged result. */
    public StagedUpload fetch(String url, FileIntakes intakes) {
        URI uri = parse(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkTarget(uri);
            HttpResponse<InputStream> response = send(uri);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("location").isPresent()) {
                closeQuietly(response.body());
                uri = uri.resolve(response.headers().firstValue("location").get());
                continue;
            }
            if (status != 200) {
                closeQuietly(response.body());
                throw failed("the server answered HTTP " + status);
            }
            return download(response.body(), intakes);
        }
        throw failed("too many redirects");
    }

    private StagedUpload download(InputStream body, FileIntakes intakes) {
        ScheduledFuture<?> deadline = watchdog.schedule(() -> closeQuietly(body), totalTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try (InputStream in = body; FileIntake intake = intakes.open()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                intake.write(ByteBuffer.wrap(buffer, 0, n));
            }
            if (intake.size() == 0) {
                // the same answer as an empty uploaded file: an empty file is not an upload
                throw new ApiException(ErrorCode.INVALID_FILE, "The file is empty.");
            }
            return intake.finish();
        } catch (IOException e) {
            throw failed(deadline.isDone() ? "the download took longer than " + totalTimeout.toSeconds() + " s" : "the download broke off");
        } finally {
            deadline.cancel(false);
        }
    }

    private HttpResponse<InputStream> send(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(headerTimeout).GET()
                .header("User-Agent", "Upfront/0.1 (+file fetch)")
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw failed("no response headers within " + headerTimeout.toSeconds() + " s");
        } catch (IOException e) {
            throw failed("the connection failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted");
        }
    }

    private static URI parse(String url) {
        if (url.length() > MAX_URL_CHARS) {
            throw failed("the URL is too long");
        }
        try {
            URI uri = new URI(url.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw failed("only http and https URLs with a host can be fetched");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw failed("the URL is malformed");
        }
    }

    private void checkTarget(URI uri) {
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw failed("only http and https URLs with a host can be fetched");
        }
        if (allowPrivate) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (!isPublic(address)) {
                    throw failed("the host resolves to a non-public address");
                }
            }
        } catch (UnknownHostException e) {
            throw failed("the host is unknown");
        }
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xfe) == 0xfc; // fc00::/7
            boolean mappedV4 = isV4Mapped(b);
            if (mappedV4) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return !uniqueLocal;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        boolean thisNetwork = first == 0;
        boolean carrierNat = first == 100 && second >= 64 && second <= 127; // 100.64.0.0/10
        boolean benchmarking = first == 198 && (second == 18 || second == 19);
        boolean reserved = first >= 240;
        return !(thisNetwork || carrierNat || benchmarking || reserved);
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static ApiException failed(String why) {
        return new ApiException(ErrorCode.FILE_FETCH_FAILED, why + ".");
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do: the download is being abandoned
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        client.close();
    }
}

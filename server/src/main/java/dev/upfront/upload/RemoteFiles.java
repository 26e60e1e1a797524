package dev.upfront.upload;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.net.AddressPolicy;
import dev.upfront.net.CheckedHttpClients;
import dev.upfront.net.CheckedResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.ExceptionUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a {@code file} given as an http(s) URL. The response headers must arrive within the header timeout
 * (ImageKit: 8 s); the body goes through the same {@link FileIntake} as an uploaded file, so the same size limit
 * and one-pass staging apply, and the whole download is bounded in time. Redirects are followed by hand (at most
 * {@value #MAX_REDIRECTS}) so every hop is checked.
 *
 * <p>Every connection goes through a {@link CheckedResolver}: the host is resolved once, each address checked
 * against the {@link AddressPolicy}, and the client connects to exactly those addresses (no DNS rebinding).
 * Until a response has started, every failure (refused address, unknown host, refused connection, no answer in
 * time) gets the same answer, so the fetcher cannot be used to map which hosts and ports exist; the cause goes
 * to the debug log only.
 */
public final class RemoteFiles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteFiles.class);
    private static final int MAX_REDIRECTS = 3;
    private static final int MAX_URL_CHARS = 8192;
    static final String UNREACHABLE = "the URL cannot be fetched from this server";

    private final Duration headerTimeout;
    private final Duration totalTimeout;
    private final AddressPolicy policy;
    private final CheckedResolver.Lookup lookup;
    /** Started on the first fetch: its TLS set-up costs start-up time that most servers never need. */
    private HttpClient client;
    private boolean closed;

    public RemoteFiles(Duration headerTimeout, Duration totalTimeout, AddressPolicy policy, CheckedResolver.Lookup lookup) {
        this.headerTimeout = headerTimeout;
        this.totalTimeout = totalTimeout;
        this.policy = policy;
        this.lookup = lookup;
    }

    private synchronized HttpClient client() {
        if (closed) {
            throw failed("the server is stopping");
        }
        if (client == null) {
            client = startClient();
        }
        return client;
    }

    private HttpClient startClient() {
        return CheckedHttpClients.start("file fetch", policy, lookup, headerTimeout, headerTimeout);
    }

    /** Streams the resource at {@code url} into a new intake and returns the staged result. */
    public StagedUpload fetch(String url, FileIntakes intakes) {
        URI uri = parse(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkScheme(uri);
            InputStreamResponseListener listener = new InputStreamResponseListener();
            Response response = send(uri, listener);
            int status = response.getStatus();
            String location = response.getHeaders().get(HttpHeader.LOCATION);
            if (status >= 300 && status < 400 && location != null) {
                closeQuietly(listener.getInputStream());
                uri = redirect(uri, location);
                continue;
            }
            if (status != 200) {
                closeQuietly(listener.getInputStream());
                throw failed("the server answered HTTP " + status);
            }
            return download(listener.getInputStream(), intakes);
        }
        throw failed("too many redirects");
    }

    private Response send(URI uri, InputStreamResponseListener listener) {
        // The request's timeout bounds the whole exchange, body included: past it the body stream fails.
        Request request = client().newRequest(uri).timeout(totalTimeout.toMillis(), TimeUnit.MILLISECONDS);
        request.send(listener);
        try {
            return listener.get(headerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            request.abort(e);
            log.debug("URL fetch failed before a response: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
            throw failed(UNREACHABLE);
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            throw failed("interrupted");
        }
    }

    private StagedUpload download(InputStream body, FileIntakes intakes) {
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
            boolean stalled = ExceptionUtil.hasAssociated(e, TimeoutException.class);
            throw failed(stalled ? "the download took too long" : "the download broke off");
        }
    }


    private static URI parse(String url) {
        if (url.length() > MAX_URL_CHARS) {
            throw failed("the URL is too long");
        }
        try {
            URI uri = new URI(url.strip());
            checkScheme(uri);
            return uri;
        } catch (URISyntaxException e) {
            throw failed("the URL is malformed");
        }
    }

    private static URI redirect(URI from, String location) {
        try {
            return from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw failed("the redirect location is malformed");
        }
    }

    private static void checkScheme(URI uri) {
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw failed("only http and https URLs with a host can be fetched");
        }
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
    public synchronized void close() {
        closed = true;
        if (client == null) {
            return;
        }
        try {
            client.stop();
        } catch (Exception e) {
            log.debug("URL fetch client stop: {}", e.toString());
        }
    }
}

package dev.upfront.net;

import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty clients for requests to addresses that users choose (URL uploads, webhooks): every connection goes through
 * a {@link CheckedResolver}, redirects are never followed by the client (each hop must be checked, or refused),
 * and the work runs on virtual threads.
 */
public final class CheckedHttpClients {
    private CheckedHttpClients() {}

    /** A started client; {@code purpose} names its threads and goes into its User-Agent. */
    public static HttpClient start(String purpose, AddressPolicy policy, CheckedResolver.Lookup lookup, Duration connectTimeout,
                                   Duration idleTimeout) {
        QueuedThreadPool threads = new QueuedThreadPool(16, 1);
        threads.setName("upfront-" + purpose.replace(' ', '-'));
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setSocketAddressResolver(new CheckedResolver(policy, lookup));
        client.setFollowRedirects(false);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(idleTimeout.toMillis());
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Upfront/0.1 (+" + purpose + ")"));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the " + purpose + " client", e);
        }
        return client;
    }
}

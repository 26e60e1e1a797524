package dev.upfront.http;

import dev.upfront.auth.DevAuth;
import dev.upfront.auth.UploadAuthenticator;
import dev.upfront.dashboard.DashboardAuth;
import dev.upfront.dashboard.Overview;
import dev.upfront.delivery.DeliveryService;
import dev.upfront.delivery.Urls;
import dev.upfront.fields.CustomFields;
import dev.upfront.library.Library;
import dev.upfront.media.FolderService;
import dev.upfront.media.Listing;
import dev.upfront.media.MediaService;
import dev.upfront.media.UrlMetadata;
import dev.upfront.metrics.Metrics;
import dev.upfront.metrics.MetricsAccess;
import dev.upfront.storage.BlobStore;
import dev.upfront.tokens.TokenStore;
import dev.upfront.upload.FileIntakes;
import dev.upfront.upload.RemoteFiles;
import dev.upfront.upload.UploadService;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 core, HTTP/1.1. A delivery hit held in memory is answered on the connection's I/O thread; every other
 * request is handled on a virtual thread of its own (routes block freely: uploads stream to disk, the database is
 * JDBC); see {@link AppHandler}. Stopping is graceful: new connections are refused, requests in flight get up to
 * {@code stopTimeout} to finish.
 */
public final class HttpServer {
    /** Everything the routes need, built by the composition root. */
    public record Services(UploadAuthenticator authenticator, FileIntakes intakes, BodyPace uploadPace, RemoteFiles remote,
                           UploadService uploads, Library library, BlobStore blobs, TokenStore tokens,
                           Cors cors, InstantSource clock,
                           MediaService media, FolderService folders, Listing listing, CustomFields customFields,
                           DeliveryService delivery, Optional<DevAuth> devAuth,
                           Metrics metrics, MetricsAccess metricsAccess, DashboardAuth dashboard, UrlMetadata urlMetadata) {}

    private final Server server;
    private final QueuedThreadPool threads;
    private final ServerConnector connector;

    private static final int INPUT_BUFFER = 64 * 1024;

    public HttpServer(String bind, int port, long stopTimeoutMillis) {
        threads = new QueuedThreadPool(64, 4);
        threads.setName("upfront-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(16 * 1024);
        // Jetty reads a connection into buffers of 8 KB by default: a 300 MB upload then costs 38,400 socket reads,
        // parser calls and wake-ups of the handler's thread. 64 KB is the largest size Jetty's buffer pool keeps.
        http.setInputBufferSize(INPUT_BUFFER);
        HttpConnectionFactory factory = new HttpConnectionFactory(http);
        factory.setInputBufferSize(INPUT_BUFFER);
        // One I/O (selector) thread per core, not Jetty's default of one per two: hits answered inline run on them.
        int selectors = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 8);
        connector = new ServerConnector(server, -1, selectors, factory);
        connector.setHost(bind);
        connector.setPort(port);
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.setStopTimeout(stopTimeoutMillis);
        server.setStopAtShutdown(false);
    }

    /** Binds the port now (so a port of 0 is resolved before the URL endpoint is built). */
    public int bind() throws Exception {
        connector.open();
        return connector.getLocalPort();
    }

    public void start(Services s, Urls urls) throws Exception {
        Router router = new Router();
        new HealthRoutes(s.library(), s.tokens(), s.blobs()).register(router);
        new UploadRoutes(s.authenticator(), s.intakes(), s.uploadPace(), s.remote(), s.uploads(), urls).register(router);
        new MediaRoutes(s.authenticator(), s.media(), s.folders(), s.listing(), s.customFields(), s.blobs(), urls, s.dashboard(),
                s.urlMetadata()).register(router);
        new DashboardRoutes(s.dashboard(), new Overview(s.library(), s.clock()), urls).register(router);
        new SdkRoutes().register(router); // before delivery, whose URL endpoint may be the root
        new DeliveryRoutes(s.delivery(), urls).register(router);
        s.devAuth().ifPresent(devAuth -> new DevAuthRoutes(devAuth).register(router));
        new MetricsRoutes(s.metrics(), s.metricsAccess()).register(router);
        // Jetty counts the bytes read and written (bodies included) for the metrics.
        StatisticsHandler statistics = new StatisticsHandler(new AppHandler(router, s.cors(), s.metrics().http(),
                threads.getVirtualThreadsExecutor()));
        s.metrics().httpBytes(statistics::getBytesRead, statistics::getBytesWritten);
        s.metrics().httpThreadPool(threads);
        server.setErrorHandler(new JsonErrorHandler(s.metrics().http()));
        server.setHandler(new GracefulHandler(statistics));
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public void stop() throws Exception {
        server.stop();
    }
}

package dev.upfront.testing;

import dev.upfront.storage.s3.S3Bucket;
import dev.upfront.storage.s3.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy in this JVM on 127.0.0.1 (a free port, path-style addressing, signature v4),
 * storing in a temporary folder. {@link #shared()} is started once per test JVM; {@link #freshBucket()} gives each
 * test class an empty bucket of its own. {@link #start(Path, int)} starts one of a test's own, for tests that stop
 * and restart it (an outage).
 */
public final class S3 implements AutoCloseable {
    public static final String ACCESS_KEY = "upfront-test-access";
    public static final String SECRET_KEY = "upfront-test-secret-not-real";
    public static final String REGION = "us-east-1";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3 shared;

    private final Path dir;
    /** The port asked for, then the one listened on: a restart keeps it (a stopped S3Proxy no longer knows it). */
    private int port;
    private S3Proxy proxy;

    private S3(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static synchronized S3 shared() {
        if (shared == null) {
            shared = start(TempFolders.deletedAtExit("upfront-s3-", () -> shared.stop()), 0);
        }
        return shared;
    }

    /** Starts S3Proxy storing in {@code dir} on {@code port} (0: a free one). */
    public static S3 start(Path dir, int port) {
        S3 s3 = new S3(dir, port);
        s3.start();
        return s3;
    }

    /** Starts again after {@link #stop()}, on the same port and folder. */
    public void start() {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toString());
        try {
            proxy = S3Proxy.builder()
                    .blobStore(BlobStores.create("filesystem-nio2", properties))
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            proxy.start();
            port = proxy.getPort();
            for (int i = 0; i < 100 && !proxy.getState().equals("STARTED"); i++) {
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        }
    }

    public void stop() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Creates a new empty bucket and returns its name. */
    public String freshBucket() {
        String name = "upfront-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        try (S3Client client = client()) {
            client.createBucket(r -> r.bucket(name));
        }
        return name;
    }

    public S3Settings settings(String bucket) {
        return new S3Settings(Optional.of(endpoint()), bucket, REGION, Optional.of(ACCESS_KEY), Optional.of(SECRET_KEY), true);
    }

    /** A bucket client, as the server opens it. */
    public S3Bucket bucket(String bucket) {
        return S3Bucket.open(settings(bucket));
    }

    /** A raw SDK client on this server (to look behind the store's back: uploads in progress, objects). */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** The server's environment settings for {@code bucket}. */
    public Map<String, String> env(String bucket) {
        return Map.of("UPFRONT_STORAGE", "s3",
                "UPFRONT_S3_ENDPOINT", endpoint().toString(),
                "UPFRONT_S3_BUCKET", bucket,
                "UPFRONT_S3_REGION", REGION,
                "UPFRONT_S3_ACCESS_KEY", ACCESS_KEY,
                "UPFRONT_S3_SECRET_KEY", SECRET_KEY,
                "UPFRONT_S3_PATH_STYLE", "true");
    }

    /**
     * The distributed mode's settings: blobs in {@code bucket} of this server, metadata in the PostgreSQL database at
     * {@code databaseUrl}; a mutable copy, for a caller's own settings beside them.
     */
    public Map<String, String> distributedEnv(String bucket, String databaseUrl) {
        Map<String, String> env = new HashMap<>(env(bucket));
        env.put("UPFRONT_DATABASE_URL", databaseUrl);
        return env;
    }

    @Override
    public void close() {
        stop();
    }
}

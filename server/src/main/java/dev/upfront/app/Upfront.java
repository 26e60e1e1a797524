package dev.upfront.app;

import dev.upfront.auth.KeyFiles;
import dev.upfront.auth.KeyPair;
import dev.upfront.auth.KeyRing;
import dev.upfront.auth.UploadAuthenticator;
import dev.upfront.auth.DevAuth;
import dev.upfront.auth.UrlSignature;
import dev.upfront.config.Config;
import dev.upfront.dashboard.AdminPassword;
import dev.upfront.dashboard.DashboardAuth;
import dev.upfront.config.ConfigException;
import dev.upfront.config.Setting;
import dev.upfront.db.Database;
import dev.upfront.db.DatabaseException;
import dev.upfront.delivery.DeliveryService;
import dev.upfront.delivery.Urls;
import dev.upfront.fields.CustomFields;
import dev.upfront.files.OwnerOnly;
import dev.upfront.media.FolderService;
import dev.upfront.media.Listing;
import dev.upfront.media.MediaService;
import dev.upfront.media.UrlMetadata;
import dev.upfront.metrics.Metrics;
import dev.upfront.metrics.MetricsAccess;
import dev.upfront.net.AddressPolicy;
import dev.upfront.net.CheckedResolver;
import dev.upfront.http.Cors;
import dev.upfront.http.EventPayloads;
import dev.upfront.http.BodyPace;
import dev.upfront.http.HttpServer;
import dev.upfront.ids.Ids;
import dev.upfront.inspect.ContentSniffer;
import dev.upfront.inspect.MediaInspector;
import dev.upfront.inspect.VideoProbe;
import dev.upfront.library.Library;
import dev.upfront.secrets.Secrets;
import dev.upfront.secrets.jdbc.JdbcSecrets;
import dev.upfront.library.PathLookupCache;
import dev.upfront.library.jdbc.JdbcLibrary;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.PendingBlobs;
import dev.upfront.storage.fs.FilesystemBlobStore;
import dev.upfront.storage.fs.FolderLock;
import dev.upfront.storage.jdbc.JdbcPendingBlobs;
import dev.upfront.storage.s3.S3BlobStore;
import dev.upfront.storage.s3.S3Bucket;
import dev.upfront.storage.s3.S3Janitor;
import dev.upfront.transform.DerivedImages;
import dev.upfront.transform.ImageBackend;
import dev.upfront.transform.RenderCache;
import dev.upfront.transform.TransformParser;
import dev.upfront.transform.Transforms;
import dev.upfront.tokens.TokenStore;
import dev.upfront.tokens.jdbc.JdbcTokenStore;
import dev.upfront.upload.FileIntakes;
import dev.upfront.upload.PendingUploads;
import dev.upfront.upload.RemoteFiles;
import dev.upfront.upload.SizeLimits;
import dev.upfront.upload.UploadService;
import dev.upfront.upload.queue.PreJobs;
import dev.upfront.upload.queue.VideoPreQueue;
import dev.upfront.upload.queue.jdbc.JdbcPreJobs;
import dev.upfront.upload.transform.UploadTransforms;
import dev.upfront.video.Ffmpeg;
import dev.upfront.video.VideoRenditions;
import dev.upfront.webhooks.Outbox;
import dev.upfront.webhooks.RetrySchedule;
import dev.upfront.webhooks.WebhookSender;
import dev.upfront.webhooks.WebhookSignature;
import dev.upfront.webhooks.Webhooks;
import dev.upfront.webhooks.jdbc.JdbcOutbox;
import dev.upfront.webhooks.jdbc.OutboxEventLog;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the only class that knows the concrete implementations. It picks them from the
 * configuration (SQLite or PostgreSQL, local files), wires the services, cleans leftovers of an earlier crash, and
 * starts HTTP.
 */
public final class Upfront implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Upfront.class);
    static final String GENERATED_KEYS_FILE = "keys";
    static final String WEBHOOK_SECRET = "webhook-secret";
    /** Largest video (or GIF) that ffmpeg transforms: bounds a transformation's disk and CPU. */
    static final long MAX_VIDEO_TRANSFORM_INPUT = 100L * 1024 * 1024;
    /** How long a queued video's claim holds without renewal: a dead instance's jobs are taken over after it. */
    static final Duration VIDEO_JOB_LEASE = Duration.ofSeconds(60);

    private final Database db;
    private final RemoteFiles remote;
    private final HttpServer http;
    private final ScheduledExecutorService housekeeping;
    private final Urls urls;
    private final KeyRing keys;
    private final DerivedImages derived;
    private final Metrics metrics;
    private final WebhookSender sender;
    private final Optional<FolderLock> folderLock;
    private final VideoPreQueue videoQueue;

    private Upfront(Database db, RemoteFiles remote, HttpServer http, ScheduledExecutorService housekeeping, Urls urls, KeyRing keys,
                    DerivedImages derived, Metrics metrics, WebhookSender sender, Optional<FolderLock> folderLock,
                    VideoPreQueue videoQueue) {
        this.folderLock = folderLock;
        this.videoQueue = videoQueue;
        this.metrics = metrics;
        this.sender = sender;
        this.derived = derived;
        this.db = db;
        this.remote = remote;
        this.http = http;
        this.housekeeping = housekeeping;
        this.urls = urls;
        this.keys = keys;
    }

    /** Emulator mode's {@code /dev/auth}, only when configured: it hands upload credentials to anyone. */
    private static Optional<DevAuth> devAuth(Config config, KeyRing keys, InstantSource clock) {
        if (!config.devAuth()) {
            return Optional.empty();
        }
        log.warn("UPFRONT_DEV_AUTH=true: /dev/auth hands out upload credentials to anyone who asks. Local development only.");
        return Optional.of(new DevAuth(keys, clock));
    }

    /** Starts a server; {@code out} receives the one-time print of a generated key pair. */
    public static Upfront start(Config config, PrintStream out) throws Exception {
        InstantSource clock = InstantSource.system();
        dataFolder(config.dataDir());
        List<KeyPair> generated = new ArrayList<>();
        KeyRing keys = keyRing(config, generated);

        Database db = openDatabase(config);
        // The HTTP port is known before the library is made: the library's events carry file URLs, which name it.
        HttpServer http = new HttpServer(config.bind(), config.port(), 15_000);
        int port = http.bind();
        URI endpoint = config.urlEndpoint().orElse(URI.create("http://localhost:" + port + "/media"));
        Urls urls = new Urls(endpoint);
        Metrics metrics = new Metrics();
        Outbox outbox = new JdbcOutbox(db);
        WebhookSender sender = new WebhookSender(outbox, new WebhookSignature(webhookSecret(config, new JdbcSecrets(db), out)),
                new RetrySchedule(config.webhookRetryDelay()), AddressPolicy.forThisMachine(config.fetchAllowPrivate()),
                CheckedResolver.Lookup.SYSTEM, clock, Set.copyOf(config.webhookUrls()), metrics::webhookDelivery);
        Webhooks webhooks = new Webhooks(outbox, config.webhookUrls(), new EventPayloads(urls), clock, sender::wake);
        // Every library change records its webhook event in its own transaction (the outbox is in the same database).
        JdbcLibrary records = new JdbcLibrary(db, new OutboxEventLog(webhooks), config.searchTimeout());
        // Delivery looks files up on every request, so path lookups are remembered; every write through this process
        // forgets them (it reads its own writes at once). SQLite has one writer, this process. PostgreSQL is shared
        // with other instances, whose writes this process cannot see: there answers also expire after 1 s, so a
        // change through any instance is served everywhere within the scale-out rule's 2 s.
        PathLookupCache library = config.sharedDatabase()
                ? new PathLookupCache(records, Duration.ofSeconds(1))
                : new PathLookupCache(records);
        TokenStore tokens = new JdbcTokenStore(db);
        PreJobs preJobs = new JdbcPreJobs(db);
        Stores stores = openStores(config, unreferenced(library, preJobs), db, clock);
        BlobStore blobs = stores.originals();

        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "upfront-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(() -> purgeTokens(tokens, clock), 0, 60, TimeUnit.SECONDS);
        long every = config.janitorInterval().toMillis();
        stores.janitor().ifPresent(janitor -> housekeeping.scheduleWithFixedDelay(() -> cleanUp(janitor), every, every, TimeUnit.MILLISECONDS));

        FileIntakes intakes = new FileIntakes(blobs, new ContentSniffer(),
                new SizeLimits(config.maxFileSize(), config.maxVideoFileSize()), new PendingUploads(config.maxPendingBytes()));
        BodyPace uploadPace = new BodyPace(config.minUploadRate(), config.minUploadRateWindow(), config.uploadTimeout());
        RemoteFiles remote = new RemoteFiles(config.fetchTimeout(), config.fetchTotalTimeout(),
                AddressPolicy.forThisMachine(config.fetchAllowPrivate()), CheckedResolver.Lookup.SYSTEM);
        CustomFields customFields = new CustomFields(library, clock, config.sharedDatabase() ? Duration.ofSeconds(1) : null);
        ImageBackend backend = ImageBackends.choose(config.imageBackend());
        log.info("Image processing: {}", backend.name());
        RenderCache cache = new RenderCache(stores.renderings(), config.renderCacheSize());
        housekeeping.execute(() -> cache.adopt(stores.earlierRenderings()));
        DerivedImages derived = new DerivedImages(cache, backend,
                Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(20));
        Transforms transforms = new Transforms(blobs, derived, config.maxTransformPixels());
        TransformParser transformParser = new TransformParser(config.namedTransformations());
        // Video transformations run ffmpeg when the machine has it (UPFRONT_FFMPEG), at most half the cores at once.
        Optional<String> ffmpegCommand = Ffmpeg.detect(config.ffmpeg());
        log.info("Video transformations: {}", ffmpegCommand.map(c -> "ffmpeg (" + c + ")").orElse("none (no ffmpeg)"));
        Ffmpeg ffmpeg = new Ffmpeg(ffmpegCommand.orElse(null), Duration.ofSeconds(120),
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        VideoRenditions videos = new VideoRenditions(ffmpeg, blobs, cache, MAX_VIDEO_TRANSFORM_INPUT);
        UploadTransforms uploadTransforms = new UploadTransforms(transformParser, transforms, blobs, webhooks, videos);
        // Video facts (dimensions, duration, bit rate, codecs) come from ffprobe when the machine has it.
        boolean ffprobe = onPath("ffprobe");
        log.info("Video metadata: {}", ffprobe ? "ffprobe" : "none (no ffprobe on PATH)");
        MediaInspector inspector = new MediaInspector(new VideoProbe(ffprobe ? "ffprobe" : null, Duration.ofSeconds(30)));
        // Queued video pre-transformations are kept in the database with their bytes, and resumed after a restart.
        // Their sources are read from this instance's folder unless the blobs are shared (S3); no other live
        // process works on them unless several instances share the bucket (then a dead one's claims lapse).
        boolean sharedBlobs = config.s3().isPresent();
        String home = sharedBlobs || !config.sharedDatabase() ? "" : config.blobDir().toAbsolutePath().normalize().toString();
        VideoPreQueue videoQueue = new VideoPreQueue(preJobs, blobs, library, uploadTransforms, webhooks, clock, home,
                !(sharedBlobs && config.sharedDatabase()), VIDEO_JOB_LEASE, ffmpeg.concurrency());
        UploadService uploads = new UploadService(library, blobs, inspector, customFields, clock, config.maxVersions(),
                uploadTransforms, webhooks, videoQueue);
        MediaService media = new MediaService(library, blobs, derived::invalidate, clock, config.maxVersions());
        FolderService folders = new FolderService(library, media, clock);
        UploadAuthenticator authenticator = new UploadAuthenticator(keys, tokens, clock, Duration.ofSeconds(config.clockSkewSeconds()));

        // Renderings' ETags are keyed with the first private key: opaque to clients, stable across restarts.
        DeliveryService delivery = new DeliveryService(library, blobs, new UrlSignature(keys), clock,
                transformParser, transforms, keys.pairs().getFirst().privateKey(), videos, config.deliveryCacheBytes());
        metrics.tokenStoreSize(tokens::size);
        RenderCache renderCache = derived.cache();
        metrics.renderCache(renderCache::hits, renderCache::misses, renderCache::evictions);
        metrics.renderQueueDepth(derived::queued);
        http.start(new HttpServer.Services(authenticator, intakes, uploadPace, remote, uploads, library, blobs, tokens,
                new Cors(config.corsOrigins()), clock, media, folders, new Listing(library, clock), customFields,
                delivery, devAuth(config, keys, clock), metrics, new MetricsAccess(config.metricsToken()),
                new DashboardAuth(keys, AdminPassword.of(config.adminPassword()), clock), new UrlMetadata(remote, intakes, inspector)), urls);

        for (KeyPair pair : generated) {
            if (config.logFormat().equals("json")) {
                // Standard output is collected as logs then: the private key stays in its owner-only file.
                log.warn("Generated a key pair, stored in {} (public key {}); read the private key there",
                        config.dataDir().resolve(GENERATED_KEYS_FILE).toAbsolutePath().normalize(), pair.publicKey());
                continue;
            }
            out.println("Generated a key pair (stored in " + config.dataDir().resolve(GENERATED_KEYS_FILE).toAbsolutePath().normalize()
                    + "; shown only now):");
            out.println("  public key:   " + pair.publicKey());
            out.println("  private key:  " + pair.privateKey());
            out.println("  URL endpoint: " + urls.endpoint());
            out.flush();
        }
        if (!config.sharedDatabase()) {
            // The embedded default's database is this process's alone: claims found now are a dead run's.
            int released = outbox.releaseClaims();
            if (released > 0) {
                log.info("Webhooks: {} delivery(ies) an earlier run was sending are sent again now", released);
            }
        }
        sender.start();
        if (ffmpeg.available()) {
            videoQueue.start(uploads);
        }
        if (!config.webhookUrls().isEmpty()) {
            log.info("Webhooks: {} account endpoint(s)", config.webhookUrls().size());
        }
        log.info("Upfront listening on http://{}:{} ({} + {})", config.bind(), port,
                config.sharedDatabase() ? "PostgreSQL" : "embedded default: SQLite",
                config.s3().map(s3 -> "S3 bucket " + s3.bucket()).orElse("files in " + config.dataDir().toAbsolutePath().normalize()));
        log.info("URL endpoint {} · max file {} B, video {} B, {} versions · {} key pair(s) active",
                urls.endpoint(), config.maxFileSize(), config.maxVideoFileSize(), config.maxVersions(), keys.pairs().size());
        return new Upfront(db, remote, http, housekeeping, urls, keys, derived, metrics, sender, stores.folderLock(), videoQueue);
    }

    /**
     * The configured webhook secret, or the one kept in the database (generated by the first instance that needed
     * it). A secret generated now is shown once, as a generated key pair is.
     */
    private static String webhookSecret(Config config, Secrets secrets, PrintStream out) {
        if (config.webhookSecret().isPresent()) {
            return config.webhookSecret().get();
        }
        String[] generated = {null};
        String secret = secrets.getOrCreate(WEBHOOK_SECRET, () -> generated[0] = WebhookSignature.generateSecret());
        if (secret.equals(generated[0])) {
            if (config.logFormat().equals("json")) {
                log.warn("Generated a webhook signing secret, kept in the database (table server_secrets, name {})",
                        WEBHOOK_SECRET);
            } else {
                out.println("Generated a webhook signing secret (kept in the database; shown only now):");
                out.println("  webhook secret: " + secret);
                out.flush();
            }
        }
        return secret;
    }

    /**
     * Originals and renderings, with the renderings already there to adopt into the cache's index: two folders in
     * the data folder, or two prefixes of one bucket.
     */
    private record Stores(BlobStore originals, BlobStore renderings, List<String> earlierRenderings, Optional<S3Janitor> janitor,
                          Optional<FolderLock> folderLock) {}

    /**
     * Of some blob keys, those that the start-up sweep and the blob janitor may remove: no version references them,
     * and no queued video pre-transformation holds them as its source.
     */
    private static Function<Collection<String>, Set<String>> unreferenced(Library library, PreJobs preJobs) {
        return keys -> {
            Set<String> orphans = new HashSet<>(library.unreferencedBlobKeys(keys));
            if (!orphans.isEmpty()) {
                orphans.removeAll(preJobs.sources(orphans));
            }
            return orphans;
        };
    }

    private static Stores openStores(Config config, Function<Collection<String>, Set<String>> unreferenced, Database db,
                                     InstantSource clock) throws IOException {
        if (config.s3().isPresent()) {
            S3Bucket bucket = S3Bucket.open(config.s3().get());
            // A bucket is never created: a typo in its name must stop the start, not become a new, empty bucket.
            if (!reachable(bucket)) {
                throw new ConfigException(Setting.S3_BUCKET, "the bucket '" + bucket.name()
                        + "' does not exist or cannot be reached with the configured credentials (Upfront never creates one)");
            }
            // Other instances share the bucket: their uploads in flight have objects without records yet, so there is
            // no start-up sweep (and no listing of the bucket); interrupted uploads are the janitor's.
            log.info("Blobs in S3 bucket {} ({}); no start-up sweep over shared storage", bucket.name(), config.s3().get());
            PendingBlobs pending = new JdbcPendingBlobs(db, clock, Ids.objectId());
            // An upload in flight refreshes its entry with every 8 MiB part, and at least 4 times per lease while
            // bytes arrive: an entry older than the lease belongs to an instance that died.
            S3BlobStore originals = new S3BlobStore(bucket, "blobs/", pending, config.blobLease().dividedBy(4));
            // A claim outlives the interval, so the next run of the same instance keeps it; a dead holder's lapses.
            S3Janitor janitor = new S3Janitor(originals, pending, unreferenced, config.blobLease(),
                    config.janitorInterval().multipliedBy(2));
            return new Stores(originals, new S3BlobStore(bucket, "cache/", PendingBlobs.NONE), List.of(), Optional.of(janitor), Optional.empty());
        }
        FilesystemBlobStore blobs = new FilesystemBlobStore(config.blobDir());
        Optional<FolderLock> folderLock = Optional.empty();
        if (config.sharedDatabase()) {
            // With PostgreSQL, the folder is still this instance's own (its files are not shared: several instances
            // need S3). The lock proves no other live process writes it, so the sweep below only meets leftovers
            // of this instance's earlier run, though other instances' uploads in flight are in the database.
            FolderLock lock = FolderLock.tryAcquire(config.blobDir()).orElseThrow(() -> new ConfigException(Setting.DATA_DIR,
                    config.blobDir().toAbsolutePath().normalize() + " is in use by another running instance; with a shared "
                            + "database each instance needs its own data folder (for shared files, UPFRONT_STORAGE=s3)"));
            folderLock = Optional.of(lock);
        }
        int swept = blobs.sweep(unreferenced);
        if (swept > 0) {
            log.info("Start-up sweep removed {} leftover blob(s) of interrupted uploads", swept);
        }
        FilesystemBlobStore renderings = new FilesystemBlobStore(config.cacheDir());
        List<String> earlier = new ArrayList<>();
        renderings.sweep(keys -> { // staging leftovers only: every rendering may stay, under the size cap
            earlier.addAll(keys);
            return Set.of();
        });
        return new Stores(blobs, renderings, earlier, Optional.empty(), folderLock);
    }

    /**
     * The start-up check of the bucket, tried three times: each try is bounded at 2 s like {@code /readyz}, and the
     * first call of a fresh JVM (the SDK loading) on a busy machine may take longer than that once.
     */
    private static boolean reachable(S3Bucket bucket) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (bucket.reachable()) {
                return true;
            }
        }
        return false;
    }

    /** A janitor's failure (the store or database down) waits for the next run; it must not stop the schedule. */
    private static void cleanUp(S3Janitor janitor) {
        try {
            int removed = janitor.run();
            if (removed > 0) {
                log.info("Blob janitor removed {} leftover(s) of interrupted uploads", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Blob janitor run failed (it runs again after UPFRONT_JANITOR_INTERVAL): {}", e.toString());
        }
    }

    /** Creates the data folder owner-only (0700); warns when an existing one is open to other local users. */
    private static void dataFolder(Path dir) throws IOException {
        OwnerOnly.createDirectories(dir);
        if (OwnerOnly.isOpenToOthers(dir)) {
            log.warn("The data folder {} can be read by other local users: chmod 700 it (it holds the database, every "
                    + "uploaded file and maybe the generated private key)", dir.toAbsolutePath().normalize());
        }
    }

    /**
     * SQLite in the data folder by default, or the configured URL. A database that cannot be reached stops the
     * start naming the variable (never the URL: it may hold a password).
     */
    private static Database openDatabase(Config config) {
        if (config.databaseUrl().isEmpty()) {
            return Database.openSqlite(config.databaseFile());
        }
        String url = config.databaseUrl().get();
        try {
            return config.sharedDatabase() ? Database.openPostgres(url) : Database.openSqlite(url);
        } catch (DatabaseException e) {
            throw new ConfigException(Setting.DATABASE_URL, e.getMessage());
        }
    }

    /** The configured key pairs, or the pair generated on first start (added to {@code generated} too). */
    private static KeyRing keyRing(Config config, List<KeyPair> generated) throws IOException {
        List<KeyPair> pairs = new ArrayList<>();
        if (config.publicKey().isPresent()) {
            pairs.add(new KeyPair(config.publicKey().get(), config.privateKey().orElseThrow()));
        }
        if (config.keysFile().isPresent()) {
            Path file = config.keysFile().get();
            try {
                pairs.addAll(KeyFiles.read(file));
            } catch (IOException e) {
                throw new ConfigException(Setting.KEYS_FILE, "cannot read " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(Setting.KEYS_FILE, file + " " + e.getMessage());
            }
            if (pairs.isEmpty()) {
                throw new ConfigException(Setting.KEYS_FILE, file + " lists no key pair");
            }
        }
        if (pairs.isEmpty() && config.sharedDatabase()) {
            // Instances sharing a database must sign and check with the same keys; each would invent its own.
            throw new ConfigException(Setting.PUBLIC_KEY,
                    "must be set (with UPFRONT_PRIVATE_KEY, or UPFRONT_KEYS_FILE) when UPFRONT_DATABASE_URL is PostgreSQL");
        }
        if (pairs.isEmpty()) {
            Path file = config.dataDir().resolve(GENERATED_KEYS_FILE);
            if (Files.exists(file)) {
                pairs.addAll(KeyFiles.read(file));
            } else {
                KeyPair pair = KeyFiles.generate();
                KeyFiles.writeNew(file, pair);
                generated.add(pair);
                pairs.add(pair);
            }
        }
        if (new HashSet<>(pairs.stream().map(KeyPair::publicKey).toList()).size() != pairs.size()
                || new HashSet<>(pairs.stream().map(KeyPair::privateKey).toList()).size() != pairs.size()) {
            throw new ConfigException("Two configured key pairs share a public or a private key; each key must be unique.");
        }
        return new KeyRing(pairs);
    }

    /** Whether an executable of that name is on PATH (video facts need ffprobe). */
    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            try {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return true;
                }
            } catch (InvalidPathException e) {
                // a malformed PATH entry holds no executable
            }
        }
        return false;
    }

    private static void purgeTokens(TokenStore tokens, InstantSource clock) {
        try {
            int purged = tokens.purgeExpired(clock.instant());
            if (purged > 0) {
                log.debug("Purged {} expired one-time token(s)", purged);
            }
        } catch (RuntimeException e) {
            log.warn("Token purge failed: {}", e.toString());
        }
    }

    public int port() {
        return http.port();
    }

    public Urls urls() {
        return urls;
    }

    public KeyRing keys() {
        return keys;
    }

    /** The derived-image cache (tests read its render count). */
    public DerivedImages derived() {
        return derived;
    }

    /** Graceful: in-flight requests finish (up to 15 s), then storage and database close. */
    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            log.warn("HTTP stop: {}", e.toString());
        }
        housekeeping.shutdownNow();
        sender.close();
        videoQueue.close();
        derived.close();
        remote.close();
        metrics.close();
        db.close();
        folderLock.ifPresent(FolderLock::close);
        log.info("Upfront stopped");
    }
}

package dev.upfront.config;

import dev.upfront.storage.s3.S3Settings;
import dev.upfront.units.ByteSize;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server's resolved configuration. Built once at start from the environment and flags, validated there: an
 * invalid value stops start-up with a {@link ConfigException} naming the variable.
 */
public record Config(
        int port,
        String bind,
        Path dataDir,
        Optional<String> publicKey,
        Optional<String> privateKey,
        Optional<Path> keysFile,
        Optional<URI> urlEndpoint,
        long maxFileSize,
        long maxVideoFileSize,
        long maxPendingBytes,
        long minUploadRate,
        Duration minUploadRateWindow,
        Duration uploadTimeout,
        int maxVersions,
        Optional<String> databaseUrl,
        List<String> corsOrigins,
        long clockSkewSeconds,
        boolean fetchAllowPrivate,
        Duration fetchTimeout,
        Duration fetchTotalTimeout,
        String imageBackend,
        long maxTransformPixels,
        long renderCacheSize,
        Map<String, String> namedTransformations,
        boolean devAuth,
        Optional<String> metricsToken,
        String logFormat,
        Optional<String> adminPassword,
        List<String> webhookUrls,
        Optional<String> webhookSecret,
        Duration webhookRetryDelay,
        Optional<S3Settings> s3,
        Duration blobLease,
        Duration janitorInterval,
        String ffmpeg,
        Duration searchTimeout,
        long deliveryCacheBytes) {

    /** The most account webhook endpoints {@code UPFRONT_WEBHOOK_URL} may list. */
    public static final int MAX_WEBHOOK_URLS = 5;

    /** Reads every {@link Setting} from {@code env}, then from {@code args} flags, which win. */
    public static Config load(Map<String, String> env, List<String> args) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String v = env.get(s.variable());
            values.put(s, v == null ? s.defaultValue() : v);
        }
        applyFlags(args, values);
        return from(values);
    }

    private static void applyFlags(List<String> args, Map<Setting, String> values) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Setting setting = byFlag(name);
            if (value == null) {
                boolean isSwitch = setting.defaultValue().equals("false") || setting.defaultValue().equals("true");
                boolean nextIsValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
                if (nextIsValue) {
                    value = args.get(++i);
                } else if (isSwitch) {
                    value = "true";
                } else {
                    throw new ConfigException(setting, "the flag needs a value");
                }
            }
            values.put(setting, value);
        }
    }

    private static Setting byFlag(String flag) {
        return Arrays.stream(Setting.values())
                .filter(s -> s.flag().equals(flag))
                .findFirst()
                .orElseThrow(() -> new ConfigException("unknown option " + flag + "; run with --help for the list"));
    }

    private static Config from(Map<Setting, String> v) {
        int port = intIn(v, Setting.PORT, 0, 65535);
        String bind = v.get(Setting.BIND).trim();
        if (bind.isEmpty()) {
            throw new ConfigException(Setting.BIND, "must not be empty");
        }
        Path dataDir = Path.of(nonEmpty(v, Setting.DATA_DIR));
        Optional<String> publicKey = optional(v, Setting.PUBLIC_KEY);
        Optional<String> privateKey = optional(v, Setting.PRIVATE_KEY);
        if (publicKey.isPresent() != privateKey.isPresent()) {
            throw new ConfigException(publicKey.isPresent() ? Setting.PRIVATE_KEY : Setting.PUBLIC_KEY,
                    "UPFRONT_PUBLIC_KEY and UPFRONT_PRIVATE_KEY must be set together");
        }
        Optional<Path> keysFile = optional(v, Setting.KEYS_FILE).map(Path::of);
        Optional<URI> urlEndpoint = optional(v, Setting.URL_ENDPOINT).map(Config::endpoint);
        long maxFileSize = size(v, Setting.MAX_FILE_SIZE);
        long maxVideoFileSize = size(v, Setting.MAX_VIDEO_FILE_SIZE);
        long maxPendingBytes = size(v, Setting.MAX_PENDING_BYTES);
        if (maxPendingBytes < Math.max(maxFileSize, maxVideoFileSize)) {
            // A file-first upload larger than the budget could never be accepted.
            throw new ConfigException(Setting.MAX_PENDING_BYTES, "must be at least the largest upload limit ("
                    + Setting.MAX_FILE_SIZE.variable() + ", " + Setting.MAX_VIDEO_FILE_SIZE.variable() + ")");
        }
        long minUploadRate = size(v, Setting.MIN_UPLOAD_RATE);
        Duration minUploadRateWindow = Duration.ofSeconds(intIn(v, Setting.MIN_UPLOAD_RATE_WINDOW, 1, 3600));
        Duration uploadTimeout = Duration.ofSeconds(intIn(v, Setting.UPLOAD_TIMEOUT, 1, 86_400));
        int maxVersions = intIn(v, Setting.MAX_VERSIONS, 1, 1_000_000);
        Optional<String> databaseUrl = optional(v, Setting.DATABASE_URL);
        databaseUrl.ifPresent(url -> {
            if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
                throw new ConfigException(Setting.DATABASE_URL,
                        "expected a jdbc:sqlite: or jdbc:postgresql://host:port/database URL");
            }
        });
        String storage = v.get(Setting.STORAGE).trim().toLowerCase(Locale.ROOT);
        if (!storage.equals("fs") && !storage.equals("s3")) {
            throw new ConfigException(Setting.STORAGE, "expected fs or s3, got '" + storage + "'");
        }
        Optional<S3Settings> s3 = storage.equals("s3") ? Optional.of(s3(v)) : Optional.empty();
        List<String> cors = Arrays.stream(v.get(Setting.CORS_ORIGINS).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (cors.isEmpty()) {
            throw new ConfigException(Setting.CORS_ORIGINS, "must list at least one origin, or *");
        }
        long skew = intIn(v, Setting.CLOCK_SKEW, 0, 3600);
        boolean allowPrivate = bool(v, Setting.FETCH_ALLOW_PRIVATE);
        Duration fetchTimeout = Duration.ofSeconds(intIn(v, Setting.FETCH_TIMEOUT, 1, 300));
        Duration fetchTotalTimeout = Duration.ofSeconds(intIn(v, Setting.FETCH_TOTAL_TIMEOUT, 1, 3600));
        String imageBackend = v.get(Setting.IMAGE_BACKEND).trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "vips", "java").contains(imageBackend)) {
            throw new ConfigException(Setting.IMAGE_BACKEND, "expected auto, vips or java, got '" + imageBackend + "'");
        }
        long maxPixels;
        try {
            maxPixels = Long.parseLong(v.get(Setting.MAX_TRANSFORM_PIXELS).trim());
            if (maxPixels < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(Setting.MAX_TRANSFORM_PIXELS, "expected a positive number of pixels, got '" + v.get(Setting.MAX_TRANSFORM_PIXELS) + "'");
        }
        long renderCacheSize = size(v, Setting.RENDER_CACHE_SIZE);
        Map<String, String> named;
        try {
            named = dev.upfront.transform.TransformParser.namedFromConfig(v.get(Setting.NAMED_TRANSFORMATIONS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.NAMED_TRANSFORMATIONS, e.getMessage());
        }
        Optional<String> metricsToken = optional(v, Setting.METRICS_TOKEN);
        metricsToken.ifPresent(token -> {
            if (token.length() < 16 || !token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                throw new ConfigException(Setting.METRICS_TOKEN, "expected at least 16 printable ASCII characters without spaces");
            }
        });
        String logFormat = v.get(Setting.LOG_FORMAT).trim().toLowerCase(Locale.ROOT);
        if (!List.of("text", "json").contains(logFormat)) {
            throw new ConfigException(Setting.LOG_FORMAT, "expected text or json, got '" + logFormat + "'");
        }
        return new Config(port, bind, dataDir, publicKey, privateKey, keysFile, urlEndpoint, maxFileSize,
                maxVideoFileSize, maxPendingBytes, minUploadRate, minUploadRateWindow, uploadTimeout, maxVersions,
                databaseUrl, cors, skew, allowPrivate, fetchTimeout, fetchTotalTimeout, imageBackend, maxPixels, renderCacheSize, named,
                bool(v, Setting.DEV_AUTH), metricsToken, logFormat,
                Optional.of(v.get(Setting.ADMIN_PASSWORD)).filter(p -> !p.isEmpty()),
                webhookUrls(v), webhookSecret(v), Duration.ofSeconds(intIn(v, Setting.WEBHOOK_RETRY_DELAY, 1, 15)), s3,
                Duration.ofSeconds(intIn(v, Setting.BLOB_LEASE, 1, 7 * 86_400)),
                Duration.ofSeconds(intIn(v, Setting.JANITOR_INTERVAL, 1, 86_400)),
                ffmpeg(v),
                Duration.ofSeconds(intIn(v, Setting.SEARCH_TIMEOUT, 1, 300)),
                sizeOrZero(v, Setting.DELIVERY_CACHE_BYTES));
    }

    private static String ffmpeg(Map<Setting, String> v) {
        String ffmpeg = v.get(Setting.FFMPEG).trim();
        if (ffmpeg.isEmpty() || !(ffmpeg.equals("auto") || ffmpeg.equals("none") || Files.isExecutable(Path.of(ffmpeg)))) {
            throw new ConfigException(Setting.FFMPEG, "expected auto, none or the path of an ffmpeg executable, got '" + ffmpeg + "'");
        }
        return ffmpeg;
    }

    private static List<String> webhookUrls(Map<Setting, String> v) {
        List<String> urls = Arrays.stream(v.get(Setting.WEBHOOK_URL).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (urls.size() > MAX_WEBHOOK_URLS) {
            throw new ConfigException(Setting.WEBHOOK_URL, "lists " + urls.size() + " URLs; at most " + MAX_WEBHOOK_URLS);
        }
        for (String url : urls) {
            try {
                URI uri = new URI(url);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(url, "not an http(s) URL");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(Setting.WEBHOOK_URL, "expected http(s) URLs such as https://example.com/webhooks, got '" + url + "'");
            }
        }
        return urls;
    }

    private static Optional<String> webhookSecret(Map<Setting, String> v) {
        Optional<String> secret = optional(v, Setting.WEBHOOK_SECRET);
        secret.ifPresent(s -> {
            if (!s.startsWith("whsec_") || s.length() < 6 + 16 || !s.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                throw new ConfigException(Setting.WEBHOOK_SECRET, "expected whsec_ followed by at least 16 printable characters");
            }
        });
        return secret;
    }

    private static S3Settings s3(Map<Setting, String> v) {
        Optional<URI> endpoint = optional(v, Setting.S3_ENDPOINT).map(text -> {
            try {
                URI uri = URI.create(text);
                if (!List.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(Setting.S3_ENDPOINT, "expected an http(s) URL such as http://minio:9000, got '" + text + "'");
            }
        });
        String bucket = optional(v, Setting.S3_BUCKET).orElseThrow(() ->
                new ConfigException(Setting.S3_BUCKET, "must name the bucket when UPFRONT_STORAGE=s3"));
        String region = nonEmpty(v, Setting.S3_REGION);
        Optional<String> accessKey = optional(v, Setting.S3_ACCESS_KEY);
        Optional<String> secretKey = optional(v, Setting.S3_SECRET_KEY);
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new ConfigException(accessKey.isPresent() ? Setting.S3_SECRET_KEY : Setting.S3_ACCESS_KEY,
                    "UPFRONT_S3_ACCESS_KEY and UPFRONT_S3_SECRET_KEY must be set together");
        }
        return new S3Settings(endpoint, bucket, region, accessKey, secretKey, bool(v, Setting.S3_PATH_STYLE));
    }

    private static URI endpoint(String text) {
        try {
            URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.URL_ENDPOINT, "expected an http(s) URL without query, such as https://media.example.com/media, got '" + text + "'");
        }
    }

    private static Optional<String> optional(Map<Setting, String> v, Setting s) {
        String value = v.get(s).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static String nonEmpty(Map<Setting, String> v, Setting s) {
        return optional(v, s).orElseThrow(() -> new ConfigException(s, "must not be empty"));
    }

    private static int intIn(Map<Setting, String> v, Setting s, int min, int max) {
        String text = v.get(s).trim();
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw new ConfigException(s, "must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(s, "expected a whole number, got '" + text + "'");
        }
    }

    private static long size(Map<Setting, String> v, Setting s) {
        try {
            long n = ByteSize.parse(v.get(s));
            if (n <= 0) {
                throw new ConfigException(s, "must be greater than zero");
            }
            return n;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s, e.getMessage());
        }
    }

    private static long sizeOrZero(Map<Setting, String> v, Setting s) {
        try {
            long n = ByteSize.parse(v.get(s));
            if (n < 0) {
                throw new ConfigException(s, "must not be negative");
            }
            return n;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s, e.getMessage());
        }
    }

    private static boolean bool(Map<Setting, String> v, Setting s) {
        return switch (v.get(s).trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new ConfigException(s, "expected true or false, got '" + v.get(s) + "'");
        };
    }

    /** Whether the metadata database is PostgreSQL, which several instances share. */
    public boolean sharedDatabase() {
        return databaseUrl.filter(url -> url.startsWith("jdbc:postgresql:")).isPresent();
    }

    public Path databaseFile() {
        return dataDir.resolve("upfront.db");
    }

    public Path cacheDir() {
        return dataDir.resolve("cache");
    }

    /** Whether blobs live in a bucket several instances share (no start-up sweep over it). */
    public boolean sharedStorage() {
        return s3.isPresent();
    }

    public Path blobDir() {
        return dataDir.resolve("blobs");
    }
}

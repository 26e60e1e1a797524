package dev.upfront.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.units.ByteSize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void defaultsMatchTheProductSpec() {
        Config c = Config.load(Map.of(), List.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.bind()).isEqualTo("0.0.0.0");
        assertThat(c.dataDir().toString()).isEqualTo("./data");
        assertThat(c.maxFileSize()).isEqualTo(25L << 20);
        assertThat(c.maxVideoFileSize()).isEqualTo(300L << 20);
        assertThat(c.maxVersions()).isEqualTo(100);
        assertThat(c.corsOrigins()).containsExactly("*");
        assertThat(c.urlEndpoint()).isEmpty();
        assertThat(c.fetchTimeout().toSeconds()).isEqualTo(8);
        assertThat(c.renderCacheSize()).isEqualTo(1L << 30);
        assertThat(c.metricsToken()).isEmpty();
        assertThat(c.logFormat()).isEqualTo("text");
        assertThat(c.fetchTotalTimeout().toSeconds()).isEqualTo(120);
        assertThat(c.maxPendingBytes()).isEqualTo(1L << 30);
        assertThat(c.minUploadRate()).isEqualTo(1024);
        assertThat(c.minUploadRateWindow().toSeconds()).isEqualTo(30);
        assertThat(c.uploadTimeout().toSeconds()).isEqualTo(3600);
    }

    @Test
    void metricsTokenAndLogFormatAreAlsoFlags() {
        Config c = Config.load(Map.of("UPFRONT_LOG_FORMAT", "text"),
                List.of("--metrics-token", "m3tr1cs-t0ken-0123456789", "--log-format=JSON"));
        assertThat(c.metricsToken()).contains("m3tr1cs-t0ken-0123456789");
        assertThat(c.logFormat()).isEqualTo("json");
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_METRICS_TOKEN", "has a space in it, 123456"), List.of()))
                .hasMessageStartingWith("UPFRONT_METRICS_TOKEN");
    }

    @Test
    void thePendingBudgetMustHoldTheLargestUpload() {
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_MAX_PENDING_BYTES", "256MB"), List.of()))
                .hasMessageStartingWith("UPFRONT_MAX_PENDING_BYTES").hasMessageContaining("UPFRONT_MAX_VIDEO_FILE_SIZE");
        assertThat(Config.load(Map.of("UPFRONT_MAX_PENDING_BYTES", "300MB"), List.of()).maxPendingBytes()).isEqualTo(300L << 20);
    }

    @Test
    void theBlobJanitorsLeaseAndIntervalAreSeconds() {
        Config defaults = Config.load(Map.of(), List.of());
        assertThat(defaults.blobLease()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.janitorInterval()).isEqualTo(Duration.ofMinutes(5));
        Config c = Config.load(Map.of("UPFRONT_BLOB_LEASE", "7200"), List.of("--janitor-interval", "60"));
        assertThat(c.blobLease()).isEqualTo(Duration.ofHours(2));
        assertThat(c.janitorInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_BLOB_LEASE", "0"), List.of())).hasMessageStartingWith("UPFRONT_BLOB_LEASE");
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_JANITOR_INTERVAL", "5m"), List.of()))
                .hasMessageStartingWith("UPFRONT_JANITOR_INTERVAL");
    }

    @Test
    void flagsWinOverTheEnvironment() {
        Config c = Config.load(Map.of("UPFRONT_PORT", "9000", "UPFRONT_MAX_FILE_SIZE", "1MB"),
                List.of("--port", "9001", "--max-file-size=512KB", "--fetch-allow-private"));
        assertThat(c.port()).isEqualTo(9001);
        assertThat(c.maxFileSize()).isEqualTo(512 * 1024);
        assertThat(c.fetchAllowPrivate()).isTrue();
    }

    @Test
    void sizesAcceptTheUnitsOfTheSpec() {
        assertThat(ByteSize.parse("25MB")).isEqualTo(26_214_400L);
        assertThat(ByteSize.parse("300 mb")).isEqualTo(314_572_800L);
        assertThat(ByteSize.parse("2GB")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("10KB")).isEqualTo(10_240L);
        assertThat(ByteSize.parse("123")).isEqualTo(123L);
        assertThat(ByteSize.parse("7B")).isEqualTo(7L);
    }

    @Test
    void invalidValuesNameTheirVariable() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("UPFRONT_PORT", "eighty"),
                Map.entry("UPFRONT_MAX_FILE_SIZE", "25 megabytes"),
                Map.entry("UPFRONT_MAX_VIDEO_FILE_SIZE", "0"),
                Map.entry("UPFRONT_MAX_VERSIONS", "-1"),
                Map.entry("UPFRONT_URL_ENDPOINT", "ftp://x"),
                Map.entry("UPFRONT_FETCH_ALLOW_PRIVATE", "maybe"),
                Map.entry("UPFRONT_STORAGE", "tape"),
                Map.entry("UPFRONT_CLOCK_SKEW", "99999"),
                Map.entry("UPFRONT_RENDER_CACHE_SIZE", "lots"),
                Map.entry("UPFRONT_METRICS_TOKEN", "short"),
                Map.entry("UPFRONT_LOG_FORMAT", "xml"),
                Map.entry("UPFRONT_MIN_UPLOAD_RATE", "fast"),
                Map.entry("UPFRONT_UPLOAD_TIMEOUT", "0"),
                Map.entry("UPFRONT_WEBHOOK_URL", "ftp://example.com/hook"),
                Map.entry("UPFRONT_WEBHOOK_SECRET", "not-a-whsec-secret"),
                Map.entry("UPFRONT_WEBHOOK_RETRY_DELAY", "60"));
        cases.forEach((variable, value) -> assertThatThrownBy(() -> Config.load(Map.of(variable, value), List.of()))
                .as(variable)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable));
    }

    @Test
    void webhookEndpointsAreAFewHttpUrls() {
        Config config = Config.load(Map.of("UPFRONT_WEBHOOK_URL", "https://a.example/hook, http://b.example:8080/x?k=1",
                "UPFRONT_WEBHOOK_SECRET", "whsec_0123456789abcdefXYZ"), List.of());
        assertThat(config.webhookUrls()).containsExactly("https://a.example/hook", "http://b.example:8080/x?k=1");
        assertThat(config.webhookSecret()).contains("whsec_0123456789abcdefXYZ");
        assertThat(config.webhookRetryDelay()).hasSeconds(10);
        assertThat(Config.load(Map.of(), List.of()).webhookUrls()).isEmpty();
        String six = String.join(",", List.of("https://a.example/1", "https://a.example/2", "https://a.example/3",
                "https://a.example/4", "https://a.example/5", "https://a.example/6"));
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_WEBHOOK_URL", six), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("UPFRONT_WEBHOOK_URL");
    }

    @Test
    void ffmpegIsAutoNoneOrAnExecutable() {
        assertThat(Config.load(Map.of(), List.of()).ffmpeg()).isEqualTo("auto");
        assertThat(Config.load(Map.of("UPFRONT_FFMPEG", "none"), List.of()).ffmpeg()).isEqualTo("none");
        assertThat(Config.load(Map.of(), List.of("--ffmpeg", "/bin/sh")).ffmpeg())
                .as("any executable path").isEqualTo("/bin/sh");
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_FFMPEG", "/nonexistent/ffmpeg"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("UPFRONT_FFMPEG");
    }

    @Test
    void s3StorageNeedsItsBucketAndKeysInPairsAndNeverShowsTheSecret() {
        Map<String, String> s3 = Map.of("UPFRONT_STORAGE", "s3", "UPFRONT_S3_BUCKET", "media",
                "UPFRONT_S3_ENDPOINT", "http://minio:9000", "UPFRONT_S3_ACCESS_KEY", "AKIAEXAMPLE",
                "UPFRONT_S3_SECRET_KEY", "very-secret-value", "UPFRONT_S3_PATH_STYLE", "true");
        Config config = Config.load(s3, List.of());
        assertThat(config.sharedStorage()).isTrue();
        assertThat(config.s3().orElseThrow().bucket()).isEqualTo("media");
        assertThat(config.s3().orElseThrow().pathStyle()).isTrue();
        assertThat(config.s3().orElseThrow().region()).isEqualTo("us-east-1");
        assertThat(config.toString()).doesNotContain("very-secret-value").doesNotContain("AKIAEXAMPLE");
        assertThat(Config.load(Map.of(), List.of()).s3()).isEmpty();

        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_STORAGE", "s3"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("UPFRONT_S3_BUCKET");
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_STORAGE", "s3", "UPFRONT_S3_BUCKET", "b",
                "UPFRONT_S3_ACCESS_KEY", "AKIAEXAMPLE"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("UPFRONT_S3_SECRET_KEY");
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_STORAGE", "s3", "UPFRONT_S3_BUCKET", "b",
                "UPFRONT_S3_ENDPOINT", "minio:9000"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("UPFRONT_S3_ENDPOINT");
    }

    @Test
    void theDatabaseIsSqliteOrPostgres() {
        assertThat(Config.load(Map.of(), List.of()).sharedDatabase()).isFalse();
        assertThat(Config.load(Map.of("UPFRONT_DATABASE_URL", "jdbc:sqlite:/tmp/x.db"), List.of()).sharedDatabase()).isFalse();
        assertThat(Config.load(Map.of("UPFRONT_DATABASE_URL", "jdbc:postgresql://db:5432/upfront"), List.of()).sharedDatabase()).isTrue();
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_DATABASE_URL", "jdbc:mysql://db/upfront"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("UPFRONT_DATABASE_URL");
    }

    @Test
    void portOutOfRangeIsRefused() {
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_PORT", "70000"), List.of()))
                .hasMessageContaining("UPFRONT_PORT").hasMessageContaining("between 0 and 65535");
    }

    @Test
    void halfAKeyPairIsRefused() {
        assertThatThrownBy(() -> Config.load(Map.of("UPFRONT_PUBLIC_KEY", "public_x"), List.of()))
                .hasMessageContaining("UPFRONT_PRIVATE_KEY");
    }

    @Test
    void unknownFlagsAreRefused() {
        assertThatThrownBy(() -> Config.load(Map.of(), List.of("--prot", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--prot");
    }

    @Test
    void everySettingHasAFlagAndAVariable() {
        for (Setting s : Setting.values()) {
            assertThat(s.variable()).startsWith("UPFRONT_");
            assertThat(s.flag()).startsWith("--").doesNotContain("_");
        }
    }
}

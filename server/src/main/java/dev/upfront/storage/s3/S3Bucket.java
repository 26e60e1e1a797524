package dev.upfront.storage.s3;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One bucket through AWS SDK v2, limited to the S3 subset every compatible store implements (PutObject, multipart
 * uploads, GetObject with Range, HeadObject, DeleteObject(s), CopyObject, ListObjectsV2, ListMultipartUploads).
 * Every failure to reach or use the store becomes {@link ErrorCode#STORAGE_UNAVAILABLE} (503); the cause is
 * logged here, without credentials (the SDK's messages carry none). Thread-safe.
 */
public final class S3Bucket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3Bucket.class);
    /** A probe (readiness) must answer quickly, even when the store does not. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final S3Client s3;
    private final String bucket;

    public S3Bucket(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** A client for {@code settings}: the JDK's HTTP client (no Netty), checksums only where S3 requires them. */
    public static S3Bucket open(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey().get(),
                        settings.secretKey().orElseThrow(() -> new IllegalArgumentException("an access key needs its secret key"))))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        // A read that stalls this long fails the request instead of hanging it.
                        .socketTimeout(Duration.ofSeconds(30)))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // Many S3-compatible stores do not understand the newer default (trailing CRC checksums).
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new S3Bucket(builder.build(), settings.bucket());
    }

    public String name() {
        return bucket;
    }

    /** The object's size, or empty when there is none. */
    public Optional<Long> size(String name) {
        return call("HeadObject", () -> {
            try {
                return Optional.of(s3.headObject(r -> r.bucket(bucket).key(name)).contentLength());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** {@code length} bytes of the object from {@code offset} (length > 0). */
    public InputStream read(String name, long offset, long length) {
        return call("GetObject", () -> s3.getObject(r -> r.bucket(bucket).key(name)
                .range("bytes=" + offset + "-" + (offset + length - 1))));
    }

    public void put(String name, byte[] bytes, int length) {
        call("PutObject", () -> s3.putObject(r -> r.bucket(bucket).key(name).contentLength((long) length),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                        "application/octet-stream")));
    }

    /** Starts a multipart upload; returns its id. */
    public String createUpload(String name) {
        return call("CreateMultipartUpload", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(name)).uploadId());
    }

    /** Sends part {@code number} (from 1) of an upload; returns it as completed. */
    public CompletedPart uploadPart(String name, String uploadId, int number, byte[] bytes, int length) {
        return call("UploadPart", () -> {
            String etag = s3.uploadPart(r -> r.bucket(bucket).key(name).uploadId(uploadId).partNumber(number)
                            .contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                            "application/octet-stream")).eTag();
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        });
    }

    public void completeUpload(String name, String uploadId, List<CompletedPart> parts) {
        call("CompleteMultipartUpload", () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(name).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))));
    }

    /** Aborts an upload; one already gone is not an error. */
    public void abortUpload(String name, String uploadId) {
        call("AbortMultipartUpload", () -> {
            try {
                return s3.abortMultipartUpload(r -> r.bucket(bucket).key(name).uploadId(uploadId));
            } catch (NoSuchUploadException e) {
                return null;
            }
        });
    }

    /** The multipart uploads in progress under {@code prefix}. */
    public List<MultipartUpload> uploads(String prefix) {
        return call("ListMultipartUploads", () -> {
            List<MultipartUpload> all = new ArrayList<>();
            s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).forEach(page -> all.addAll(page.uploads()));
            return all;
        });
    }

    public void copy(String from, String to) {
        call("CopyObject", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to)));
    }

    public void delete(String name) {
        call("DeleteObject", () -> s3.deleteObject(r -> r.bucket(bucket).key(name)));
    }

    /** Deletes every object whose name starts with {@code prefix}; returns how many. */
    public int deleteWithPrefix(String prefix) {
        return call("DeleteObjects", () -> {
            int deleted = 0;
            String token = null;
            do {
                String from = token;
                ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).continuationToken(from));
                List<ObjectIdentifier> names = page.contents().stream().map(S3Object::key)
                        .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                if (!names.isEmpty()) {
                    s3.deleteObjects(r -> r.bucket(bucket).delete(Delete.builder().objects(names).quiet(true).build()));
                    deleted += names.size();
                }
                token = page.isTruncated() ? page.nextContinuationToken() : null;
            } while (token != null);
            return deleted;
        });
    }

    /** Whether any object's name starts with {@code prefix} (one listing of at most one name). */
    public boolean hasObjects(String prefix) {
        return call("ListObjectsV2", () -> !s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(1)).contents().isEmpty());
    }

    /** Whether the bucket answers now, within two seconds. */
    public boolean reachable() {
        try {
            s3.headBucket(r -> r.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(PROBE_TIMEOUT)));
            return true;
        } catch (SdkException e) {
            log.warn("S3 bucket {} is not reachable: {}", bucket, e.getMessage());
            return false;
        }
    }

    private <T> T call(String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException e) {
            log.warn("S3 {} on bucket {} failed: {}", operation, bucket, e.getMessage());
            throw new ApiException(ErrorCode.STORAGE_UNAVAILABLE);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}

package dev.upfront.storage.s3;

import java.net.URI;
import java.util.Optional;

/**
 * Where the bucket is and how to sign in. Without an access key the AWS default credential chain applies
 * (environment, profile, instance role). {@link #toString()} never shows the secret.
 */
public record S3Settings(Optional<URI> endpoint, String bucket, String region, Optional<String> accessKey,
                         Optional<String> secretKey, boolean pathStyle) {

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("(AWS)") + ", bucket=" + bucket + ", region=" + region
                + ", accessKey=" + (accessKey.isPresent() ? "(set)" : "(default chain)") + ", pathStyle=" + pathStyle + "]";
    }
}

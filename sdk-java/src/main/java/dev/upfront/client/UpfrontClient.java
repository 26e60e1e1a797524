package dev.upfront.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.protocol.AuthenticationParameters;
import dev.upfront.protocol.FormValues;
import dev.upfront.protocol.UploadSignature;
import dev.upfront.protocol.UploadToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Java SDK's entry point: upload credentials for browsers (v1 parameters, v2 tokens), server-side uploads,
 * delivery URLs (signed or not) and the media API, against an Upfront server (or any server that speaks ImageKit's
 * APIs on one origin). Immutable and thread-safe: build one per key pair and share it.
 *
 * <pre>{@code
 * UpfrontClient client = UpfrontClient.builder()
 *         .publicKey(System.getenv("UPFRONT_PUBLIC_KEY"))
 *         .privateKey(System.getenv("UPFRONT_PRIVATE_KEY"))
 *         .urlEndpoint("http://localhost:8080/media")
 *         .build();
 * }</pre>
 */
public final class UpfrontClient {
    private final String publicKey;
    private final String privateKey;
    private final String urlEndpoint;
    private final InstantSource clock;
    private final Transport transport;
    private final FilesApi files;
    private final FoldersApi folders;
    private final CustomMetadataFieldsApi customMetadataFields;

    private UpfrontClient(Builder b) {
        this.publicKey = b.publicKey;
        this.privateKey = b.privateKey;
        this.urlEndpoint = b.urlEndpoint;
        this.clock = b.clock;
        URI baseUrl = b.baseUrl != null ? b.baseUrl : origin(URI.create(b.urlEndpoint));
        HttpClient http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.transport = new Transport(http, baseUrl, b.privateKey, b.requestTimeout, b.maxRetries);
        this.files = new FilesApi(transport);
        this.folders = new FoldersApi(transport);
        this.customMetadataFields = new CustomMetadataFieldsApi(transport);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String publicKey() {
        return publicKey;
    }

    public String urlEndpoint() {
        return urlEndpoint;
    }

    /** v1 client-side credentials with ImageKit's defaults: a v4 UUID token, expiring in 30 minutes. */
    public AuthenticationParameters getAuthenticationParameters() {
        return getAuthenticationParameters(null, null);
    }

    /**
     * v1 client-side credentials, the same as ImageKit's Node SDK gives for the same inputs.
     *
     * @param token a one-time token, or null/empty for a random UUID
     * @param expire absolute Unix seconds, or null/0 for now + 1800
     */
    public AuthenticationParameters getAuthenticationParameters(String token, Long expire) {
        return UploadSignature.create(privateKey, token, expire, clock);
    }

    /**
     * A v2 upload token (HS256 JWT, {@code kid} = the public key) binding exactly these upload options, stringified
     * as the browser will send them as form fields ({@link FormValues}); {@code iat} = now, {@code exp} = now + ttl.
     *
     * @throws IllegalArgumentException when {@code ttl} is not 1 to 3600 seconds, or the payload holds iat or exp
     */
    public String createUploadToken(Map<String, ?> payload, Duration ttl) {
        long iat = clock.instant().getEpochSecond();
        return UploadToken.sign(publicKey, privateKey, FormValues.stringifyAll(payload), iat, iat + ttl.getSeconds());
    }

    /**
     * A v2 upload token whose claims are {@code payload} exactly as given (no stringifying) plus {@code iat} and
     * {@code exp}: what {@code jsonwebtoken.sign(payload, privateKey, {expiresIn: ttl, header})} in ImageKit's
     * documentation makes, for a backend that signs the payload a browser sent. Values must already be the strings
     * the browser will send, or the server will refuse the upload.
     */
    public String signUploadPayload(Map<String, ?> payload, Duration ttl) {
        long iat = clock.instant().getEpochSecond();
        return UploadToken.sign(publicKey, privateKey, payload, iat, iat + ttl.getSeconds());
    }

    /**
     * Uploads a file, streaming it; authenticates as the request says (private key by default). Never retried:
     * a stream cannot be replayed, and client-side credentials are one-time.
     *
     * @return the file object the server answers with
     */
    public JsonNode upload(UploadRequest request) {
        Map<String, String> fields = new LinkedHashMap<>(request.fields());
        AuthenticationParameters parameters = request.parameters();
        if (parameters != null) {
            fields.put("publicKey", publicKey);
            fields.put("signature", parameters.signature());
            fields.put("expire", Long.toString(parameters.expire()));
            fields.put("token", parameters.token());
        } else if (request.token() != null) {
            fields.put("token", request.token());
        }
        Multipart body = new Multipart().fields(fields).file(fields.get("fileName"), request);
        return transport.upload(request.version().path(), body.contentType(), body.publisher(request.progress()), request.serverSide());
    }

    /** A builder for one delivery URL of {@code path} (e.g. {@code /folder/photo.jpg}) under the URL endpoint. */
    public UrlBuilder url(String path) {
        return new UrlBuilder(urlEndpoint, privateKey, clock, Objects.requireNonNull(path, "path"));
    }

    public FilesApi files() {
        return files;
    }

    public FoldersApi folders() {
        return folders;
    }

    public CustomMetadataFieldsApi customMetadataFields() {
        return customMetadataFields;
    }

    /** Names the endpoints and the public key; never the private key. */
    @Override
    public String toString() {
        return "UpfrontClient{publicKey=" + publicKey + ", urlEndpoint=" + urlEndpoint + ", baseUrl=" + transport.baseUrl() + "}";
    }

    private static URI origin(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    public static final class Builder {
        private String publicKey;
        private String privateKey;
        private String urlEndpoint;
        private URI baseUrl;
        private HttpClient httpClient;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxRetries = 2;
        private InstantSource clock = InstantSource.system();

        private Builder() {}

        public Builder publicKey(String publicKey) {
            this.publicKey = publicKey;
            return this;
        }

        public Builder privateKey(String privateKey) {
            this.privateKey = privateKey;
            return this;
        }

        /** The delivery base URL, e.g. {@code http://localhost:8080/media} (the server's {@code UPFRONT_URL_ENDPOINT}). */
        public Builder urlEndpoint(String urlEndpoint) {
            this.urlEndpoint = urlEndpoint;
            return this;
        }

        /** Where the upload and media APIs live; defaults to the URL endpoint's scheme, host and port. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = URI.create(baseUrl);
            return this;
        }

        /** A shared {@link HttpClient} (proxy, TLS, executor); the SDK makes its own otherwise. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout);
            return this;
        }

        /** Timeout of each media API request (uploads have none: they last as long as the file takes). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout);
            return this;
        }

        /** Retries of a GET after a connection failure, 429 or 502-504 (default 2). Nothing else is retried. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative");
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** The clock for default expiries, token {@code iat} and URL expiry (tests). */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public UpfrontClient build() {
            if (publicKey == null || publicKey.isEmpty() || privateKey == null || privateKey.isEmpty()
                    || urlEndpoint == null || urlEndpoint.isEmpty()) {
                throw new IllegalStateException("publicKey, privateKey and urlEndpoint are required");
            }
            URI endpoint = URI.create(urlEndpoint);
            if (endpoint.getScheme() == null || endpoint.getRawAuthority() == null) {
                throw new IllegalStateException("urlEndpoint must be an absolute http(s) URL");
            }
            return new UpfrontClient(this);
        }
    }
}

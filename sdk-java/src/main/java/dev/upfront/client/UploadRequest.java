package dev.upfront.client;

import dev.upfront.protocol.AuthenticationParameters;
import dev.upfront.protocol.FormValues;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One upload: the file (a {@link Path}, streamed from disk, or an {@link InputStream}, streamed once), its
 * {@code fileName}, upload options ({@code folder}, {@code tags}, {@code useUniqueFileName}, {@code customMetadata},
 * ... any ImageKit upload parameter, stringified as ImageKit's SDKs do, see {@link FormValues}), the endpoint
 * version, and how it authenticates: with the client's private key (server-side, the default), with v1 client-side
 * parameters, or with a v2 upload token. Immutable; build with {@link #of(Path)} or {@link #of(InputStream, String)}.
 */
public final class UploadRequest {
    private final Path path;
    private final Supplier<InputStream> stream;
    private final Map<String, Object> options;
    private final ApiVersion version;
    private final AuthenticationParameters parameters;
    private final String token;
    private final ProgressListener progress;

    private UploadRequest(Builder b) {
        this.path = b.path;
        this.stream = b.stream;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
        this.version = b.version;
        this.parameters = b.parameters;
        this.token = b.token;
        this.progress = b.progress;
    }

    /** Streams the file at {@code path}; {@code fileName} defaults to its file name. */
    public static Builder of(Path path) {
        Builder b = new Builder();
        b.path = Objects.requireNonNull(path, "path");
        b.options.put("fileName", path.getFileName().toString());
        return b;
    }

    /** Streams {@code in} once (the upload is never retried); the caller closes it. */
    public static Builder of(InputStream in, String fileName) {
        Objects.requireNonNull(in, "in");
        Builder b = new Builder();
        b.stream = () -> in;
        b.options.put("fileName", Objects.requireNonNull(fileName, "fileName"));
        return b;
    }

    /** Every option as the form field it becomes, {@code fileName} first; what a v2 token must bind. */
    public Map<String, String> fields() {
        return FormValues.stringifyAll(options);
    }

    Path path() {
        return path;
    }

    Supplier<InputStream> stream() {
        return stream;
    }

    public ApiVersion version() {
        return version;
    }

    AuthenticationParameters parameters() {
        return parameters;
    }

    String token() {
        return token;
    }

    ProgressListener progress() {
        return progress;
    }

    boolean serverSide() {
        return parameters == null && token == null;
    }

    @Override
    public String toString() {
        return "UploadRequest{" + (path != null ? path : "stream") + ", version=" + version + ", options=" + options.keySet()
                + ", auth=" + (parameters != null ? "v1 parameters" : token != null ? "v2 token" : "private key") + "}";
    }

    public static final class Builder {
        private Path path;
        private Supplier<InputStream> stream;
        private final Map<String, Object> options = new LinkedHashMap<>();
        private ApiVersion version = ApiVersion.V1;
        private AuthenticationParameters parameters;
        private String token;
        private ProgressListener progress;

        private Builder() {}

        public Builder fileName(String fileName) {
            return option("fileName", Objects.requireNonNull(fileName, "fileName"));
        }

        public Builder folder(String folder) {
            return option("folder", folder);
        }

        public Builder tags(Iterable<String> tags) {
            List<String> list = new ArrayList<>();
            tags.forEach(list::add);
            return option("tags", list);
        }

        public Builder useUniqueFileName(boolean unique) {
            return option("useUniqueFileName", unique);
        }

        public Builder isPrivateFile(boolean isPrivate) {
            return option("isPrivateFile", isPrivate);
        }

        public Builder customMetadata(Map<String, ?> metadata) {
            return option("customMetadata", metadata);
        }

        /** Any upload parameter; lists, maps, booleans and numbers are stringified as ImageKit's SDKs do. */
        public Builder option(String name, Object value) {
            if (name.equals("file") || name.equals("token") || name.equals("signature") || name.equals("publicKey")
                    || name.equals("expire")) {
                throw new IllegalArgumentException(name + " is set by the SDK, not as an option");
            }
            if (value == null) {
                options.remove(name);
            } else {
                options.put(name, value);
            }
            return this;
        }

        public Builder version(ApiVersion version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Authenticates with v1 client-side parameters (from {@code getAuthenticationParameters}) instead of the private key. */
        public Builder authenticationParameters(AuthenticationParameters parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
            this.token = null;
            this.version = ApiVersion.V1;
            return this;
        }

        /** Authenticates with a v2 upload token (from {@code createUploadToken} over exactly these options). */
        public Builder uploadToken(String token) {
            this.token = Objects.requireNonNull(token, "token");
            this.parameters = null;
            this.version = ApiVersion.V2;
            return this;
        }

        public Builder progress(ProgressListener progress) {
            this.progress = progress;
            return this;
        }

        public UploadRequest build() {
            if (path != null && !Files.isReadable(path)) {
                throw new IllegalArgumentException("cannot read " + path);
            }
            return new UploadRequest(this);
        }
    }
}

package dev.upfront.client;

/** Which upload endpoint a request goes to: {@code /api/v1/files/upload} or {@code /api/v2/files/upload}. */
public enum ApiVersion {
    V1("/api/v1/files/upload"),
    V2("/api/v2/files/upload");

    private final String path;

    ApiVersion(String path) {
        this.path = path;
    }

    String path() {
        return path;
    }
}

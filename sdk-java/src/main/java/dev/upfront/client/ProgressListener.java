package dev.upfront.client;

/** Told how far an upload's request body has been handed to the network. Called on an HTTP client thread. */
@FunctionalInterface
public interface ProgressListener {
    /**
     * @param bytesSent bytes of the whole multipart body sent so far
     * @param totalBytes the body's length, or -1 when unknown (an {@link java.io.InputStream} source)
     */
    void onProgress(long bytesSent, long totalBytes);
}

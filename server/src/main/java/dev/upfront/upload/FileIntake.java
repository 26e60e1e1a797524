package dev.upfront.upload;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.ids.Ids;
import dev.upfront.inspect.ContentSniffer;
import dev.upfront.inspect.ContentType;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.StagedBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Takes a file's bytes in one pass: each chunk is hashed, counted, kept for type sniffing while the head is
 * short, and written to staging. The size limit is enforced as bytes arrive: the first chunk past the limit
 * fails the upload, and closing the intake discards what was staged. Memory use is the sniffing head only.
 * An intake opened for a request not yet authenticated counts its bytes against {@link PendingUploads} before
 * staging them. Not thread-safe.
 */
public final class FileIntake implements AutoCloseable {
    private final StagedBlob blob;
    private final ContentSniffer sniffer;
    private final SizeLimits limits;
    private final PendingUploads.Claim pending;
    private final MessageDigest md5;
    private final byte[] head = new byte[ContentSniffer.HEAD_BYTES];
    private int headLength;
    private ContentType type;
    private long size;
    private boolean handedOver;

    /** @param pending the claim of an unauthenticated request, or null */
    FileIntake(BlobStore store, ContentSniffer sniffer, SizeLimits limits, PendingUploads.Claim pending) throws IOException {
        // The key is the version id the file will get: a store may stream the bytes to it as they arrive.
        this.blob = store.stage(Ids.objectId());
        this.sniffer = sniffer;
        this.limits = limits;
        this.pending = pending;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            blob.close();
            throw new IllegalStateException(e);
        }
    }

    /** Consumes all remaining bytes of {@code bytes}. @throws ApiException FILE_TOO_LARGE past the limit */
    public void write(ByteBuffer bytes) throws IOException {
        int n = bytes.remaining();
        size += n;
        long limit = type == null ? limits.beforeDetection() : limits.forType(type);
        if (size > limit) {
            throw new ApiException(ErrorCode.FILE_TOO_LARGE);
        }
        md5.update(bytes.duplicate());
        if (type == null) {
            int take = Math.min(n, head.length - headLength);
            bytes.duplicate().get(head, headLength, take);
            headLength += take;
            if (headLength == head.length) {
                detect();
            }
        }
        if (pending != null) {
            pending.reserve(n);
        }
        blob.write(bytes);
    }

    /**
     * Ends the file: detects the type if the file was shorter than the sniffing head. The bytes are made durable only
     * when published, so an upload refused after its body costs no fsync.
     */
    public StagedUpload finish() throws IOException {
        if (type == null) {
            detect();
        }
        if (size > limits.forType(type)) {
            throw new ApiException(ErrorCode.FILE_TOO_LARGE);
        }
        blob.finish();
        handedOver = true;
        return new StagedUpload(blob, size, HexFormat.of().formatHex(md5.digest()), type);
    }

    private void detect() {
        type = sniffer.detect(head, headLength);
        if (size > limits.forType(type)) {
            throw new ApiException(ErrorCode.FILE_TOO_LARGE);
        }
    }

    public long size() {
        return size;
    }

    /** Discards the staged bytes unless {@link #finish()} handed them over. */
    @Override
    public void close() {
        if (!handedOver) {
            blob.close();
        }
    }
}

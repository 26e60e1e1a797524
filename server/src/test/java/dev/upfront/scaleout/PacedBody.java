package dev.upfront.scaleout;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An upload body that a test paces: the first {@code fastBytes} of {@code source} at full speed, then either a
 * trickle ({@code trickleBytes} every 100 ms: an upload that stays alive) or nothing at all (an upload held in the
 * middle), until {@link #release()} lets the rest through at full speed. {@link #reached()} says when the fast part
 * has been read. A held body gives up after 2 minutes, so a test never hangs on it.
 */
final class PacedBody extends InputStream {
    private final InputStream source;
    private final long fastBytes;
    private final int trickleBytes;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch reached = new CountDownLatch(1);
    private long read;

    PacedBody(InputStream source, long fastBytes, int trickleBytes) {
        this.source = source;
        this.fastBytes = fastBytes;
        this.trickleBytes = trickleBytes;
    }

    /** Lets the rest through at full speed. */
    void release() {
        released.countDown();
    }

    /** Waits until the fast part was read (by the HTTP client, so it is on its way to the server). */
    boolean reached(long seconds) throws InterruptedException {
        return reached.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int allowed = len;
        if (read >= fastBytes && released.getCount() > 0) {
            reached.countDown();
            try {
                if (trickleBytes == 0) {
                    if (!released.await(2, TimeUnit.MINUTES)) {
                        throw new IOException("held upload body never released");
                    }
                } else if (!released.await(100, TimeUnit.MILLISECONDS)) {
                    allowed = Math.min(len, trickleBytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        } else if (read < fastBytes) {
            allowed = (int) Math.min(len, fastBytes - read);
        }
        int n = source.read(b, off, allowed);
        if (n > 0) {
            read += n;
        }
        return n;
    }
}

package dev.upfront.http;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The slowest a request body may arrive: at least {@code minBytesPerSecond} on average over every {@code window}
 * (an average, so a client pausing a few seconds in an otherwise normal upload is not cut), and all of it within
 * {@code deadline}. The connection's idle timeout alone would let a client hold a request open for ever by sending
 * a byte now and then.
 */
public record BodyPace(long minBytesPerSecond, Duration window, Duration deadline) {

    /** {@code in}, failing a read once the body has arrived too slowly; the clock starts now. */
    PacedBody watch(InputStream in) {
        return new PacedBody(in, this);
    }

    /** A read of a body that arrived too slowly. */
    static final class TooSlowException extends IOException {
        private final ApiException error;

        TooSlowException(String reason) {
            super(reason, null);
            this.error = new ApiException(ErrorCode.UPLOAD_TOO_SLOW, reason);
        }

        ApiException error() {
            return error;
        }
    }

    /** A body stream that counts what it read and checks the pace after each read. */
    static final class PacedBody extends FilterInputStream {
        private final BodyPace pace;
        private final long start = System.nanoTime();
        private long windowStart = start;
        private long windowBytes;
        private long total;
        private boolean started;

        private PacedBody(InputStream in, BodyPace pace) {
            super(in);
            this.pace = pace;
        }

        /** Bytes read so far. */
        long bytesRead() {
            return total;
        }

        /** Whether anything was asked of the client yet (a read makes Jetty send {@code 100 Continue}). */
        boolean started() {
            return started;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            started = true;
            int n = super.read(b, off, len);
            if (n > 0) {
                total += n;
                windowBytes += n;
            }
            check(System.nanoTime());
            return n;
        }

        private void check(long now) throws TooSlowException {
            if (now - start > pace.deadline().toNanos()) {
                throw new TooSlowException("it took longer than " + pace.deadline().toSeconds() + " seconds");
            }
            long elapsed = now - windowStart;
            if (elapsed >= pace.window().toNanos()) {
                if (windowBytes < pace.minBytesPerSecond() * (elapsed / 1e9)) {
                    throw new TooSlowException("less than " + pace.minBytesPerSecond() + " bytes per second over "
                            + pace.window().toSeconds() + " seconds");
                }
                windowStart = now;
                windowBytes = 0;
            }
        }
    }
}

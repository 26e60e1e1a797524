package dev.upfront.http;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.eclipse.jetty.io.Content;

/**
 * The slowest a request body may arrive: at least {@code minBytesPerSecond} on average over every {@code window}
 * (an average, so a client pausing a few seconds in an otherwise normal upload is not cut), and all of it within
 * {@code deadline}. The connection's idle timeout alone would let a client hold a request open for ever by sending
 * a byte now and then.
 */
public record BodyPace(long minBytesPerSecond, Duration window, Duration deadline) {

    /**
     * The body {@code source}, read as chunks ({@link PacedBody#chunks()}) or as the stream {@code in} over the same
     * source, failing a read once the body has arrived too slowly; the clock starts now.
     */
    PacedBody watch(InputStream in, Content.Source source) {
        return new PacedBody(in, source, this);
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

    /**
     * A body that counts what was read and checks the pace after each read, whether read as a stream or as Jetty's
     * chunks. The chunks are the connection's own buffers: a reader that takes them skips the stream's copy of every
     * byte into its array (see {@link #chunks()}). A reader uses one of the two ways until it stops, then the other
     * may read what is left: the stream holds no chunk of its own until it is read.
     */
    static final class PacedBody extends FilterInputStream {
        private final Content.Source source;
        private final Content.Source chunks = new PacedSource();
        private final BodyPace pace;
        private final long start = System.nanoTime();
        private long windowStart = start;
        private long windowBytes;
        private long total;
        private boolean started;

        private PacedBody(InputStream in, Content.Source source, BodyPace pace) {
            super(in);
            this.source = source;
            this.pace = pace;
        }

        /**
         * The same body as chunks; a read past the pace returns a last failure chunk holding a
         * {@link TooSlowException}.
         */
        Content.Source chunks() {
            return chunks;
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
            counted(n);
            return n;
        }

        private void counted(int n) throws TooSlowException {
            if (n > 0) {
                total += n;
                windowBytes += n;
            }
            check(System.nanoTime());
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

        private final class PacedSource implements Content.Source {
            @Override
            public Content.Chunk read() {
                started = true;
                Content.Chunk chunk = source.read();
                if (chunk == null || Content.Chunk.isFailure(chunk)) {
                    return chunk;
                }
                try {
                    counted(chunk.remaining());
                    return chunk;
                } catch (TooSlowException e) {
                    chunk.release();
                    return Content.Chunk.from(e, true);
                }
            }

            @Override
            public void demand(Runnable demandCallback) {
                source.demand(demandCallback);
            }

            @Override
            public void fail(Throwable failure) {
                source.fail(failure);
            }
        }
    }
}

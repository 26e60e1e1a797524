package dev.upfront.storage.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Reads the first {@code length} bytes of a file through a channel that stays open for others: positional reads
 * (pread), so neither the channel's position nor its other users are disturbed, and closing the stream leaves the
 * channel open. Not thread-safe.
 */
final class PositionalInputStream extends InputStream {
    private final FileChannel channel;
    private final long length;
    private long position;

    PositionalInputStream(FileChannel channel, long length) {
        this.channel = channel;
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int count) throws IOException {
        Objects.checkFromIndexSize(offset, count, into.length);
        if (count == 0) {
            return 0;
        }
        long left = length - position;
        if (left <= 0) {
            return -1;
        }
        int n = channel.read(ByteBuffer.wrap(into, offset, (int) Math.min(count, left)), position);
        if (n < 0) {
            return -1; // the file is shorter than it was said to be
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, length - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, length - position);
    }
}

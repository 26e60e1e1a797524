package dev.upfront.storage.fs;

import dev.upfront.files.OwnerOnly;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.StagedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs as files under one root folder: {@code <root>/<first two chars of key>/<key>}. Staging files live in
 * {@code <root>/.staging/} on the same filesystem, so publishing is a rename: the temporary file is fsynced (at
 * publishing, not before: a staged upload that is refused, e.g. for its credentials, costs no fsync),
 * renamed atomically to its final name, then the folder is fsynced so the new name itself is durable (and the root
 * too when the shard folder is new).
 * A crash leaves either no file under the final name or the complete one. Only this process uses the folder, so
 * {@link #sweep} at start-up may clean up after an earlier crash.
 *
 * <p>A large staging file is flushed to the disk while it is still being written (every {@value #WRITEBACK_BYTES}
 * bytes, one flush at a time, on its own thread): the kernel would otherwise keep all of it in the page cache
 * (writeback starts at 10 % of memory) and publishing's fsync would write the whole file while the client waits,
 * about a third of a 300 MB upload's time. The flushes are not the durability promise; publishing's fsync still is.
 */
public final class FilesystemBlobStore implements BlobStore {
    private static final Logger log = LoggerFactory.getLogger(FilesystemBlobStore.class);
    private static final Pattern KEY = Pattern.compile("[0-9a-z]{4,64}");
    private static final int SWEEP_BATCH = 500;
    static final long WRITEBACK_BYTES = 16L * 1024 * 1024;

    private final Path root;
    private final Path staging;

    public FilesystemBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.staging = this.root.resolve(".staging");
        try {
            OwnerOnly.createDirectories(staging);
            // The folders' own names must be durable before any blob in them is promised to be.
            fsyncDirectory(this.root);
            if (this.root.getParent() != null) {
                fsyncDirectory(this.root.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create blob folder " + this.root, e);
        }
    }

    @Override
    public StagedBlob stage(String key) throws IOException {
        Path target = pathOf(key);
        Path file = Files.createTempFile(staging, "upload-", ".part");
        return new StagedFile(key, target, file);
    }

    @Override
    public void publish(StagedBlob staged) throws IOException {
        if (!(staged instanceof StagedFile file) || !file.finished) {
            throw new IllegalStateException("publish needs a finished blob staged by this store");
        }
        String key = file.key;
        Path target = file.target;
        if (!Files.isDirectory(target.getParent())) {
            OwnerOnly.createDirectories(target.getParent());
            // A new shard folder's name lives in the root: without this, a power loss could drop the whole shard
            // (and the blob in it) while the record that points to the blob is already committed.
            fsyncDirectory(root);
        }
        if (Files.exists(target)) {
            throw new IllegalStateException("blob key already exists: " + key);
        }
        fsync(file.path);
        // ATOMIC_MOVE is rename(2): readers see no file, or the whole file, under the final name.
        Files.move(file.path, target, StandardCopyOption.ATOMIC_MOVE);
        file.published = true;
        fsyncDirectory(target.getParent());
    }

    @Override
    public Optional<Blob> find(String key) throws IOException {
        Path path = pathOf(key);
        try {
            long size = Files.size(path);
            return Optional.of(new FileBlob(path, size));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void copy(String fromKey, String toKey) throws IOException {
        Path source = pathOf(fromKey);
        Path target = pathOf(toKey);
        OwnerOnly.createDirectories(target.getParent());
        try {
            // Blobs are immutable, so a hard link is a complete, atomic and free copy.
            Files.createLink(target, source);
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(target)) {
                throw e;
            }
            try (StagedBlob staged = stage(toKey); InputStream in = Files.newInputStream(source)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    staged.write(ByteBuffer.wrap(buffer, 0, n));
                }
                staged.finish();
                publish(staged);
                return;
            }
        }
        fsyncDirectory(target.getParent());
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(pathOf(key));
    }

    @Override
    public int deleteWithPrefix(String prefix) throws IOException {
        if (prefix.length() < 4 || !KEY.matcher(prefix).matches()) {
            throw new IllegalArgumentException("invalid blob key prefix");
        }
        Path shard = root.resolve(prefix.substring(0, 2));
        if (!Files.isDirectory(shard)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> blobs = Files.newDirectoryStream(shard, prefix + "*")) {
            for (Path p : blobs) {
                Files.deleteIfExists(p);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Start-up cleaning, for a folder only this process uses: discards staging leftovers of an earlier process, then
     * deletes every published blob whose key {@code unknown} reports as referenced by no record (a crash between
     * publish and the record's commit).
     *
     * @param unknown given a batch of keys, returns those that no record references
     * @return the number of blobs and staging leftovers deleted
     */
    public int sweep(Function<Collection<String>, Set<String>> unknown) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(staging)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
                deleted++;
            }
        }
        List<Path> batch = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root, p -> Files.isDirectory(p) && !p.equals(staging))) {
            for (Path shard : shards) {
                try (DirectoryStream<Path> blobs = Files.newDirectoryStream(shard)) {
                    for (Path blob : blobs) {
                        batch.add(blob);
                        if (batch.size() == SWEEP_BATCH) {
                            deleted += deleteUnknown(batch, unknown);
                            batch.clear();
                        }
                    }
                }
            }
        }
        deleted += deleteUnknown(batch, unknown);
        return deleted;
    }

    private int deleteUnknown(List<Path> batch, Function<Collection<String>, Set<String>> unknown) throws IOException {
        if (batch.isEmpty()) {
            return 0;
        }
        List<String> keys = batch.stream().map(p -> p.getFileName().toString()).toList();
        Set<String> orphans = unknown.apply(keys);
        int deleted = 0;
        for (Path p : batch) {
            if (orphans.contains(p.getFileName().toString())) {
                log.info("Deleting orphaned blob {} (its upload did not commit)", p.getFileName());
                Files.deleteIfExists(p);
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public boolean ready() {
        return Files.isDirectory(staging) && Files.isWritable(staging);
    }

    private Path pathOf(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid blob key");
        }
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    /** fsync(2) of a file through a fresh descriptor: it flushes every dirty page of the file, whoever wrote it. */
    private static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static final class StagedFile implements StagedBlob {
        private final String key;
        private final Path target;
        private final Path path;
        private final FileChannel channel;
        private long size;
        private boolean finished;
        private boolean published;
        /** The size when the last early flush started. */
        private long flushedAt;
        /** The last early flush, or null. */
        private Thread flushing;

        StagedFile(String key, Path target, Path path) throws IOException {
            this.key = key;
            this.target = target;
            this.path = path;
            this.channel = FileChannel.open(path, StandardOpenOption.WRITE);
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            if (finished) {
                throw new IllegalStateException("staged blob already finished");
            }
            while (bytes.hasRemaining()) {
                size += channel.write(bytes);
            }
            if (size - flushedAt >= WRITEBACK_BYTES && (flushing == null || !flushing.isAlive())) {
                flushedAt = size;
                flushing = Thread.ofVirtual().name("staging-writeback").start(this::flushEarly);
            }
        }

        /** Starts writing what is staged so far to the disk, so publishing's fsync finds little left to do. */
        private void flushEarly() {
            try {
                channel.force(false);
            } catch (IOException e) {
                // Closed meanwhile, or a disk error that publishing's own fsync reports.
            }
        }

        /** Waits for an early flush still running, so that the channel is closed under no one. */
        private void awaitFlush() {
            Thread running = flushing;
            if (running == null) {
                return;
            }
            boolean interrupted = false;
            while (true) {
                try {
                    running.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Ends writing. Durability waits for {@link #publish}, which fsyncs before the rename. */
        @Override
        public void finish() throws IOException {
            if (!finished) {
                awaitFlush();
                channel.close();
                finished = true;
            }
        }

        @Override
        public InputStream open() throws IOException {
            if (!finished) {
                throw new IllegalStateException("staged blob not finished");
            }
            return Files.newInputStream(path);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void close() {
            try {
                awaitFlush();
                channel.close();
                if (!published) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                log.warn("Could not discard staged blob {}: {}", path.getFileName(), e.toString());
            }
        }
    }

    private record FileBlob(Path path, long size) implements Blob {
        @Override
        public InputStream open(long offset, long length) throws IOException {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            ch.position(offset);
            InputStream in = Channels.newInputStream(ch);
            return new java.io.FilterInputStream(in) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buf, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        }
    }
}

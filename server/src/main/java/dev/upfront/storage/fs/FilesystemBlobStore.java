package dev.upfront.storage.fs;

import dev.upfront.files.OwnerOnly;
import dev.upfront.ids.Ids;
import dev.upfront.storage.BlobStore;
import dev.upfront.storage.StagedBlob;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs as files under one root folder: {@code <root>/<first two chars of key>/<key>}. Staging files live in
 * {@code <root>/.staging/} on the same filesystem, so publishing is a rename. {@link #publish} makes it durable on
 * its own: the staging file is fsynced (at publishing, not before: a staged upload that is refused, e.g. for its
 * credentials, costs no fsync), renamed atomically to its final name, then the folder is fsynced so the new name
 * itself is durable (and the root too when the shard folder is new); a crash leaves either no file under the final
 * name or the complete one.
 *
 * <p>{@link #publishUnsynced} only renames (creating the shard folder if needed), and {@link #sync} then makes a
 * whole batch durable, new shard folders' names in the root included, with one
 * {@code syncfs(2)} on the root's filesystem ({@link SyncFs}) where Linux offers it, else with an fsync of each file
 * and of each distinct folder. Between the two a crash may leave an empty or partial file under a final name; no
 * record names it yet, so the start-up {@link #sweep} removes it like any orphan. syncfs writes back everything
 * dirty on that filesystem, not only the batch: other files there (a large upload still staging, flushed every
 * {@value #WRITEBACK_BYTES} bytes anyway; the database when it shares the disk) are flushed too, and a writeback
 * error of any of them fails the batch. Because such an error cannot be pinned on one file, the first one reported
 * switches the store to fsync per file for good (which also reports the error again to the upload whose file it
 * was). Only this process uses the folder, so {@link #sweep} at start-up may clean up after an earlier crash.
 *
 * <p>A large staging file is flushed to the disk while it is still being written (every {@value #WRITEBACK_BYTES}
 * bytes, one flush at a time, on its own thread): the kernel would otherwise keep all of it in the page cache
 * (writeback starts at 10 % of memory) and the final flush would write the whole file while the client waits,
 * about a third of a 300 MB upload's time. The early flushes are not the durability promise; publishing's fsync (or
 * the batch's sync) is, and an early flush that failed fails it.
 */
public final class FilesystemBlobStore implements BlobStore {
    private static final Logger log = LoggerFactory.getLogger(FilesystemBlobStore.class);
    private static final Pattern KEY = Pattern.compile("[0-9a-z]{4,64}");
    private static final int SWEEP_BATCH = 500;
    private static final Set<StandardOpenOption> CREATE_AND_READ_WRITE =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    static final long WRITEBACK_BYTES = 16L * 1024 * 1024;

    private final Path root;
    private final Path staging;
    private final Object syncing = new Object();
    /** The batch sync, or null for fsync per file; guarded by {@link #syncing}. */
    private SyncFs syncfs;
    /** Whether a shard folder was created since the root was last flushed. */
    private volatile boolean rootDirty;
    /** Shard folders known to exist: checked once each instead of at every publish (at most 36 × 36 of them). */
    private final Set<Path> knownShards = ConcurrentHashMap.newKeySet();

    public FilesystemBlobStore(Path root) {
        this(root, true);
    }

    /** With {@code useSyncfs} false, batches are synced one fsync per file and folder (as where syncfs is missing). */
    FilesystemBlobStore(Path root, boolean useSyncfs) {
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
        this.syncfs = useSyncfs ? SyncFs.open(this.root).orElse(null) : null;
    }

    /**
     * Staged under the key's own name, created and opened for reading and writing in one call: keys are fresh ids, so
     * the name is free, without the random name and the open-close-open of a temporary file. A key staged twice at
     * once (a copy's fallback racing an upload, in principle) takes a random name instead.
     */
    @Override
    public StagedBlob stage(String key) throws IOException {
        Path target = pathOf(key);
        try {
            return new StagedFile(key, target, staging.resolve(key + ".part"));
        } catch (FileAlreadyExistsException e) {
            return new StagedFile(key, target, staging.resolve(key + "-" + Ids.nameSuffix() + ".part"));
        }
    }

    @Override
    public void publish(StagedBlob staged) throws IOException {
        StagedFile file = finished(staged);
        // Flushed before the rename, so the final name never shows a partial file, even after a crash.
        file.force();
        rename(file);
        fsyncDirectory(file.target.getParent());
        synchronized (syncing) {
            flushRoot();
        }
    }

    @Override
    public Unsynced publishUnsynced(StagedBlob staged) throws IOException {
        StagedFile file = finished(staged);
        rename(file);
        return file;
    }

    @Override
    public void sync(Collection<? extends Unsynced> published) throws IOException {
        List<StagedFile> files = new ArrayList<>(published.size());
        for (Unsynced u : published) {
            if (!(u instanceof StagedFile file) || !file.published) {
                throw new IllegalArgumentException("sync needs blobs published by this store");
            }
            files.add(file);
        }
        if (files.isEmpty()) {
            return;
        }
        synchronized (syncing) {
            for (StagedFile file : files) {
                file.checkEarlyFlushes();
            }
            if (!syncWhole()) {
                syncEach(files);
            }
        }
        for (StagedFile file : files) {
            // A file removed before the flush (its folder deleted by hand) must not get a record.
            if (!Files.exists(file.target, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(file.target.toString(), null, "blob gone before it was made durable");
            }
        }
    }

    /**
     * One syncfs for everything: true when done, false when the caller must fsync file by file. A writeback error
     * fails the batch and leaves fsync per file for good (see the class comment).
     */
    private boolean syncWhole() throws IOException {
        if (syncfs == null) {
            return false;
        }
        boolean rootWasDirty = rootDirty;
        rootDirty = false;
        try {
            syncfs.sync();
            return true;
        } catch (IOException e) {
            // Either way nothing is promised flushed, and fsync per file takes over for good.
            if (rootWasDirty) {
                rootDirty = true;
            }
            syncfs = null;
            if (e instanceof SyncFs.Unsupported) {
                log.info("{}; blobs are made durable one fsync at a time from now on", e.getMessage());
                return false;
            }
            log.error("Writing back the blob folder's filesystem failed ({}); this batch fails, and blobs are made "
                    + "durable one fsync at a time from now on", e.getMessage());
            throw e;
        }
    }

    /**
     * An fsync of each file and each distinct folder (the root too when a shard folder is new), all at once on
     * virtual threads: the disk and the filesystem's journal serve concurrent flushes together, where one after
     * another would cost a round trip each.
     */
    private void syncEach(List<StagedFile> files) throws IOException {
        Set<Path> folders = new LinkedHashSet<>();
        for (StagedFile file : files) {
            folders.add(file.target.getParent());
        }
        boolean rootWasDirty = rootDirty;
        rootDirty = false;
        if (rootWasDirty) {
            folders.add(root);
        }
        List<Future<?>> flushes = new ArrayList<>(files.size() + folders.size());
        try (ExecutorService flushers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (StagedFile file : files) {
                flushes.add(flushers.submit(() -> {
                    file.force();
                    return null;
                }));
            }
            for (Path folder : folders) {
                flushes.add(flushers.submit(() -> {
                    fsyncDirectory(folder);
                    return null;
                }));
            }
        }
        try {
            for (Future<?> flush : flushes) {
                flush.get();
            }
        } catch (ExecutionException e) {
            if (rootWasDirty) {
                rootDirty = true;
            }
            throw e.getCause() instanceof IOException io ? io : new IOException("flushing blobs failed", e.getCause());
        } catch (InterruptedException | CancellationException e) {
            // Interrupted while waiting for the flushes (which were then cancelled): nothing is promised durable.
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing blobs");
        }
    }

    /** Whether a batch is synced with one syncfs (false: one fsync per file and folder). */
    boolean syncsWholeFilesystem() {
        synchronized (syncing) {
            return syncfs != null;
        }
    }

    /**
     * fsync of the root when a shard folder was created since the last one. Under {@link #syncing}, so no one skips it
     * while another's is still running.
     */
    private void flushRoot() throws IOException {
        if (rootDirty) {
            rootDirty = false;
            try {
                fsyncDirectory(root);
            } catch (IOException e) {
                rootDirty = true;
                throw e;
            }
        }
    }

    private static StagedFile finished(StagedBlob staged) {
        if (!(staged instanceof StagedFile file) || !file.finished) {
            throw new IllegalStateException("publish needs a finished blob staged by this store");
        }
        return file;
    }

    private void ensureShard(Path target) throws IOException {
        Path shard = target.getParent();
        if (knownShards.contains(shard)) {
            return;
        }
        if (!Files.isDirectory(shard)) {
            // A new shard folder's name lives in the root, which the next flush must cover too: without that, a
            // power loss could drop the whole shard (and the blob in it) while the record that points to the blob
            // is already committed. Marked before the folder exists, so whoever sees the folder sees the mark.
            rootDirty = true;
            OwnerOnly.createDirectories(shard);
        }
        knownShards.add(shard);
    }

    /** Renames a staged file to its final name: atomic, not yet durable. */
    private void rename(StagedFile file) throws IOException {
        Path target = file.target;
        ensureShard(target);
        if (Files.exists(target)) {
            throw new IllegalStateException("blob key already exists: " + file.key);
        }
        try {
            // ATOMIC_MOVE is rename(2): readers see no file, or the whole file, under the final name.
            Files.move(file.path, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // A shard folder remembered but since removed (by hand): made again, as when it was new.
            if (!knownShards.remove(target.getParent())) {
                throw e;
            }
            ensureShard(target);
            Files.move(file.path, target, StandardCopyOption.ATOMIC_MOVE);
        }
        file.published = true;
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
        ensureShard(target);
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
        synchronized (syncing) {
            flushRoot();
        }
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

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** A file being staged; once published by {@link #publishUnsynced}, also the handle that {@link #sync} takes. */
    private static final class StagedFile implements StagedBlob, Unsynced {
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
        /** Why an early flush failed, or null: the error is reported once per descriptor, so it is kept here. */
        private volatile IOException flushFailure;

        StagedFile(String key, Path target, Path path) throws IOException {
            this.key = key;
            this.target = target;
            this.path = path;
            // Readable too: the inspection before publishing reads through this descriptor instead of opening again.
            this.channel = FileChannel.open(path, CREATE_AND_READ_WRITE, OwnerOnly.fileAttributes());
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
            } catch (ClosedChannelException e) {
                // Discarded meanwhile.
            } catch (IOException e) {
                // The kernel reports a writeback error once to this descriptor: the final flush would not see it.
                flushFailure = e;
            }
        }

        /** Fails when an early flush failed: the bytes may not be on the disk whatever a later flush says. */
        void checkEarlyFlushes() throws IOException {
            awaitFlush();
            if (flushFailure != null) {
                throw new IOException("flushing the staged blob failed", flushFailure);
            }
        }

        /**
         * fsync(2) through the descriptor that wrote the file, kept open until the blob is closed: one open fewer
         * per upload, and a writeback error is reported to this descriptor (one opened later might not see it).
         */
        void force() throws IOException {
            checkEarlyFlushes();
            if (channel.isOpen()) {
                channel.force(true);
                return;
            }
            try (FileChannel ch = FileChannel.open(published ? target : path, StandardOpenOption.WRITE)) {
                ch.force(true);
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

        /**
         * Ends writing. Durability waits for {@link #publish} or {@link #sync}; the channel stays open for their
         * fsync until the blob is closed.
         */
        @Override
        public void finish() throws IOException {
            if (!finished) {
                awaitFlush();
                finished = true;
            }
        }

        @Override
        public InputStream open() throws IOException {
            if (!finished) {
                throw new IllegalStateException("staged blob not finished");
            }
            return new PositionalInputStream(channel, size);
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
            return new FilterInputStream(in) {
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

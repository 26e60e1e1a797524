package dev.upfront.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive claim on a blob folder for this process's lifetime: a lock on {@code <folder>/.lock}, which the
 * operating system drops when the process dies (a crash needs no clean-up). With it, the start-up sweep may treat
 * every staging file and unreferenced blob in the folder as a leftover of this process's own earlier run, even when
 * the metadata database is shared with other instances: no other live process writes the folder.
 */
public final class FolderLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The folder's lock, or empty when another process (or another server in this JVM) holds it. */
    public static Optional<FolderLock> tryAcquire(Path folder) throws IOException {
        FileChannel channel = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new FolderLock(channel, lock));
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM already
        }
        channel.close();
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel drops the lock in any case
        }
    }
}

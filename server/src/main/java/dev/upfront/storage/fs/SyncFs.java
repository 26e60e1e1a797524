package dev.upfront.storage.fs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code syncfs(2)} on one folder's filesystem, called through FFM (the JDK has no binding): it writes back every
 * dirty page and inode of that filesystem and flushes the disk's cache, so one call makes a whole batch of renamed
 * files durable. It keeps one descriptor of the folder open for its lifetime, because syncfs reports a writeback
 * error once per descriptor that was open when it happened: a descriptor opened just before the call could miss an
 * error that someone else's sync already saw.
 *
 * <p>Only on Linux 5.8 or later: before that, syncfs returned 0 even when writeback had failed. {@link #open} is
 * empty there, elsewhere, or when libc lacks the symbol; a sandbox that refuses the system call itself is reported
 * by {@link Unsupported}. Either way the store falls back to fsync per file.
 */
final class SyncFs {
    private static final Logger log = LoggerFactory.getLogger(SyncFs.class);
    private static final Cleaner CLEANER = Cleaner.create();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** open(2) flags: O_RDONLY, which is 0 on every Linux architecture (the JVM closes descriptors when it forks). */
    private static final int O_RDONLY = 0;
    /** What a seccomp filter answers for a refused call (EPERM, ENOSYS): nothing was flushed, nothing failed. */
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    private final MethodHandle syncfs;
    private final int fd;

    private SyncFs(MethodHandle syncfs, int fd) {
        this.syncfs = syncfs;
        this.fd = fd;
    }

    /** A syncfs for the filesystem of {@code folder}, or empty when it cannot be had or trusted here (see above). */
    static Optional<SyncFs> open(Path folder) {
        if (!reportsErrors(System.getProperty("os.name"), System.getProperty("os.version"))) {
            return Optional.empty();
        }
        try {
            Linker linker = Linker.nativeLinker();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), errno);
            MethodHandle syncfs = linker.downcallHandle(linker.defaultLookup().find("syncfs").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
            MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            int fd;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CALL_STATE);
                fd = (int) open.invokeExact(state, arena.allocateFrom(folder.toString()), O_RDONLY, 0);
                if (fd < 0) {
                    throw new IOException("open " + folder + ": errno " + (int) ERRNO.get(state, 0L));
                }
            }
            SyncFs sync = new SyncFs(syncfs, fd);
            CLEANER.register(sync, () -> {
                try {
                    int ignored = (int) close.invokeExact(fd);
                } catch (Throwable e) {
                    // Nothing to do: the descriptor leaks until the process ends.
                }
            });
            return Optional.of(sync);
        } catch (Throwable e) {
            log.info("syncfs(2) is not usable here ({}); blobs are made durable one fsync at a time", e.toString());
            return Optional.empty();
        }
    }

    /** Linux from 5.8 on, where syncfs reports writeback errors. */
    static boolean reportsErrors(String osName, String osVersion) {
        if (!"Linux".equals(osName) || osVersion == null) {
            return false;
        }
        String[] parts = osVersion.split("[.-]", 3);
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 5 || major == 5 && minor >= 8;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Makes everything written to the filesystem so far durable; throws when the kernel reports it may not be, and
     * {@link Unsupported} when the call itself is refused here.
     */
    void sync() throws IOException {
        int result;
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            try {
                result = (int) syncfs.invokeExact(state, fd);
            } catch (Throwable e) {
                throw new IOException("syncfs call failed", e);
            }
            errno = result == 0 ? 0 : (int) ERRNO.get(state, 0L);
        }
        if (errno == EPERM || errno == ENOSYS) {
            throw new Unsupported("syncfs refused: errno " + errno);
        }
        if (result != 0) {
            throw new IOException("syncfs failed: errno " + errno);
        }
    }

    /** The system call is refused here (a sandbox): nothing was written back, and no writeback error is known. */
    static final class Unsupported extends IOException {
        Unsupported(String message) {
            super(message);
        }
    }
}

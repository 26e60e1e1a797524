package dev.upfront.library;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Remembers {@link #findByPath} answers (delivery asks on every request) until the library changes. Every
 * {@link #write} moves a generation counter; an answer is reused only while the generation it was read under is
 * current, so a change is seen by the next read in this process. Valid only where this process is the library's
 * only writer: the embedded default (on a database shared by several instances another instance's write would
 * go unseen, so it is not used there). Everything else passes straight through.
 */
public final class PathLookupCache implements Library {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(long generation, Optional<LibraryFile> file) {}

    private final Library library;
    private final AtomicLong generation = new AtomicLong();
    private final ConcurrentHashMap<String, Entry> byPath = new ConcurrentHashMap<>();

    public PathLookupCache(Library library) {
        this.library = library;
    }

    @Override
    public <T> T write(Function<Writer, T> work) {
        try {
            return library.write(work);
        } finally {
            // After the commit (or rollback): answers read before it may predate it.
            generation.incrementAndGet();
            byPath.clear();
        }
    }

    @Override
    public <T> List<Outcome<T>> writeEach(List<Function<Writer, T>> works) {
        try {
            return library.writeEach(works);
        } finally {
            generation.incrementAndGet();
            byPath.clear();
        }
    }

    @Override
    public Optional<LibraryFile> findByPath(String filePath) {
        long current = generation.get();
        Entry cached = byPath.get(filePath);
        if (cached != null && cached.generation() == current) {
            return cached.file();
        }
        Optional<LibraryFile> file = library.findByPath(filePath);
        if (byPath.size() >= MAX_ENTRIES) {
            byPath.clear();
        }
        byPath.put(filePath, new Entry(current, file));
        return file;
    }

    @Override
    public Optional<LibraryFile> findById(String fileId) {
        return library.findById(fileId);
    }

    @Override
    public Optional<LibraryFile> findVersion(String fileId, String versionId) {
        return library.findVersion(fileId, versionId);
    }

    @Override
    public List<LibraryFile> versions(String fileId) {
        return library.versions(fileId);
    }

    @Override
    public List<LibraryFile> listFiles(FileQuery query) {
        return library.listFiles(query);
    }

    @Override
    public List<Folder> listFolders(String parent, String name, int limit, int skip) {
        return library.listFolders(parent, name, limit, skip);
    }

    @Override
    public int countFolders(String parent, String name) {
        return library.countFolders(parent, name);
    }

    @Override
    public Optional<Folder> findFolder(String folderPath) {
        return library.findFolder(folderPath);
    }

    @Override
    public List<CustomField> customFields(boolean includeDeleted) {
        return library.customFields(includeDeleted);
    }

    @Override
    public LibraryOverview overview(Instant uploadsSince) {
        return library.overview(uploadsSince);
    }

    @Override
    public Optional<String[]> job(String jobId) {
        return library.job(jobId);
    }

    @Override
    public boolean ready() {
        return library.ready();
    }

    @Override
    public Set<String> unreferencedBlobKeys(Collection<String> blobKeys) {
        return library.unreferencedBlobKeys(blobKeys);
    }
}

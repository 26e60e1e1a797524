package dev.upfront.library;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Remembers {@link #findByPath} and {@link #findVersion} answers (delivery asks on every request) until the library
 * changes. Every {@link #write} moves a generation counter; an answer is reused only while the generation it was
 * read under is current, so a change is seen by the next read in this process. That is complete where this process
 * is the library's only writer (the embedded default). On a database several instances share, another instance's
 * write goes unseen here, so there the answers also expire after {@code maxAge} (delivery uses 1 s): a change made
 * through any instance is seen within that, well inside the scale-out rule's 2 s, and a hot path costs one query per
 * second instead of one per request. Everything else passes straight through.
 */
public final class PathLookupCache implements Library {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(long generation, long readAt, Optional<LibraryFile> file) {}

    private final Library library;
    private final long maxAgeNanos;
    private final AtomicLong generation = new AtomicLong();
    private final ConcurrentHashMap<String, Entry> byPath = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry> byVersion = new ConcurrentHashMap<>();

    /** For the library's only writer: answers last until this process writes. */
    public PathLookupCache(Library library) {
        this(library, null);
    }

    /** @param maxAge how long an answer lasts at most, or null for "until this process writes" */
    public PathLookupCache(Library library, Duration maxAge) {
        this.library = library;
        this.maxAgeNanos = maxAge == null ? Long.MAX_VALUE : maxAge.toNanos();
    }

    @Override
    public <T> T write(Function<Writer, T> work) {
        try {
            return library.write(work);
        } finally {
            forgetAnswers();
        }
    }

    @Override
    public <T> List<Outcome<T>> writeEach(List<Function<Writer, T>> works, Runnable beforeCommit) {
        try {
            return library.writeEach(works, beforeCommit);
        } finally {
            forgetAnswers();
        }
    }

    @Override
    public <T> List<Outcome<T>> writeEach(List<Function<Writer, T>> works, List<String> firstReads, Runnable beforeCommit) {
        try {
            return library.writeEach(works, firstReads, beforeCommit);
        } finally {
            forgetAnswers();
        }
    }

    /** After a commit (or rollback): answers read before it may predate it. */
    private void forgetAnswers() {
        generation.incrementAndGet();
        byPath.clear();
        byVersion.clear();
    }

    @Override
    public Optional<LibraryFile> findByPath(String filePath) {
        return cached(byPath, filePath, () -> library.findByPath(filePath));
    }

    /**
     * The answer {@link #findByPath} would give, if it is remembered and still good: read from memory only, so it
     * never waits on the database. Empty when finding out would ask the library.
     */
    public Optional<Optional<LibraryFile>> rememberedByPath(String filePath) {
        return remembered(byPath, filePath);
    }

    /** Like {@link #rememberedByPath}, for {@link #findVersion(String, String)}. */
    public Optional<Optional<LibraryFile>> rememberedVersion(String fileId, String versionId) {
        return remembered(byVersion, fileId + "/" + versionId);
    }

    private Optional<Optional<LibraryFile>> remembered(ConcurrentHashMap<String, Entry> answers, String key) {
        Entry cached = answers.get(key);
        return isCurrent(cached, generation.get(), System.nanoTime()) ? Optional.of(cached.file()) : Optional.empty();
    }

    private boolean isCurrent(Entry cached, long generation, long now) {
        return cached != null && cached.generation() == generation && now - cached.readAt() < maxAgeNanos;
    }

    private Optional<LibraryFile> cached(ConcurrentHashMap<String, Entry> answers, String key, Supplier<Optional<LibraryFile>> read) {
        long current = generation.get();
        long now = System.nanoTime();
        Entry cached = answers.get(key);
        if (isCurrent(cached, current, now)) {
            return cached.file();
        }
        Optional<LibraryFile> file = read.get();
        if (answers.size() >= MAX_ENTRIES) {
            answers.clear();
        }
        answers.put(key, new Entry(current, now, file));
        return file;
    }

    @Override
    public Optional<LibraryFile> findById(String fileId) {
        return library.findById(fileId);
    }

    @Override
    public Optional<LibraryFile> findVersion(String fileId, String versionId) {
        return cached(byVersion, fileId + "/" + versionId, () -> library.findVersion(fileId, versionId));
    }

    @Override
    public Optional<LibraryFile> findVersion(String versionId) {
        return library.findVersion(versionId);
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

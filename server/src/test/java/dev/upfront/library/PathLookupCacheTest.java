package dev.upfront.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.db.Database;
import dev.upfront.library.jdbc.JdbcLibrary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path lookups are remembered only until the next write, on a real SQLite library. */
class PathLookupCacheTest {
    @Test
    void aWriteMakesTheNextLookupReadTheDatabaseAgain(@TempDir Path dir) throws Exception {
        try (Database db = Database.openSqlite(dir.resolve("c.db"))) {
            Library library = new PathLookupCache(new JdbcLibrary(db));
            assertThat(library.findByPath("/a.txt")).isEmpty();
            insert(library, "aaaaaaaaaaaaaaaaaaaaaaaa", "/a.txt");
            assertThat(library.findByPath("/a.txt")).as("a miss is not remembered past a write").isPresent();
            LibraryFile first = library.findByPath("/a.txt").orElseThrow();
            assertThat(library.findByPath("/a.txt").orElseThrow()).isEqualTo(first);
            library.write(w -> w.deleteFile(first.file().fileId()));
            assertThat(library.findByPath("/a.txt")).as("deleted").isEmpty();
        }
    }

    @Test
    void rememberedAnswersComeOnlyFromMemoryAndOnlyUntilAWrite(@TempDir Path dir) throws Exception {
        try (Database db = Database.openSqlite(dir.resolve("r.db"))) {
            PathLookupCache cache = new PathLookupCache(new JdbcLibrary(db));
            insert(cache, "bbbbbbbbbbbbbbbbbbbbbbbb", "/b.txt");
            assertThat(cache.rememberedByPath("/b.txt")).as("never looked up").isEmpty();
            LibraryFile found = cache.findByPath("/b.txt").orElseThrow();
            assertThat(cache.rememberedByPath("/b.txt")).contains(Optional.of(found));
            assertThat(cache.findByPath("/none.txt")).isEmpty();
            assertThat(cache.rememberedByPath("/none.txt")).as("a remembered miss").contains(Optional.empty());
            String versionId = found.version().versionId();
            assertThat(cache.rememberedVersion(found.file().fileId(), versionId)).isEmpty();
            cache.findVersion(found.file().fileId(), versionId);
            assertThat(cache.rememberedVersion(found.file().fileId(), versionId)).isPresent();
            insert(cache, "cccccccccccccccccccccccc", "/c.txt");
            assertThat(cache.rememberedByPath("/b.txt")).as("forgotten at a write").isEmpty();
            assertThat(cache.rememberedByPath("/none.txt")).isEmpty();
            assertThat(cache.rememberedVersion(found.file().fileId(), versionId)).isEmpty();
        }
    }

    @Test
    void rememberedAnswersExpire(@TempDir Path dir) throws Exception {
        try (Database db = Database.openSqlite(dir.resolve("e.db"))) {
            PathLookupCache cache = new PathLookupCache(new JdbcLibrary(db), Duration.ofMillis(50));
            insert(cache, "dddddddddddddddddddddddd", "/d.txt");
            cache.findByPath("/d.txt");
            assertThat(cache.rememberedByPath("/d.txt")).isPresent();
            Thread.sleep(80);
            assertThat(cache.rememberedByPath("/d.txt")).as("older than the bound: another instance may have written").isEmpty();
        }
    }

    private static void insert(Library library, String id, String path) {
        Instant now = Instant.now();
        library.write(w -> {
            w.insertFile(new StoredFile(id, path, "/", path.substring(1), id, 1, now, now));
            w.insertVersion(new FileVersion(id, id, 1, id, 1, "00", "text/plain", "non-image", null, null, null, null, null,
                    Map.of(), null, null, false, true, now, now));
            return null;
        });
    }
}

package dev.upfront.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.db.Database;
import dev.upfront.library.jdbc.JdbcLibrary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
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

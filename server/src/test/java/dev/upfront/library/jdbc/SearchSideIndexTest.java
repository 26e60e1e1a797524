package dev.upfront.library.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.db.Database;
import dev.upfront.db.Sql;
import dev.upfront.library.FileQuery;
import dev.upfront.library.FileVersion;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryFile;
import dev.upfront.library.StoredFile;
import dev.upfront.library.search.Expr;
import dev.upfront.library.search.SearchQueryParser;
import dev.upfront.testing.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The plans that read the V8 and V9 side indexes (name trigrams or words, distinct tags, custom and embedded metadata
 * rows, partial indexes, unions for OR) and the name index (a prefix as a range) return exactly the rows of the plain
 * condition, in order, on SQLite and PostgreSQL, before and after writes that the triggers must follow (a rename, new
 * custom metadata, a new version, a delete). Pages of one row make most conditions "common" (the plain plan; on
 * PostgreSQL, the walk in the listing's order with the current versions' own join) and a page of a hundred makes
 * them "rare" (the index, and the file's join).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchSideIndexTest {
    private static final int FILES = 30;
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private static final List<String> QUERIES = List.of(
            "name HAS \"dress\"", "name HAS \"red dre\"", "name HAS \"BLUE\"", "name HAS \"ab\"", "name HAS \"caf\"",
            "name HAS \"café\"", "name HAS \"jpg\"", "name HAS \"shirt 1\"", "name HAS \"green\"", "name HAS \"absent\"",
            "tags HAS \"summer\"", "tags HAS \"sale\"", "tags HAS \"2024\"", "tags HAS \"nothing\"", "tags HAS \"summer s\"",
            "customMetadata.rank = 2", "customMetadata.rank IN [1, 3]", "customMetadata.rank > 1", "customMetadata.rank <= 1",
            "customMetadata.rank = 9", "customMetadata.label = \"5\"", "customMetadata.label = 5", "customMetadata.label > \"a\"",
            "customMetadata.flag = true", "private = true", "published = false", "private = false",
            "tags HAS \"summer\" OR name = \"blue shirt 01.png\"", "customMetadata.rank = 2 OR private = true",
            "(name HAS \"dress\" OR tags = \"winter\") AND width > 50", "tags IN [\"absent\"] OR name : \"Red\"",
            "embeddedMetadata.Make = \"Canon\"", "embeddedMetadata.Make IN [\"Nikon\", \"Sony\"]", "embeddedMetadata.Make = \"absent\"",
            "embeddedMetadata.ISOSpeedRatings > 200", "embeddedMetadata.ISOSpeedRatings = 100", "embeddedMetadata.ISOSpeedRatings < \"5\"",
            "embeddedMetadata.Model = \"EOS 5\"", "embeddedMetadata.Orientation = 1", "embeddedMetadata.Flash = true",
            "embeddedMetadata.Make = \"Canon\" OR tags = \"x\"", "embeddedMetadata.Make != \"Canon\"",
            "name : \"Red\"", "name : \"café-ab1\"", "name : \"blue shirt 0\"", "name : \"caf\u00e9\"", "name : \"b\"",
            "tags NOT IN [\"winter\", \"x\"]", "tags != \"winter\"", "tags NOT IN [\"Summer Sale\", \"summer-2024\", \"winter\"]",
            "tags NOT EXISTS", "tags NOT IN [\"winter\"] AND customMetadata.rank = 2", "tags NOT IN [\"winter\"] OR name : \"Red\"",
            "tags != \"x\" AND (tags != \"winter\" OR width > 100)");
    private static final List<String> VERSION_QUERIES = List.of("type = \"file-version\"", "type = \"file\"",
            "type = \"file-version\" AND customMetadata.rank = 0", "type = \"file-version\" OR private = true",
            "tags NOT IN [\"summer\"]", "type = \"file-version\" AND tags != \"winter\"");

    private final List<TestDatabases> databases = List.of(TestDatabases.sqlite(), TestDatabases.postgres());
    private final List<Database> dbs = new ArrayList<>();
    private final List<Library> libraries = new ArrayList<>();

    @BeforeAll
    void fill() {
        for (TestDatabases d : databases) {
            Database db = d.open();
            dbs.add(db);
            Library library = new JdbcLibrary(db);
            libraries.add(library);
            library.write(w -> {
                w.ensureFolder("/s/", T);
                for (int i = 0; i < FILES; i++) {
                    String id = "%024d".formatted(i);
                    String name = switch (i % 3) {
                        case 0 -> "Red-Dress_%02d.JPG".formatted(i);
                        case 1 -> "blue shirt %02d.png".formatted(i);
                        default -> "café-ab%02d.jpg".formatted(i);
                    };
                    Instant at = T.plusSeconds(i);
                    List<String> tags = switch (i % 5) {
                        case 0 -> List.of("Summer Sale");
                        case 1 -> List.of("summer-2024", "x");
                        default -> List.of("winter");
                    };
                    Map<String, Object> custom = i % 7 == 0 ? Map.of("rank", 2.0, "flag", true)
                            : Map.of("rank", i % 4, "label", i % 2 == 0 ? "gold" : "5");
                    w.insertFile(new StoredFile(id, "/s/" + name, "/s/", name, id, 1, at, at));
                    w.insertVersion(new FileVersion(id, id, 1, id, 1000 + i, "%032x".formatted(i), "image/jpeg", "image", 10 * i, 5 * i,
                            false, tags, null, custom, exif(i), null, i % 10 == 3, i % 10 != 4, at, at));
                }
                return null;
            });
        }
    }

    /**
     * Embedded metadata as the inspector writes it (numbers and texts), over indexed keys (Make, Model...) and others
     * (Flash), or none at all; the ISO once as a text, which a number never equals.
     */
    private static Map<String, Object> exif(int i) {
        return switch (i % 4) {
            case 0 -> null;
            case 1 -> Map.of("Make", "Canon", "Model", "EOS 5", "ISOSpeedRatings", 100 * (i % 5), "Orientation", 1, "Flash", true);
            case 2 -> Map.of("Make", i % 8 == 2 ? "Nikon" : "Sony", "ISOSpeedRatings", "400", "Artist", "A");
            default -> Map.of("Software", "GIMP");
        };
    }

    @AfterAll
    void close() {
        databases.forEach(TestDatabases::close);
    }

    @Test
    @Order(1)
    void sideIndexPlansReturnThePlainConditionsRows() {
        checkAll();
        assertThat(ids(0, "name HAS \"dress\"", 100)).hasSize(FILES / 3);
        assertThat(ids(1, "customMetadata.rank = 2", 100)).hasSize(ids(0, "customMetadata.rank = 2", 100).size()).isNotEmpty();
    }

    @Test
    @Order(2)
    void theTriggersFollowWrites() {
        for (Library library : libraries) {
            library.write(w -> {
                w.relocate("%024d".formatted(1), "/s/", "green-dress.png", T.plusSeconds(100));
                LibraryFile two = w.currentById("%024d".formatted(2)).orElseThrow();
                FileVersion v = two.version();
                w.updateVersion(new FileVersion(v.versionId(), v.fileId(), v.number(), v.blobKey(), v.size(), v.checksum(), v.mime(),
                        v.fileType(), v.width(), v.height(), v.hasAlpha(), v.tags(), v.customCoordinates(), Map.of("rank", 9),
                        v.embeddedMetadata(), v.description(), true, v.isPublished(), v.createdAt(), T.plusSeconds(100)));
                w.deleteFile("%024d".formatted(3));
                for (int i = 0; i < FILES; i += 6) {
                    String id = "%024d".formatted(i);
                    String versionId = "v2-" + id;
                    w.insertVersion(new FileVersion(versionId, id, 2, versionId, 2000 + i, "%032x".formatted(i + 1000), "image/png",
                            "image", 20, 20, false, List.of("summer"), null, Map.of("rank", 0), Map.of("Make", "Canon"), null, false, true,
                            T.plusSeconds(200 + i), T.plusSeconds(200 + i)));
                    w.setCurrentVersion(id, versionId, 2, T.plusSeconds(200 + i));
                }
                return null;
            });
        }
        // No write path edits embedded metadata today; the trigger follows one all the same.
        for (Database db : dbs) {
            String json = db.vendor() == Database.Vendor.POSTGRESQL ? "CAST(? AS json)" : "?";
            db.withConnection(c -> Sql.update(c, "UPDATE file_versions SET embedded_metadata = " + json + " WHERE version_id = ?",
                    "{\"Make\": \"Leica\"}", "%024d".formatted(2)));
        }
        checkAll();
        assertThat(ids(0, "name HAS \"green\"", 100)).containsExactly("%024d".formatted(1));
        assertThat(ids(1, "name HAS \"green\"", 100)).containsExactly("%024d".formatted(1));
        assertThat(ids(1, "customMetadata.rank = 9", 100)).containsExactly("%024d".formatted(2));
        assertThat(ids(0, "customMetadata.rank = 9", 100)).containsExactly("%024d".formatted(2));
        for (int d = 0; d < dbs.size(); d++) {
            assertThat(ids(d, "embeddedMetadata.Make = \"Leica\"", 100)).containsExactly("%024d".formatted(2));
            // 0 and 12 had none, their new versions say Canon; 1 and 5 kept theirs; 2's edit made it Leica.
            assertThat(ids(d, "embeddedMetadata.Make = \"Canon\"", 100)).contains("%024d".formatted(0), "%024d".formatted(1),
                    "%024d".formatted(5), "%024d".formatted(12)).doesNotContain("%024d".formatted(2));
        }
    }

    @Test
    void theSqlReadsTheSideIndexes() {
        for (int d = 0; d < dbs.size(); d++) {
            Database db = dbs.get(d);
            Dialect dialect = Dialect.of(db.vendor());
            db.withConnection(c -> {
                SearchSql.Hints few = new SearchSql.Hints(true, (fromWhere, params, cap) -> 0, 100_000, 100,
                        (sql, params) -> Sql.query(c, sql, rs -> rs.getString(1), params.toArray()));
                assertThat(compile("name HAS \"dress\"", dialect, few)).contains(dialect == Dialect.SQLITE ? "files_name_trigrams" : "to_tsvector");
                assertThat(compile("customMetadata.rank = 2", dialect, few)).contains("version_metadata m");
                assertThat(compile("embeddedMetadata.Make = \"Canon\"", dialect, few)).contains("version_embedded m");
                assertThat(compile("embeddedMetadata.Flash = true", dialect, few)).doesNotContain("version_embedded");
                assertThat(compile("tags HAS \"summer\"", dialect, few)).contains("version_tags t WHERE t.tag IN (?, ?").doesNotContain("LIKE");
                assertThat(compile("private = true", dialect, few)).contains("WHERE is_private = TRUE");
                assertThat(compile("type = \"file-version\"", dialect, few)).contains("version_number > 1");
                assertThat(compile("tags = \"a\" OR name = \"b\"", dialect, few)).contains(" UNION ");
                assertThat(compile("tags = \"a\" OR path = \"/x/\"", dialect, few)).doesNotContain(" UNION ");
                return null;
            });
        }
    }

    private static String compile(String query, Dialect dialect, SearchSql.Hints hints) {
        return SearchSql.compile(SearchQueryParser.parse(query), T, dialect, hints).sql();
    }

    private void checkAll() {
        for (int d = 0; d < dbs.size(); d++) {
            for (String q : QUERIES) {
                check(d, q, FileQuery.Versions.CURRENT);
            }
            for (String q : VERSION_QUERIES) {
                check(d, q, FileQuery.Versions.ANY);
            }
        }
    }

    /** Pages of one row, then one page of a hundred, both equal to the plain condition's rows in the same order. */
    private void check(int d, String search, FileQuery.Versions versions) {
        List<String> want = plain(d, search, versions);
        String label = dbs.get(d).vendor() + ": " + search;
        List<String> paged = new ArrayList<>();
        for (int skip = 0; skip <= 2 * FILES; skip++) {
            List<String> page = rows(d, search, versions, 1, skip);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(page);
        }
        assertThat(paged).as(label + ", one row a page").containsExactlyElementsOf(want);
        assertThat(rows(d, search, versions, 100, 0)).as(label + ", one page").containsExactlyElementsOf(want);
    }

    /**
     * The rows of the condition compiled without hints (no side index; the form correct for any versions, which
     * names each version's own id and times), in the listing's order.
     */
    private List<String> plain(int d, String search, FileQuery.Versions versions) {
        Database db = dbs.get(d);
        boolean current = versions == FileQuery.Versions.CURRENT;
        Expr expr = SearchQueryParser.parse(search);
        SearchSql.Condition condition = SearchSql.compile(expr, T, Dialect.of(db.vendor()), SearchSql.Hints.NONE);
        String created = current ? "f.created_at" : "v.created_at";
        String sql = "SELECT f.file_id || '/' || v.version_number FROM files f JOIN file_versions v ON v.file_id = f.file_id WHERE "
                + (current ? "v.version_id = f.current_version_id AND " : "") + "(" + condition.sql() + ") ORDER BY " + created
                + ", f.seq, v.version_number";
        return db.withConnection(c -> Sql.query(c, sql, rs -> rs.getString(1), condition.params().toArray()));
    }

    private List<String> rows(int d, String search, FileQuery.Versions versions, int limit, int skip) {
        return libraries.get(d).listFiles(new FileQuery(versions, null, null, null, null, SearchQueryParser.parse(search), T,
                FileQuery.Sort.CREATED, false, limit, skip)).stream().map(f -> f.file().fileId() + "/" + f.version().number()).toList();
    }

    private List<String> ids(int d, String search, int limit) {
        return rows(d, search, FileQuery.Versions.CURRENT, limit, 0).stream().map(r -> r.substring(0, r.indexOf('/'))).toList();
    }
}

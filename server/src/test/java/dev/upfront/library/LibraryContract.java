package dev.upfront.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.ids.Ids;
import dev.upfront.library.search.SearchQueryParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link Library} implementation promises, run against each of them on a fresh database per class.
 * "Instances" are separate {@link #newInstance()} libraries on the same database, as separate server processes
 * would be: writes to one path serialise across them, version numbers and limits hold, insertion order is unique.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LibraryContract {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    /** A library on this class's database, with its own connections (another "instance"). */
    protected abstract Library newInstance();

    private Library library;

    @BeforeAll
    void openFirstInstance() {
        library = newInstance();
    }

    @Test
    void aFileIsFoundByPathAndIdWithEveryVersion() {
        assertThat(upload(library, "/found/a.txt", 10, Map.of())).isTrue();
        assertThat(upload(library, "/found/a.txt", 10, Map.of())).isTrue();
        LibraryFile current = library.findByPath("/found/a.txt").orElseThrow();
        assertThat(current.version().number()).isEqualTo(2);
        assertThat(library.findById(current.file().fileId()).orElseThrow().version()).isEqualTo(current.version());
        assertThat(library.versions(current.file().fileId())).extracting(f -> f.version().number()).containsExactly(1, 2);
        LibraryFile first = library.versions(current.file().fileId()).getFirst();
        assertThat(library.findVersion(first.version().versionId()).orElseThrow().version()).isEqualTo(first.version());
        assertThat(library.findVersion(current.file().fileId(), first.version().versionId())).isPresent();
        assertThat(library.findVersion("no-such-version")).isEmpty();
        assertThat(library.findFolder("/found/")).isPresent();
        assertThat(library.findByPath("/found/b.txt")).isEmpty();
    }

    @Test
    void writesToOnePathFromSeveralInstancesAreAppliedOneAfterTheOther() throws Exception {
        List<Library> instances = List.of(library, newInstance());
        List<Boolean> results = concurrently(40, i -> upload(instances.get(i % 2), "/storm/one.txt", 1_000, Map.of()));
        assertThat(results).containsOnly(true);
        LibraryFile file = library.findByPath("/storm/one.txt").orElseThrow();
        assertThat(library.versions(file.file().fileId())).extracting(f -> f.version().number())
                .as("gap-free, none lost").containsExactlyElementsOf(range(1, 40));
        assertThat(file.file().lastVersionNumber()).isEqualTo(40);
    }

    @Test
    void theVersionLimitHoldsAcrossInstances() throws Exception {
        List<Library> instances = List.of(library, newInstance());
        List<Boolean> results = concurrently(24, i -> upload(instances.get(i % 2), "/limit/one.txt", 10, Map.of()));
        assertThat(results.stream().filter(r -> r).count()).isEqualTo(10);
        String fileId = library.findByPath("/limit/one.txt").orElseThrow().file().fileId();
        assertThat(library.versions(fileId)).extracting(f -> f.version().number()).containsExactlyElementsOf(range(1, 10));
    }

    @Test
    void newFilesFromSeveralInstancesPageWithoutOverlapOrGap() throws Exception {
        List<Library> instances = List.of(library, newInstance());
        concurrently(30, i -> upload(instances.get(i % 2), "/many/f" + i + ".txt", 1, Map.of()));
        List<String> paged = new ArrayList<>();
        for (int skip = 0; skip < 30; skip += 7) {
            library.listFiles(query("/many/", null, 7, skip)).forEach(f -> paged.add(f.file().filePath()));
        }
        assertThat(paged).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void pathsCompareByteByByte() {
        for (String path : List.of("/a/x.txt", "/a/b/x.txt", "/a-b/x.txt", "/a0/x.txt", "/A/x.txt", "/ab/x.txt")) {
            upload(library, "/bytes" + path, 1, Map.of());
        }
        assertThat(paths(query("/bytes/a/", null, 100, 0))).containsExactlyInAnyOrder("/bytes/a/x.txt", "/bytes/a/b/x.txt");
        assertThat(paths(query(null, "path : \"/bytes/a\"", 100, 0))).containsExactlyInAnyOrder("/bytes/a/x.txt", "/bytes/a/b/x.txt");
        assertThat(paths(query(null, "filePath : \"/bytes/a\"", 100, 0))).hasSize(5).doesNotContain("/bytes/A/x.txt");
        FileQuery byName = new FileQuery(FileQuery.Versions.CURRENT, "/bytes/", null, null, null, null, T,
                FileQuery.Sort.NAME, false, 100, 0);
        assertThat(library.listFiles(byName)).extracting(f -> f.file().folderPath())
                .as("same name: insertion order").containsExactly("/bytes/a/", "/bytes/a/b/", "/bytes/a-b/", "/bytes/a0/", "/bytes/A/", "/bytes/ab/");
    }

    @Test
    void searchReadsCustomMetadataAndFlagsTheSameWayEverywhere() {
        upload(library, "/search/cheap.txt", 1, Map.of("price", 10, "brand", "acme", "sale", true));
        upload(library, "/search/dear.txt", 1, Map.of("price", 120.5, "brand", "Bolt", "sale", false));
        upload(library, "/search/text-price.txt", 1, Map.of("price", "10", "brand", "acme-pro"));
        upload(library, "/search/plain.txt", 1, Map.of());
        assertThat(names("\"customMetadata.price\" > 50")).containsExactly("dear.txt");
        assertThat(names("\"customMetadata.price\" = 10")).containsExactly("cheap.txt");
        assertThat(names("\"customMetadata.price\" = \"10\"")).containsExactly("text-price.txt");
        assertThat(names("\"customMetadata.price\" IN [10, 120.5]")).containsExactlyInAnyOrder("cheap.txt", "dear.txt");
        assertThat(names("\"customMetadata.brand\" : \"acme\"")).containsExactlyInAnyOrder("cheap.txt", "text-price.txt");
        assertThat(names("\"customMetadata.brand\" : \"bolt\"")).as("prefixes are case-sensitive").isEmpty();
        assertThat(names("\"customMetadata.sale\" = true")).containsExactly("cheap.txt");
        assertThat(names("\"customMetadata.brand\" != \"acme\"")).containsExactlyInAnyOrder("dear.txt", "text-price.txt", "plain.txt");
        assertThat(names("published = true AND private = false AND name : \"c\"")).containsExactly("cheap.txt");
        assertThat(names("transparency = false")).hasSize(4);
        assertThat(names("size >= \"1kb\"")).isEmpty();
        assertThat(names("createdAt > \"1d\"")).hasSize(4);
        assertThat(names("createdAt < \"1d\"")).isEmpty();
        assertThat(names("\"customMetadata.price\" < 50")).as("numbers only: text never orders against a number").containsExactly("cheap.txt");
        assertThat(names("\"customMetadata.brand\" > \"B\"")).containsExactlyInAnyOrder("cheap.txt", "dear.txt", "text-price.txt");
    }

    @Test
    void searchMatchesWordsPresenceIdsAndEmbeddedMetadataTheSameWayEverywhere() {
        String a = put("/words/red-dress_Summer.jpg", List.of("Beach Wear"), Map.of("brand", "Acme Pro"),
                Map.of("Make", "Upfront Camera Co", "Keywords", "sea;sun;Beach", "DateTimeOriginal", "2021:06:01 10:00:00"));
        String b = put("/words/blue.txt", null, Map.of(), null);
        String c = put("/words/\u00c4pfel-rot.png", List.of("x"), Map.of("brand", 5),
                Map.of("Make", "Other", "DateTimeOriginal", "2019:01:01 00:00:00"));
        assertThat(ids("name HAS \"dress\"")).containsExactly(a);
        assertThat(ids("name HAS \"SUMMER\"")).containsExactly(a);
        assertThat(ids("name HAS \"red sum\"")).as("the last word may be a beginning").containsExactly(a);
        assertThat(ids("name HAS \"ress\"")).as("whole words, not substrings").isEmpty();
        assertThat(ids("name HAS \"sum red\"")).as("only the last word is a beginning").isEmpty();
        assertThat(ids("name HAS \"\u00c4pfel ROT\"")).containsExactly(c);
        assertThat(ids("name HAS \"\u00e4pfel\"")).as("case folds for ASCII letters only, on every database").isEmpty();
        assertThat(ids("tags HAS \"wear\"")).containsExactly(a);
        assertThat(ids("tags EXISTS")).containsExactlyInAnyOrder(a, c);
        assertThat(ids("tags NOT EXISTS")).containsExactly(b);
        assertThat(ids("\"customMetadata.brand\" HAS \"pro\"")).as("text values only").containsExactly(a);
        assertThat(ids("\"customMetadata.brand\" EXISTS")).containsExactlyInAnyOrder(a, c);
        assertThat(ids("\"customMetadata.brand\" NOT EXISTS")).containsExactly(b);
        assertThat(ids("\"embeddedMetadata.Make\" = \"Other\"")).containsExactly(c);
        assertThat(ids("\"embeddedMetadata.Make\" : \"Up\"")).containsExactly(a);
        assertThat(ids("\"embeddedMetadata.Make\" HAS \"camera\"")).containsExactly(a);
        assertThat(ids("\"embeddedMetadata.Make\" EXISTS")).containsExactlyInAnyOrder(a, c);
        assertThat(ids("\"embeddedMetadata.Make\" NOT EXISTS")).containsExactly(b);
        assertThat(ids("\"embeddedMetadata.Keywords\" IN [\"sun\", \"moon\"]")).containsExactly(a);
        assertThat(ids("\"embeddedMetadata.Keywords\" = \"Beach\"")).containsExactly(a);
        assertThat(ids("\"embeddedMetadata.Keywords\" IN [\"su\"]")).as("whole keywords").isEmpty();
        assertThat(ids("\"embeddedMetadata.Keywords\" NOT IN [\"sun\"]")).containsExactlyInAnyOrder(b, c);
        assertThat(ids("\"embeddedMetadata.DateTimeOriginal\" > \"2020-01-01\"")).containsExactly(a);
        assertThat(ids("\"embeddedMetadata.DateTimeOriginal\" <= 2019-01-01T00:00:00")).containsExactly(c);
        assertThat(ids("\"embeddedMetadata.DateTimeOriginal\" > \"100y\"")).containsExactlyInAnyOrder(a, c);
        assertThat(ids("id = \"" + a + "\"")).containsExactly(a);
        assertThat(ids("id IN [\"" + a + "\", \"" + c + "\"]")).containsExactlyInAnyOrder(a, c);
        assertThat(ids("id NOT IN [\"" + a + "\"]")).containsExactlyInAnyOrder(b, c);
        assertThat(ids("tags NOT EXISTS OR name HAS \"rot\"")).containsExactlyInAnyOrder(b, c);
    }

    @Test
    void operatorsAFieldDoesNotTakeAreRefused() {
        for (String q : List.of("name EXISTS", "size HAS \"1\"", "format HAS \"png\"", "id : \"a\"", "id > \"a\"",
                "name HAS \"--\"", "\"embeddedMetadata.a.b\" EXISTS", "\"embeddedMetadata.DateTimeOriginal\" > \"soon\"")) {
            FileQuery query = new FileQuery(FileQuery.Versions.CURRENT, null, null, null, null, SearchQueryParser.parse(q), T,
                    FileQuery.Sort.CREATED, false, 10, 0);
            assertThatThrownBy(() -> library.listFiles(query)).as(q).isInstanceOf(SearchQueryParser.SyntaxError.class);
        }
    }

    @Test
    void aVersionKeepsItsDescriptionAndMediaMetadata() {
        String id = put("/described/v.mp4", null, Map.of(), null);
        LibraryFile f = library.findById(id).orElseThrow();
        assertThat(f.version().mediaMetadata()).isEqualTo(Map.of("duration", 2, "videoCodec", "h264"));
        FileVersion v = f.version();
        library.write(w -> {
            w.updateVersion(new FileVersion(v.versionId(), v.fileId(), v.number(), v.blobKey(), v.size(), v.checksum(), v.mime(), v.fileType(),
                    v.width(), v.height(), v.hasAlpha(), v.tags(), v.customCoordinates(), v.customMetadata(), v.embeddedMetadata(),
                    "Running shoes", v.isPrivate(), v.isPublished(), v.createdAt(), T.plusSeconds(5), v.mediaMetadata()));
            return null;
        });
        assertThat(library.findById(id).orElseThrow().version().description()).isEqualTo("Running shoes");
        assertThat(library.findById(id).orElseThrow().version().mediaMetadata()).isEqualTo(Map.of("duration", 2, "videoCodec", "h264"));
    }

    @Test
    void foldersUnderAPrefixAreTheFolderAndItsSubfoldersOnly() {
        library.write(w -> {
            w.ensureFolder("/tree/empty/deeper/", T);
            w.ensureFolder("/tree/other/", T);
            w.ensureFolder("/tree-sibling/", T);
            return null;
        });
        List<String> tree = library.write(w -> w.foldersUnder("/tree/"));
        assertThat(tree).containsExactly("/tree/", "/tree/empty/", "/tree/empty/deeper/", "/tree/other/");
        List<String> none = library.write(w -> w.foldersUnder("/no-such-tree/"));
        assertThat(none).isEmpty();
    }

    @Test
    void renamingAFolderMovesEverythingBelowItAndKeepsIds() {
        String x = put("/old/x.txt", null, Map.of(), null);
        upload(library, "/old/x.txt", 10, Map.of());
        String y = put("/old/deep/y.txt", null, Map.of(), null);
        String sibling = put("/old-too/z.txt", null, Map.of(), null);
        String folderId = library.findFolder("/old/deep/").orElseThrow().folderId();
        library.write(w -> {
            w.lockAll();
            w.renameFolder("/old/", "/new/", T.plusSeconds(60));
            return null;
        });
        assertThat(library.findById(x).orElseThrow().file().filePath()).isEqualTo("/new/x.txt");
        assertThat(library.findById(x).orElseThrow().file().folderPath()).isEqualTo("/new/");
        assertThat(library.versions(x)).hasSize(2);
        assertThat(library.findByPath("/new/deep/y.txt").orElseThrow().file().fileId()).isEqualTo(y);
        assertThat(library.findByPath("/old/x.txt")).isEmpty();
        assertThat(library.findById(sibling).orElseThrow().file().filePath()).isEqualTo("/old-too/z.txt");
        assertThat(library.findFolder("/old/")).isEmpty();
        assertThat(library.findFolder("/new/").orElseThrow().name()).isEqualTo("new");
        assertThat(library.findFolder("/new/deep/").orElseThrow().folderId()).isEqualTo(folderId);
        assertThat(library.listFolders("/new/", null, 10, 0)).extracting(Folder::folderPath).containsExactly("/new/deep/");
        assertThat(library.listFolders("/", null, 100, 0)).extracting(Folder::folderPath).contains("/new/", "/old-too/")
                .doesNotContain("/old/");
    }

    @Test
    void anUnknownSearchFieldIsRefused() {
        FileQuery q = new FileQuery(FileQuery.Versions.CURRENT, null, null, null, null,
                SearchQueryParser.parse("colour = \"red\""), T, FileQuery.Sort.CREATED, false, 10, 0);
        assertThatThrownBy(() -> library.listFiles(q)).isInstanceOf(SearchQueryParser.SyntaxError.class).hasMessageContaining("colour");
    }

    @Test
    void changesSpanningTwoPathsNeverWaitOnEachOther() throws Exception {
        upload(library, "/swap/x.txt", 1, Map.of());
        upload(library, "/swap/y.txt", 1, Map.of());
        List<Library> instances = List.of(library, newInstance());
        // Each pass locks both paths, in opposite orders on the two instances, and touches both files.
        concurrently(20, i -> instances.get(i % 2).write(w -> {
            w.lockPaths(i % 2 == 0 ? List.of("/swap/x.txt", "/swap/y.txt") : List.of("/swap/y.txt", "/swap/x.txt"));
            for (String path : i % 2 == 0 ? List.of("/swap/x.txt", "/swap/y.txt") : List.of("/swap/y.txt", "/swap/x.txt")) {
                LibraryFile f = w.currentByPath(path).orElseThrow();
                w.relocate(f.file().fileId(), "/swap/", f.file().name(), T);
            }
            return true;
        }));
        assertThat(library.findByPath("/swap/x.txt")).isPresent();
    }

    @Test
    void aBatchCommitsTogetherAndAFailedWorkRollsBackAlone() {
        aBatchCommitsTogether("/batch/", false);
    }

    @Test
    void aBatchWhoseWorksNameThePathsTheyReadFirstCommitsTogetherAndAFailedWorkRollsBackAlone() {
        aBatchCommitsTogether("/named/", true);
    }

    /** @param named whether the works' paths are named to writeEach, as the group commit names them */
    private void aBatchCommitsTogether(String dir, boolean named) {
        List<Function<Library.Writer, Boolean>> works = List.of(
                refusingUpload(dir + "a.txt", 2),
                refusingUpload(dir + "a.txt", 2),
                refusingUpload(dir + "a.txt", 2),
                w -> {
                    w.ensureFolder(dir + "refused/", T);
                    throw new IllegalArgumentException("refused");
                },
                refusingUpload(dir + "b.txt", 2));
        List<Library.Outcome<Boolean>> outcomes = named
                ? library.writeEach(works, Arrays.asList(dir + "a.txt", dir + "a.txt", dir + "a.txt", null, dir + "b.txt"), () -> {})
                : library.writeEach(works);
        assertThat(outcomes).extracting(Library.Outcome::value).containsExactly(true, true, null, null, true);
        assertThat(outcomes.get(2).failure()).hasMessage("version limit");
        assertThat(outcomes.get(3).failure()).hasMessage("refused");
        assertThat(library.findFolder(dir + "refused/")).as("the failed work's changes").isEmpty();
        String a = library.findByPath(dir + "a.txt").orElseThrow().file().fileId();
        assertThat(library.versions(a)).extracting(f -> f.version().number()).containsExactly(1, 2);
        assertThat(library.findByPath(dir + "b.txt")).isPresent();
    }

    @Test
    void batchesInPathOrderFromSeveralInstancesKeepVersionsAndLimits() throws Exception {
        List<Library> instances = List.of(library, newInstance());
        // Every batch writes the shared paths (in path order) and a path of its own; 16 x 2 works on the shared path.
        // Half the batches name the paths their works read first, as the group commit does.
        List<List<Library.Outcome<Boolean>>> batches = concurrently(16, i -> {
            List<String> paths = List.of("/group/a-shared.txt", "/group/a-shared.txt", "/group/own-" + i + ".txt", "/group/z-shared.txt");
            List<Function<Library.Writer, Boolean>> works = List.of(
                    refusingUpload(paths.get(0), 10),
                    refusingUpload(paths.get(1), 10),
                    refusingUpload(paths.get(2), 10),
                    refusingUpload(paths.get(3), 40));
            return i % 4 < 2 ? instances.get(i % 2).writeEach(works) : instances.get(i % 2).writeEach(works, paths, () -> {});
        });
        long sharedOk = batches.stream().flatMap(b -> b.subList(0, 2).stream()).filter(o -> o.failure() == null).count();
        assertThat(sharedOk).as("versions within the limit").isEqualTo(10);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.get(2).value()).isTrue();
            assertThat(b.get(3).value()).isTrue();
        });
        String shared = library.findByPath("/group/a-shared.txt").orElseThrow().file().fileId();
        assertThat(library.versions(shared)).extracting(f -> f.version().number()).containsExactlyElementsOf(range(1, 10));
        String other = library.findByPath("/group/z-shared.txt").orElseThrow().file().fileId();
        assertThat(library.versions(other)).extracting(f -> f.version().number()).containsExactlyElementsOf(range(1, 16));
    }

    @Test
    void lockAllMustComeFirst() {
        assertThatThrownBy(() -> library.write(w -> {
            w.currentByPath("/first/a.txt");
            w.lockAll();
            return null;
        })).isInstanceOf(IllegalStateException.class);
        Optional<LibraryFile> read = library.write(w -> {
            w.lockAll();
            return w.currentByPath("/first/a.txt");
        });
        assertThat(read).isEmpty();
    }

    @Test
    void aFailedWriteLeavesNothingBehind() {
        assertThatThrownBy(() -> library.write(w -> {
            w.ensureFolder("/rolled/back/", T);
            throw new IllegalArgumentException("refused");
        })).hasMessage("refused");
        assertThat(library.findFolder("/rolled/")).isEmpty();
    }

    @Test
    void deletingAFileReleasesItsBlobs() {
        upload(library, "/gone/a.txt", 5, Map.of());
        upload(library, "/gone/a.txt", 5, Map.of());
        LibraryFile f = library.findByPath("/gone/a.txt").orElseThrow();
        List<String> keys = library.write(w -> w.deleteFile(f.file().fileId()));
        assertThat(keys).hasSize(2);
        assertThat(library.unreferencedBlobKeys(keys)).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(library.findByPath("/gone/a.txt")).isEmpty();
    }

    @Test
    void customFieldsKeepTheirDeletedFlag() {
        library.write(w -> {
            w.insertCustomField(new CustomField(Ids.objectId(), "kept", "Kept", Map.of("type", "Text"), false), T);
            w.insertCustomField(new CustomField(Ids.objectId(), "dropped", "Dropped", Map.of("type", "Number"), true), T);
            return null;
        });
        assertThat(library.customFields(false)).extracting(CustomField::name).contains("kept").doesNotContain("dropped");
        assertThat(library.customFields(true)).extracting(CustomField::name).contains("kept", "dropped");
        assertThat(library.customFields(true)).filteredOn(c -> c.name().equals("dropped")).first()
                .extracting(CustomField::schema).isEqualTo(Map.of("type", "Number"));
    }

    @Test
    void theOverviewTotalsCurrentVersionsByFormatAndTopFolderAndCountsUploadsPerUtcDay() {
        Instant day1 = Instant.parse("2025-06-01T00:00:00Z");
        put("/ovw-top/a/one.ov", 100, day1.plusSeconds(10 * 3600));
        put("/ovw-top/two.ov", 50, day1.plusSeconds(23 * 3600 + 3599));
        put("/ovw-top/two.ov", 70, day1.plusSeconds(2 * 86400 + 60)); // a new version: counted as an upload, 70 B current
        put("/ovw-top/early.ov", 5, day1.minusSeconds(1));             // in the totals, before the days counted
        put("/ovw-root.ov", 7, day1.plusSeconds(3600));

        LibraryOverview o = library.overview(day1);
        assertThat(o.byTopFolder()).contains(new LibraryOverview.Bucket("/ovw-top/", 3, 175));
        assertThat(o.byTopFolder()).filteredOn(b -> b.key().equals("/")).singleElement()
                .satisfies(root -> assertThat(root.files()).isPositive());
        assertThat(o.byTopFolder()).extracting(LibraryOverview.Bucket::key).doesNotHaveDuplicates()
                .allMatch(k -> k.equals("/") || k.matches("/[^/]+/"));
        assertThat(o.byFormat()).contains(new LibraryOverview.Bucket("ov", 4, 182));
        long first = day1.getEpochSecond() / 86400;
        assertThat(o.uploadsPerDay()).contains(new LibraryOverview.Day(first, 3), new LibraryOverview.Day(first + 2, 1))
                .noneMatch(d -> d.epochDay() < first || d.epochDay() == first + 1);
        assertThat(library.overview(Instant.parse("2099-01-01T00:00:00Z")).uploadsPerDay()).isEmpty();
    }

    @Test
    void answersWhenReady() {
        assertThat(library.ready()).isTrue();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** A new version of {@code path} (the file created if missing), as an upload makes it; false at the limit. */
    private static boolean upload(Library lib, String path, int maxVersions, Map<String, Object> customMetadata) {
        return lib.write(uploadWork(path, maxVersions, customMetadata));
    }

    /** As {@link #upload}, but refusing at the limit by throwing (an upload's refusal inside a batch). */
    private static Function<Library.Writer, Boolean> refusingUpload(String path, int maxVersions) {
        Function<Library.Writer, Boolean> work = uploadWork(path, maxVersions, Map.of());
        return w -> {
            if (!work.apply(w)) {
                throw new IllegalStateException("version limit");
            }
            return true;
        };
    }

    private static Function<Library.Writer, Boolean> uploadWork(String path, int maxVersions, Map<String, Object> customMetadata) {
        String versionId = Ids.objectId();
        return w -> {
            Optional<LibraryFile> existing = w.currentByPath(path);
            if (existing.isPresent() && w.countVersions(existing.get().file().fileId()) >= maxVersions) {
                return false;
            }
            String folder = path.substring(0, path.lastIndexOf('/') + 1);
            StoredFile file = existing.map(LibraryFile::file).orElseGet(() ->
                    new StoredFile(versionId, path, folder, path.substring(folder.length()), versionId, 1, T, T));
            int number = existing.isPresent() ? file.lastVersionNumber() + 1 : 1;
            if (existing.isEmpty()) {
                w.ensureFolder(folder, T);
                w.insertFile(file);
            }
            w.insertVersion(new FileVersion(versionId, file.fileId(), number, versionId, 100, "00", "text/plain", "non-image",
                    null, null, null, List.of("t"), null, customMetadata, null, null, false, true, T, T));
            w.setCurrentVersion(file.fileId(), versionId, number, T);
            return true;
        };
    }

    /** A new file at {@code path} with the given attributes (a video's media metadata on .mp4); returns its id. */
    private String put(String path, List<String> tags, Map<String, Object> customMetadata, Map<String, Object> embedded) {
        String id = Ids.objectId();
        String folder = path.substring(0, path.lastIndexOf('/') + 1);
        Map<String, Object> media = path.endsWith(".mp4") ? Map.of("duration", 2, "videoCodec", "h264") : null;
        library.write(w -> {
            w.ensureFolder(folder, T);
            w.insertFile(new StoredFile(id, path, folder, path.substring(folder.length()), id, 1, T, T));
            w.insertVersion(new FileVersion(id, id, 1, id, 100, "00", "text/plain", "non-image", null, null, null, tags, null,
                    customMetadata, embedded, null, false, true, T, T, media));
            w.setCurrentVersion(id, id, 1, T);
            return null;
        });
        return id;
    }

    /** The ids of the files under /words/ that {@code search} finds. */
    private List<String> ids(String search) {
        return library.listFiles(query("/words/", search, 100, 0)).stream().map(f -> f.file().fileId()).toList();
    }

    /** A new version of {@code path} (type application/x-ov, format 'ov') of {@code size} bytes created {@code at}. */
    private void put(String path, long size, Instant at) {
        String versionId = Ids.objectId();
        library.write(w -> {
            Optional<LibraryFile> existing = w.currentByPath(path);
            String folder = path.substring(0, path.lastIndexOf('/') + 1);
            StoredFile file = existing.map(LibraryFile::file).orElseGet(() ->
                    new StoredFile(versionId, path, folder, path.substring(folder.length()), versionId, 1, at, at));
            int number = existing.isPresent() ? file.lastVersionNumber() + 1 : 1;
            if (existing.isEmpty()) {
                w.ensureFolder(folder, at);
                w.insertFile(file);
            }
            w.insertVersion(new FileVersion(versionId, file.fileId(), number, versionId, size, "00", "application/x-ov", "non-image",
                    null, null, null, null, null, Map.of(), null, null, false, true, at, at));
            w.setCurrentVersion(file.fileId(), versionId, number, at);
            return null;
        });
    }

    private static FileQuery query(String folderPrefix, String search, int limit, int skip) {
        return new FileQuery(FileQuery.Versions.CURRENT, folderPrefix, null, null, null,
                search == null ? null : SearchQueryParser.parse(search), T, FileQuery.Sort.CREATED, false, limit, skip);
    }

    private List<String> paths(FileQuery q) {
        return library.listFiles(q).stream().map(f -> f.file().filePath()).toList();
    }

    private List<String> names(String search) {
        return paths(query("/search/", search, 100, 0)).stream().map(p -> p.substring("/search/".length())).toList();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    private interface Task<T> {
        T run(int i) throws Exception;
    }

    /** Runs {@code n} tasks on 8 threads; every task's result, or the first failure. */
    private static <T> List<T> concurrently(int n, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.run(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

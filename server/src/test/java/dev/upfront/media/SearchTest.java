package dev.upfront.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /v1/files} (reference §7) over a socket against one fixed library: every searchQuery field and
 * operator, AND / OR / parentheses, the plain parameters, every sort, and the 400s. Every assertion compares the
 * exact set (or, for sorts and pages, the exact order) of returned files.
 *
 * <p>The library is built in three phases separated by whole-second instants {@link #t1} and {@link #t2}, so date
 * queries can name them: phase 1 uploads, phase 2 uploads (and a second version of {@code vers.txt}), phase 3
 * only edits the tags of {@code root.txt} and {@code red-dress.png}. Consecutive operations are a few
 * milliseconds apart, so no two timestamps tie.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchTest {
    static TestServer server;
    static Instant t1;
    static Instant t2;

    /** What the test knows about each file (its current version). */
    record F(String name, String folder, String fileId, String format, long size, Integer width, Integer height,
             boolean isPrivate, boolean published, int created, int updated) {}

    static final Map<String, F> files = new LinkedHashMap<>();
    static final Map<String, String> nameById = new HashMap<>();
    static int ops;

    /** What the server is started with on top of the test defaults (a subclass runs every case on another database). */
    Map<String, String> environment() {
        return Map.of();
    }

    @BeforeAll
    void start() throws Exception {
        files.clear();
        nameById.clear();
        ops = 0;
        server = TestServer.start(environment());
        createField("brand", "Brand", "Text");
        createField("price", "Price", "Number");
        createField("item-code", "Item code", "Text");

        // Phase 1
        upload("root.txt", "/", text(100), Map.of());
        upload("red-dress.png", "/shop/", Images.png(100, 50), Map.of("tags", "summer,dress",
                "customMetadata", "{\"brand\":\"acme\",\"price\":25}"));
        upload("Red-shoe.jpg", "/shop/", Images.jpeg(300, 200), Map.of("tags", "winter,shoe",
                "customMetadata", "{\"brand\":\"bolt\",\"price\":120.5,\"item-code\":\"X1\"}"));
        upload("blue-dress.gif", "/shop/", Images.gif(64, 64), Map.of("tags", "summer",
                "customMetadata", "{\"brand\":\"acme-pro\",\"price\":80}"));
        upload("notes.txt", "/shop/", text(2000), Map.of("tags", "doc"));
        upload("Zebra.png", "/shop/", Images.png(10, 10), Map.of());
        upload("red-hat.png", "/shop/archive/", Images.png(800, 600), Map.of("tags", "winter,hat",
                "customMetadata", "{\"brand\":\"Acme\"}"));
        upload("old.txt", "/shop/archive/", text(5000), Map.of("tags", "doc,old", "isPrivateFile", "true"));
        upload("deep.jpg", "/shop/archive/deep/", Images.jpeg(20, 30), Map.of("isPublished", "false"));
        upload("x-large.jpg", "/", Images.jpeg(640, 480), Map.of("tags", "hero"));
        upload("vers.txt", "/media/", text(1024), Map.of("tags", "v1tag"));
        t1 = nextWholeSecond();

        // Phase 2
        upload("banner.png", "/media/", Images.png(1200, 400), Map.of("tags", "summer,banner", "customMetadata", "{\"price\":0}"));
        upload("vers.txt", "/media/", text(10_240), Map.of("tags", "v2tag")); // version 2 of the same file
        upload("summer.gif", "/media/", Images.gif(200, 100), Map.of("tags", "summer"));
        upload("cart.jpg", "/shopping/", Images.jpeg(50, 50), Map.of("tags", "shoe"));
        upload("readme.txt", "/shopping/", text(1500), Map.of());
        upload("sale_1.txt", "/media/", text(300), Map.of());
        upload("salex1.txt", "/media/", text(301), Map.of());
        t2 = nextWholeSecond();

        // Phase 3: edits only
        patchTags("root.txt", "patched");
        patchTags("red-dress.png", "summer", "dress", "patched");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // --- fixture helpers -------------------------------------------------------------------------------------------

    static byte[] text(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'a');
        return b;
    }

    static void createField(String name, String label, String type) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/v1/customMetadataFields"))
                .header("Authorization", TestServer.basic()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("name", name, "label", label, "schema", Map.of("type", type)))))
                .build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    static void upload(String name, String folder, byte[] content, Map<String, String> fields) throws Exception {
        String mime = name.endsWith(".png") ? "image/png" : name.endsWith(".jpg") ? "image/jpeg" : name.endsWith(".gif") ? "image/gif" : "text/plain";
        Multipart m = new Multipart().field("fileName", name).field("folder", folder).field("useUniqueFileName", "false")
                .fields(fields).file("file", name, mime, content);
        HttpResponse<String> r = server.upload(m, "Authorization", TestServer.basic());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Json.parse(r.body());
        int op = ++ops;
        F previous = files.get(name);
        String format = name.substring(name.lastIndexOf('.') + 1);
        F f = new F(name, folder, body.get("fileId").asText(), format, body.get("size").asLong(),
                body.has("width") ? body.get("width").asInt() : null, body.has("height") ? body.get("height").asInt() : null,
                "true".equals(fields.get("isPrivateFile")), !"false".equals(fields.get("isPublished")),
                previous == null ? op : previous.created(), op);
        assertThat(f.size()).isEqualTo(name.endsWith(".txt") ? content.length : f.size());
        files.put(name, f);
        nameById.put(f.fileId(), name);
        Thread.sleep(4);
    }

    static void patchTags(String name, String... tags) throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/v1/files/" + files.get(name).fileId() + "/details"))
                .header("Authorization", TestServer.basic()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(Json.write(Map.of("tags", List.of(tags))))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Instant.parse(Json.parse(r.body()).get("updatedAt").asText())).as("the edit is the file's last update").isAfterOrEqualTo(t2);
        F f = files.get(name);
        files.put(name, new F(f.name(), f.folder(), f.fileId(), f.format(), f.size(), f.width(), f.height(), f.isPrivate(),
                f.published(), f.created(), ++ops));
        Thread.sleep(4);
    }

    /** Waits until just past the next whole second and returns that second. */
    static Instant nextWholeSecond() throws InterruptedException {
        Instant boundary = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(Math.max(0, boundary.toEpochMilli() - System.currentTimeMillis()) + 20);
        return boundary;
    }

    static String iso(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
    }

    // --- request helpers -------------------------------------------------------------------------------------------

    static HttpResponse<String> list(String query) {
        return server.get("/v1/files" + (query.isEmpty() ? "" : "?" + query), "Authorization", TestServer.basic());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The labels of a 200 answer, in order: a file's name, {@code name@N} for version N, {@code folder:/path}. */
    static List<String> labels(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode n : Json.parse(r.body())) {
            String type = n.get("type").asText();
            if (type.equals("folder")) {
                out.add("folder:" + n.get("folderPath").asText());
                continue;
            }
            String name = nameById.get(n.get("fileId").asText());
            assertThat(name).as("unknown fileId in " + n).isNotNull();
            if (type.equals("file-version")) {
                out.add(name + "@" + n.get("versionInfo").get("name").asText().replace("Version ", ""));
            } else {
                assertThat(type).isEqualTo("file");
                out.add(name);
            }
        }
        return out;
    }

    static List<String> search(String query) throws Exception {
        return labels(list("searchQuery=" + enc(query)));
    }

    static void assertSearch(String query, String... expected) throws Exception {
        assertThat(search(query)).as(query).containsExactlyInAnyOrder(expected);
    }

    static void assertSearch(String query, Predicate<F> expected) throws Exception {
        assertSearch(query, where(expected));
    }

    static String[] where(Predicate<F> p) {
        return files.values().stream().filter(p).map(F::name).toArray(String[]::new);
    }

    static String[] all() {
        return where(f -> true);
    }

    static String[] allBut(String... names) {
        List<String> excluded = List.of(names);
        return where(f -> !excluded.contains(f.name()));
    }

    static void assertError(HttpResponse<String> r, String code, String... messageParts) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("code").asText()).as(r.body()).isEqualTo(code);
        for (String part : messageParts) {
            assertThat(body.get("message").asText()).contains(part);
        }
    }

    static void assertBadQuery(String query, String... messageParts) throws Exception {
        assertError(list("searchQuery=" + enc(query)), "INVALID_SEARCH_QUERY", messageParts);
    }

    // --- name ------------------------------------------------------------------------------------------------------

    @Test
    void nameEquals() throws Exception {
        assertSearch("name = \"red-dress.png\"", "red-dress.png");
        assertSearch("name = 'Zebra.png'", "Zebra.png");
        assertSearch("name = \"zebra.png\""); // case-sensitive
        assertSearch("name = \"red\"");
    }

    @Test
    void nameNotEquals() throws Exception {
        assertSearch("name NOT = \"root.txt\"", allBut("root.txt"));
        assertSearch("name != \"root.txt\"", allBut("root.txt"));
    }

    @Test
    void namePrefixIsCaseSensitive() throws Exception {
        assertSearch("name : \"red\"", "red-dress.png", "red-hat.png");
        assertSearch("name : \"Red\"", "Red-shoe.jpg");
        assertSearch("name : \"red-dress.png\"", "red-dress.png");
        assertSearch("name : \"\"", all());
    }

    @Test
    void namePrefixTreatsLikeWildcardsAsText() throws Exception {
        assertSearch("name : \"sale_\"", "sale_1.txt");
        assertSearch("name : \"sale\"", "sale_1.txt", "salex1.txt");
        assertSearch("name : \"%\"");
    }

    @Test
    void nameInAndNotIn() throws Exception {
        assertSearch("name IN [\"root.txt\", \"cart.jpg\", \"nope.txt\"]", "root.txt", "cart.jpg");
        assertSearch("name NOT IN [\"root.txt\", \"cart.jpg\"]", allBut("root.txt", "cart.jpg"));
    }

    // --- tags ------------------------------------------------------------------------------------------------------

    @Test
    void tagsIn() throws Exception {
        assertSearch("tags IN [\"summer\"]", "red-dress.png", "blue-dress.gif", "banner.png", "summer.gif");
        assertSearch("tags IN [\"winter\", \"doc\"]", "Red-shoe.jpg", "red-hat.png", "notes.txt", "old.txt");
        assertSearch("tags IN [\"Summer\"]"); // tags are case-sensitive
        assertSearch("tags IN [\"patched\"]", "root.txt", "red-dress.png");
    }

    @Test
    void tagsNotInKeepsUntaggedFiles() throws Exception {
        assertSearch("tags NOT IN [\"summer\", \"doc\"]", allBut("red-dress.png", "blue-dress.gif", "banner.png", "summer.gif",
                "notes.txt", "old.txt"));
    }

    @Test
    void tagsOfTheCurrentVersionOnly() throws Exception {
        assertSearch("tags IN [\"v2tag\"]", "vers.txt");
        assertSearch("tags IN [\"v1tag\"]");
        assertSearch("tags IN [\"v1tag\"] AND type = \"file-version\"", "vers.txt@1");
    }

    // --- type ------------------------------------------------------------------------------------------------------

    @Test
    void typeFileAndFileVersion() throws Exception {
        assertSearch("type = \"file\"", all());
        assertSearch("type = \"file-version\"", "vers.txt@1");
        assertSearch("type NOT = \"file-version\"", all());
        assertSearch("type NOT = \"file\"", "vers.txt@1");
        List<String> both = new ArrayList<>(List.of(all()));
        both.add("vers.txt@1");
        assertSearch("type IN [\"file\", \"file-version\"]", both.toArray(String[]::new));
        assertSearch("type NOT IN [\"file\"]", "vers.txt@1");
        assertSearch("type = \"file-version\" AND name = \"vers.txt\"", "vers.txt@1");
    }

    @Test
    void versionRowsHaveTheirOwnAttributes() throws Exception {
        assertSearch("type IN [\"file\", \"file-version\"] AND size < 2000 AND name = \"vers.txt\"", "vers.txt@1");
        assertSearch("type IN [\"file\", \"file-version\"] AND size > 2000 AND name = \"vers.txt\"", "vers.txt");
    }

    // --- size ------------------------------------------------------------------------------------------------------

    @Test
    void sizeInBytes() throws Exception {
        assertSearch("size = 2000", "notes.txt");
        assertSearch("size NOT = 2000", allBut("notes.txt"));
        assertSearch("size > 2000", f -> f.size() > 2000);
        assertSearch("size >= 2000", f -> f.size() >= 2000);
        assertSearch("size < 301", f -> f.size() < 301);
        assertSearch("size <= 301", f -> f.size() <= 301);
        assertSearch("size IN [100, 5000, 301]", "root.txt", "old.txt", "salex1.txt");
        assertSearch("size NOT IN [100, 5000, 301]", allBut("root.txt", "old.txt", "salex1.txt"));
        assertSearch("size = \"2000\"", "notes.txt");
    }

    @Test
    void sizeWithUnits() throws Exception {
        assertSearch("size = \"1kb\"", where(f -> f.size() == 1024)); // vers.txt's version 2 is 10240, so possibly none
        assertSearch("size = \"10kb\"", "vers.txt");
        assertSearch("size > \"1kb\"", f -> f.size() > 1024);
        assertSearch("size <= \"1KB\"", f -> f.size() <= 1024);
        assertSearch("size < \"1mb\"", all());
        assertSearch("size > \"1mb\"");
        assertSearch("size >= 1kb", f -> f.size() >= 1024);
        assertSearch("type = \"file-version\" AND size = \"1kb\"", "vers.txt@1");
    }

    // --- createdAt / updatedAt -------------------------------------------------------------------------------------

    static final String[] PHASE_1 = {"root.txt", "red-dress.png", "Red-shoe.jpg", "blue-dress.gif", "notes.txt", "Zebra.png",
            "red-hat.png", "old.txt", "deep.jpg", "x-large.jpg", "vers.txt"};
    static final String[] PHASE_2 = {"banner.png", "summer.gif", "cart.jpg", "readme.txt", "sale_1.txt", "salex1.txt"};

    @Test
    void createdAtIsoDateTimes() throws Exception {
        // vers.txt got its second version in phase 2, but the file was created in phase 1.
        assertSearch("createdAt < \"" + iso(t1) + "\"", PHASE_1);
        assertSearch("createdAt <= \"" + iso(t1) + "\"", PHASE_1);
        assertSearch("createdAt > \"" + iso(t1) + "\"", PHASE_2);
        assertSearch("createdAt >= \"" + iso(t1) + "Z\"", PHASE_2);
        assertSearch("createdAt >= " + iso(t1), PHASE_2); // unquoted
        assertSearch("createdAt > \"" + iso(t1) + "+00:00\" AND createdAt < \"" + iso(t2) + "\"", PHASE_2);
        assertSearch("createdAt > \"" + iso(t2) + "\"");
        assertSearch("createdAt = \"" + iso(t1) + "\"");
        assertSearch("createdAt NOT = \"" + iso(t1) + "\"", all());
        assertSearch("createdAt IN [\"" + iso(t1) + "\", \"2020-01-01\"]");
        assertSearch("createdAt NOT IN [\"" + iso(t1) + "\", \"2020-01-01\"]", all());
    }

    @Test
    void createdAtIsoDates() throws Exception {
        assertSearch("createdAt > 2020-01-01", all());
        assertSearch("createdAt > \"2020-01-01\"", all());
        assertSearch("createdAt < 2020-01-01");
        assertSearch("createdAt < 9999-12-31", all());
    }

    @Test
    void createdAtRelative() throws Exception {
        for (String age : List.of("1h", "2d", "1w", "1m", "1y", "24h")) {
            assertSearch("createdAt > \"" + age + "\"", all());
            assertSearch("createdAt < \"" + age + "\"");
            assertSearch("createdAt > " + age, all());
        }
        assertSearch("createdAt > \"1h\" AND createdAt < \"" + iso(t1) + "\"", PHASE_1);
    }

    @Test
    void createdAtOfVersions() throws Exception {
        assertSearch("type = \"file-version\" AND createdAt < \"" + iso(t1) + "\"", "vers.txt@1");
        assertSearch("type = \"file-version\" AND createdAt > \"" + iso(t1) + "\"");
    }

    @Test
    void updatedAt() throws Exception {
        assertSearch("updatedAt >= \"" + iso(t2) + "\"", "root.txt", "red-dress.png");
        assertSearch("updatedAt > \"" + iso(t1) + "\" AND updatedAt < \"" + iso(t2) + "\"",
                "banner.png", "vers.txt", "summer.gif", "cart.jpg", "readme.txt", "sale_1.txt", "salex1.txt");
        assertSearch("updatedAt < \"" + iso(t1) + "\"", "Red-shoe.jpg", "blue-dress.gif", "notes.txt", "Zebra.png",
                "red-hat.png", "old.txt", "deep.jpg", "x-large.jpg");
        assertSearch("updatedAt > \"1h\"", all());
        assertSearch("updatedAt <= \"1d\"");
        assertSearch("updatedAt > 2020-01-01 AND updatedAt NOT = 2020-01-01", all());
    }

    @Test
    void listedTimesAgreeWithTheSearch() throws Exception {
        for (JsonNode n : Json.parse(list("searchQuery=" + enc("updatedAt >= \"" + iso(t2) + "\"")).body())) {
            assertThat(Instant.parse(n.get("updatedAt").asText())).isAfterOrEqualTo(t2);
        }
        for (JsonNode n : Json.parse(list("searchQuery=" + enc("createdAt < \"" + iso(t1) + "\"")).body())) {
            assertThat(Instant.parse(n.get("createdAt").asText())).isBefore(t1);
        }
    }

    // --- width / height --------------------------------------------------------------------------------------------

    @Test
    void width() throws Exception {
        assertSearch("width = 64", "blue-dress.gif");
        assertSearch("width > 500", "red-hat.png", "x-large.jpg", "banner.png");
        assertSearch("width >= 640", "red-hat.png", "x-large.jpg", "banner.png");
        assertSearch("width < 50", "Zebra.png", "deep.jpg");
        assertSearch("width <= 50", "Zebra.png", "deep.jpg", "cart.jpg");
        assertSearch("width IN [100, 300, 7]", "red-dress.png", "Red-shoe.jpg");
        // NOT: every file whose width is not the value, files without a width included
        assertSearch("width NOT = 64", allBut("blue-dress.gif"));
        assertSearch("width NOT IN [100, 300]", allBut("red-dress.png", "Red-shoe.jpg"));
    }

    @Test
    void height() throws Exception {
        assertSearch("height = 50", "red-dress.png", "cart.jpg");
        assertSearch("height > 400", "red-hat.png", "x-large.jpg");
        assertSearch("height >= 400", "red-hat.png", "x-large.jpg", "banner.png");
        assertSearch("height < 30", "Zebra.png");
        assertSearch("height <= 30", "Zebra.png", "deep.jpg");
        assertSearch("height IN [64, 100]", "blue-dress.gif", "summer.gif");
        assertSearch("height NOT = 50", allBut("red-dress.png", "cart.jpg"));
        assertSearch("height NOT IN [64, 100]", allBut("blue-dress.gif", "summer.gif"));
        assertSearch("width > 100 AND height < 150", "summer.gif");
    }

    // --- format / private / published ------------------------------------------------------------------------------

    @Test
    void format() throws Exception {
        assertSearch("format = \"png\"", "red-dress.png", "Zebra.png", "red-hat.png", "banner.png");
        assertSearch("format = \"jpg\"", "Red-shoe.jpg", "deep.jpg", "x-large.jpg", "cart.jpg");
        assertSearch("format = \"gif\"", "blue-dress.gif", "summer.gif");
        assertSearch("format = \"txt\"", f -> f.format().equals("txt"));
        assertSearch("format IN [\"gif\", \"jpg\"]", f -> f.format().equals("gif") || f.format().equals("jpg"));
        assertSearch("format = \"webp\"");
    }

    @Test
    void privateFiles() throws Exception {
        assertSearch("private = true", "old.txt");
        assertSearch("private = false", allBut("old.txt"));
        assertSearch("private = TRUE", "old.txt");
    }

    @Test
    void published() throws Exception {
        assertSearch("published = false", "deep.jpg");
        assertSearch("published = true", allBut("deep.jpg"));
    }

    // --- custom metadata -------------------------------------------------------------------------------------------

    @Test
    void customTextField() throws Exception {
        assertSearch("\"customMetadata.brand\" = \"acme\"", "red-dress.png");
        assertSearch("\"customMetadata.brand\" = \"Acme\"", "red-hat.png");
        assertSearch("\"customMetadata.brand\" : \"acme\"", "red-dress.png", "blue-dress.gif");
        assertSearch("\"customMetadata.brand\" : \"Ac\"", "red-hat.png");
        assertSearch("\"customMetadata.brand\" IN [\"acme\", \"bolt\"]", "red-dress.png", "Red-shoe.jpg");
        // NOT: every file whose brand is not the value, files without a brand included
        assertSearch("\"customMetadata.brand\" NOT = \"acme\"", allBut("red-dress.png"));
        assertSearch("\"customMetadata.brand\" NOT IN [\"acme\", \"bolt\"]", allBut("red-dress.png", "Red-shoe.jpg"));
        assertSearch("\"customMetadata.item-code\" = \"X1\"", "Red-shoe.jpg");
        assertSearch("\"customMetadata.nosuchfield\" = \"x\"");
    }

    @Test
    void customNumberField() throws Exception {
        assertSearch("\"customMetadata.price\" = 25", "red-dress.png");
        assertSearch("\"customMetadata.price\" = 120.5", "Red-shoe.jpg");
        assertSearch("\"customMetadata.price\" > 50", "Red-shoe.jpg", "blue-dress.gif");
        assertSearch("\"customMetadata.price\" >= 80", "Red-shoe.jpg", "blue-dress.gif");
        assertSearch("\"customMetadata.price\" < 80", "red-dress.png", "banner.png");
        assertSearch("\"customMetadata.price\" <= 25", "red-dress.png", "banner.png");
        assertSearch("\"customMetadata.price\" > 100.25", "Red-shoe.jpg");
        assertSearch("\"customMetadata.price\" > -1 AND \"customMetadata.price\" < 1", "banner.png");
        assertSearch("\"customMetadata.price\" IN [25, 80]", "red-dress.png", "blue-dress.gif");
        assertSearch("\"customMetadata.price\" NOT = 25", allBut("red-dress.png"));
        assertSearch("\"customMetadata.price\" NOT IN [25, 80]", allBut("red-dress.png", "blue-dress.gif"));
    }

    // --- HAS, EXISTS, NOT EXISTS, id ----------------------------------------------------------------------------

    @Test
    void hasMatchesWholeWordsCaseInsensitively() throws Exception {
        assertSearch("name HAS \"dress\"", "red-dress.png", "blue-dress.gif");
        assertSearch("name HAS \"RED\"", "red-dress.png", "Red-shoe.jpg", "red-hat.png");
        assertSearch("name HAS \"red dr\"", "red-dress.png");
        assertSearch("name HAS \"sale 1\"", "sale_1.txt");
        assertSearch("name HAS \"ress\"");
        assertSearch("tags HAS \"SUMMER\"", "red-dress.png", "blue-dress.gif", "banner.png", "summer.gif");
        assertSearch("\"customMetadata.brand\" HAS \"pro\"", "blue-dress.gif");
        assertSearch("\"customMetadata.brand\" HAS \"acme\"", "red-dress.png", "blue-dress.gif", "red-hat.png");
        assertSearch("\"customMetadata.brand\" HAS \"ACME pro\"", "blue-dress.gif");
        assertSearch("\"customMetadata.brand\" HAS \"cme\"");
    }

    @Test
    void existsAndNotExists() throws Exception {
        String[] tagged = where(f -> !List.of("Zebra.png", "deep.jpg", "readme.txt", "sale_1.txt", "salex1.txt").contains(f.name()));
        assertSearch("tags EXISTS", tagged);
        assertSearch("tags NOT EXISTS", "Zebra.png", "deep.jpg", "readme.txt", "sale_1.txt", "salex1.txt");
        assertSearch("\"customMetadata.price\" EXISTS", "red-dress.png", "Red-shoe.jpg", "blue-dress.gif", "banner.png");
        assertSearch("\"customMetadata.item-code\" NOT EXISTS", allBut("Red-shoe.jpg"));
        assertSearch("\"embeddedMetadata.Make\" EXISTS");
        assertSearch("tags NOT EXISTS AND format = \"png\" OR \"customMetadata.item-code\" EXISTS", "Zebra.png", "Red-shoe.jpg");
    }

    @Test
    void idField() throws Exception {
        String cart = files.get("cart.jpg").fileId();
        String root = files.get("root.txt").fileId();
        assertSearch("id = \"" + cart + "\"", "cart.jpg");
        assertSearch("id IN [\"" + cart + "\", \"" + root + "\"]", "cart.jpg", "root.txt");
        assertSearch("id NOT IN [\"" + cart + "\", \"" + root + "\"]", allBut("cart.jpg", "root.txt"));
        assertSearch("id = \"" + files.get("vers.txt").fileId() + "\" AND type = \"file-version\"", "vers.txt@1");
        assertBadQuery("id : \"ab\"", "not supported for id");
    }

    // --- path ------------------------------------------------------------------------------------------------------

    @Test
    void pathEqualsIsOneFolder() throws Exception {
        assertSearch("path = \"/shop/\"", "red-dress.png", "Red-shoe.jpg", "blue-dress.gif", "notes.txt", "Zebra.png");
        assertSearch("path = \"/shop\"", "red-dress.png", "Red-shoe.jpg", "blue-dress.gif", "notes.txt", "Zebra.png");
        assertSearch("path = \"shop/archive\"", "red-hat.png", "old.txt");
        assertSearch("path = \"/\"", "root.txt", "x-large.jpg");
        assertSearch("path NOT = \"/media/\"", where(f -> !f.folder().equals("/media/")));
        assertSearch("path IN [\"/shopping/\", \"/shop/archive/deep/\"]", "cart.jpg", "readme.txt", "deep.jpg");
        assertSearch("path NOT IN [\"/shopping/\", \"/media/\", \"/\"]", where(f -> f.folder().startsWith("/shop/")));
    }

    @Test
    void pathPrefixSearchesRecursively() throws Exception {
        String[] shop = where(f -> f.folder().startsWith("/shop/"));
        assertThat(shop).hasSize(8);
        assertSearch("path : \"/shop/\"", shop);
        assertSearch("path : \"/shop\"", shop); // a folder, not a text prefix: /shopping/ stays out
        assertSearch("path : \"/shop/archive/\"", "red-hat.png", "old.txt", "deep.jpg");
        assertSearch("path : \"/\"", all());
        assertSearch("path : \"/media/\" AND format = \"txt\"", "vers.txt", "sale_1.txt", "salex1.txt");
    }

    @Test
    void pathParameterLimitsTheSearchToThatFolderAndBelow() throws Exception {
        assertThat(labels(list("path=/shop/&searchQuery=" + enc("format = \"png\""))))
                .containsExactlyInAnyOrder("red-dress.png", "Zebra.png", "red-hat.png");
        assertThat(labels(list("path=/shop/archive&searchQuery=" + enc("size > 0"))))
                .containsExactlyInAnyOrder("red-hat.png", "old.txt", "deep.jpg");
    }

    // --- AND / OR / parentheses ------------------------------------------------------------------------------------

    @Test
    void andBindsTighterThanOr() throws Exception {
        assertSearch("format = \"png\" AND width > 500 OR format = \"gif\"", "red-hat.png", "banner.png", "blue-dress.gif", "summer.gif");
        assertSearch("format = \"gif\" OR format = \"png\" AND width > 500", "red-hat.png", "banner.png", "blue-dress.gif", "summer.gif");
    }

    @Test
    void parenthesesGroup() throws Exception {
        assertSearch("format = \"png\" AND (width > 500 OR tags IN [\"summer\"])", "red-hat.png", "banner.png", "red-dress.png");
        assertSearch("(format = \"png\" OR format = \"gif\") AND width < 100", "Zebra.png", "blue-dress.gif");
        assertSearch("(size < \"1mb\" AND width > 500) OR (tags IN [\"doc\"])", "red-hat.png", "x-large.jpg", "banner.png", "notes.txt", "old.txt");
        assertSearch("((path : \"/shop/\" AND (tags IN [\"winter\"] OR private = true)) OR name = \"cart.jpg\") AND format NOT = \"txt\"",
                "Red-shoe.jpg", "red-hat.png", "cart.jpg");
    }

    @Test
    void lowercaseKeywords() throws Exception {
        assertSearch("format = \"png\" and (width > 500 or tags in [\"summer\"]) and name not in [\"banner.png\"]", "red-hat.png", "red-dress.png");
    }

    @Test
    void percentEncodedSpacesWorkToo() throws Exception {
        assertThat(labels(list("searchQuery=" + enc("name = \"root.txt\"").replace("+", "%20")))).containsExactly("root.txt");
    }

    // --- bad queries -----------------------------------------------------------------------------------------------

    @Test
    void syntaxErrorsAre400NamingTheProblem() throws Exception {
        assertBadQuery("name = \"abc", "unterminated string at position 12");
        assertBadQuery("name ~ \"abc\"", "expected an operator", "at position 6");
        assertBadQuery("(name = \"a\"", "expected ')' at position 12");
        assertBadQuery("name = ", "expected a value");
        assertBadQuery("tags IN \"a\"", "expected '['");
    }

    @Test
    void unknownFieldIs400() throws Exception {
        assertBadQuery("colour = \"red\"", "unknown field 'colour'");
        assertBadQuery("name = \"a\" OR Name = \"b\"", "unknown field 'Name'");
    }

    @Test
    void badValuesAndOperatorsAre400() throws Exception {
        assertBadQuery("size > \"big\"", "invalid value 'big' for size");
        assertBadQuery("width > wide", "invalid value 'wide' for width");
        assertBadQuery("createdAt > \"yesterday\"", "invalid value 'yesterday' for createdAt");
        assertBadQuery("createdAt > \"2020-13-45\"", "invalid value '2020-13-45' for createdAt");
        assertBadQuery("private = maybe", "private");
        assertBadQuery("tags > \"a\"", "not supported for tags");
        assertBadQuery("private > true", "not supported for private");
        assertBadQuery("type = \"image\"", "type");
        assertBadQuery("\"customMetadata.price\" > cheap", "customMetadata.price");
        // Dates that parse but lie beyond what milliseconds since 1970 can hold.
        assertBadQuery("createdAt > \"+999999999-12-31T00:00:00\"", "invalid value", "createdAt");
        assertBadQuery("updatedAt IN [\"-999999999-01-01T00:00:00\"]", "invalid value", "updatedAt");
        assertBadQuery("\"embeddedMetadata.DateTimeOriginal\" > \"+999999999-12-31T00:00:00\"", "invalid value");
        // A control character is no part of a word: a text of nothing else has no word to look for.
        assertBadQuery("name HAS \"\0\"", "HAS needs at least one word");
    }

    // --- plain parameters ------------------------------------------------------------------------------------------

    @Test
    void noParametersListsEveryCurrentFileOldestFirst() throws Exception {
        assertThat(labels(list(""))).containsExactly(order(Comparator.comparingInt(F::created)));
    }

    @Test
    void typeParameter() throws Exception {
        assertThat(labels(list("type=file"))).containsExactlyInAnyOrder(all());
        assertThat(labels(list("type=file-version"))).containsExactly("vers.txt@1");
        List<String> folders = List.of("folder:/media", "folder:/shop", "folder:/shop/archive", "folder:/shop/archive/deep", "folder:/shopping");
        assertThat(labels(list("type=folder"))).containsExactlyElementsOf(folders);
        List<String> everything = new ArrayList<>(folders);
        everything.addAll(List.of(order(Comparator.comparingInt(F::created))));
        assertThat(labels(list("type=all"))).containsExactlyElementsOf(everything);
        assertThat(labels(list("includeFolder=true"))).containsExactlyElementsOf(everything);
        assertError(list("type=files"), "INVALID_PARAMETER", "type");
    }

    @Test
    void pathParameterIsOneLevel() throws Exception {
        assertThat(labels(list("path=/shop/"))).containsExactly("red-dress.png", "Red-shoe.jpg", "blue-dress.gif", "notes.txt", "Zebra.png");
        assertThat(labels(list("path=shop"))).containsExactly("red-dress.png", "Red-shoe.jpg", "blue-dress.gif", "notes.txt", "Zebra.png");
        assertThat(labels(list("path=/shop/archive/"))).containsExactly("red-hat.png", "old.txt");
        assertThat(labels(list("path=/"))).containsExactly("root.txt", "x-large.jpg");
        assertThat(labels(list("path=/nowhere/"))).isEmpty();
        assertThat(labels(list("path=/shop/&type=all"))).containsExactly("folder:/shop/archive",
                "red-dress.png", "Red-shoe.jpg", "blue-dress.gif", "notes.txt", "Zebra.png");
        assertThat(labels(list("path=/shop/&type=folder"))).containsExactly("folder:/shop/archive");
        assertThat(labels(list("path=/&type=folder"))).containsExactly("folder:/media", "folder:/shop", "folder:/shopping");
        assertThat(labels(list("path=/media/&type=file-version"))).containsExactly("vers.txt@1");
    }

    @Test
    void fileTypeParameter() throws Exception {
        assertThat(labels(list("fileType=image"))).containsExactlyInAnyOrder(where(f -> !f.format().equals("txt")));
        assertThat(labels(list("fileType=non-image"))).containsExactlyInAnyOrder(where(f -> f.format().equals("txt")));
        assertThat(labels(list("fileType=all"))).containsExactlyInAnyOrder(all());
        assertThat(labels(list("fileType=image&path=/shop/archive/"))).containsExactly("red-hat.png");
        assertThat(labels(list("fileType=non-image&searchQuery=" + enc("path : \"/shop/\"")))).containsExactly("notes.txt", "old.txt");
        assertError(list("fileType=video"), "INVALID_PARAMETER", "fileType");
    }

    @Test
    void tagsAndNameParameters() throws Exception {
        assertThat(labels(list("tags=summer,doc"))).containsExactlyInAnyOrder("red-dress.png", "blue-dress.gif", "notes.txt", "old.txt",
                "banner.png", "summer.gif");
        assertThat(labels(list("tags=" + enc("hero, winter")))).containsExactlyInAnyOrder("x-large.jpg", "Red-shoe.jpg", "red-hat.png");
        assertThat(labels(list("name=root.txt"))).containsExactly("root.txt");
        assertThat(labels(list("name=root.txt&tags=patched"))).containsExactly("root.txt");
        assertThat(labels(list("name=root.txt&tags=summer"))).isEmpty();
    }

    @Test
    void searchQueryReplacesTypeTagsAndName() throws Exception {
        assertThat(labels(list("tags=doc&name=root.txt&type=file-version&searchQuery=" + enc("format = \"gif\""))))
                .containsExactlyInAnyOrder("blue-dress.gif", "summer.gif");
    }

    static String[] order(Comparator<F> c) {
        return files.values().stream().sorted(c).map(F::name).toArray(String[]::new);
    }

    /** Nulls first, then by value; ties in upload order. */
    static <T extends Comparable<T>> Comparator<F> ascending(Function<F, T> key) {
        return Comparator.comparing(key, Comparator.nullsFirst(Comparator.<T>naturalOrder())).thenComparingInt(F::created);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NAME", "CREATED", "UPDATED", "HEIGHT", "WIDTH", "SIZE"})
    void everySortBothWays(String key) throws Exception {
        Comparator<F> asc = switch (key) {
            case "NAME" -> ascending(F::name);
            case "CREATED" -> ascending(F::created);
            case "UPDATED" -> ascending(F::updated);
            case "HEIGHT" -> ascending(F::height);
            case "WIDTH" -> ascending(F::width);
            default -> ascending(F::size);
        };
        String[] expected = order(asc);
        assertThat(labels(list("sort=ASC_" + key))).as("ASC_" + key).containsExactly(expected);
        List<String> reversed = new ArrayList<>(List.of(expected));
        java.util.Collections.reverse(reversed);
        assertThat(labels(list("sort=DESC_" + key))).as("DESC_" + key).containsExactlyElementsOf(reversed);
        // The same order when searching, and page by page.
        assertThat(labels(list("sort=ASC_" + key + "&searchQuery=" + enc("size > 0")))).containsExactly(expected);
        List<String> paged = new ArrayList<>();
        for (int skip = 0; skip < expected.length; skip += 4) {
            paged.addAll(labels(list("sort=ASC_" + key + "&limit=4&skip=" + skip)));
        }
        assertThat(paged).containsExactly(expected);
    }

    @Test
    void nameSortIsByteOrder() throws Exception {
        List<String> names = labels(list("sort=ASC_NAME"));
        assertThat(names.subList(0, 2)).containsExactly("Red-shoe.jpg", "Zebra.png");
    }

    @Test
    void updatedSortFollowsEdits() throws Exception {
        List<String> names = labels(list("sort=DESC_UPDATED&limit=3"));
        assertThat(names).containsExactly("red-dress.png", "root.txt", "salex1.txt");
    }

    @Test
    void sortIsCaseInsensitiveAndValidated() throws Exception {
        assertThat(labels(list("sort=desc_created&limit=1"))).containsExactly("salex1.txt");
        assertError(list("sort=ASC_COLOUR"), "INVALID_PARAMETER", "sort");
        assertError(list("sort=NAME"), "INVALID_PARAMETER", "sort");
        assertError(list("sort=UP_NAME"), "INVALID_PARAMETER", "sort");
    }

    @Test
    void limitAndSkip() throws Exception {
        String[] created = order(Comparator.comparingInt(F::created));
        assertThat(labels(list("limit=1"))).containsExactly(created[0]);
        assertThat(labels(list("limit=1000"))).containsExactly(created);
        assertThat(labels(list("limit=2&skip=3"))).containsExactly(created[3], created[4]);
        assertThat(labels(list("skip=" + (created.length - 1)))).containsExactly(created[created.length - 1]);
        assertThat(labels(list("skip=" + created.length))).isEmpty();
        assertThat(labels(list("skip=100000"))).isEmpty();
        assertThat(labels(list("limit=3&searchQuery=" + enc("format = \"txt\"")))).containsExactly("root.txt", "notes.txt", "old.txt");
        assertThat(labels(list("limit=2&skip=2&searchQuery=" + enc("format = \"txt\"")))).containsExactly("old.txt", "vers.txt");
    }

    @Test
    void limitAndSkipAcrossFoldersAndFiles() throws Exception {
        assertThat(labels(list("type=all&path=/shop/&limit=2"))).containsExactly("folder:/shop/archive", "red-dress.png");
        assertThat(labels(list("type=all&path=/shop/&limit=2&skip=1"))).containsExactly("red-dress.png", "Red-shoe.jpg");
        assertThat(labels(list("type=all&path=/shop/&limit=2&skip=2"))).containsExactly("Red-shoe.jpg", "blue-dress.gif");
    }

    @Test
    void limitOutOfRangeIs400() throws Exception {
        assertError(list("limit=0"), "INVALID_PARAMETER", "Minimum value of limit parameter is 1. Value sent is 0.");
        assertError(list("limit=1001"), "INVALID_PARAMETER", "Maximum value of limit parameter is 1000. Value sent is 1001.");
        assertError(list("limit=-5"), "INVALID_PARAMETER", "limit");
        assertError(list("limit=ten"), "INVALID_PARAMETER", "limit");
    }

    @Test
    void negativeSkipIs400() throws Exception {
        assertError(list("skip=-1"), "INVALID_PARAMETER",
                "The value of skip parameter should be greater than or equal to 0. Value sent is -1.");
        assertError(list("skip=x"), "INVALID_PARAMETER", "skip");
    }

    @Test
    void listingNeedsThePrivateKey() throws Exception {
        assertThat(server.get("/v1/files").statusCode()).isEqualTo(401);
        assertThat(labels(server.get("/v1/files/?limit=1", "Authorization", TestServer.basic(TestServer.PRIVATE_KEY, "do_not_set"))))
                .containsExactly("root.txt");
    }
}

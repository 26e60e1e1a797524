package dev.upfront.webhooks;

import static dev.upfront.testing.WebhookReceiver.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import dev.upfront.testing.WebhookReceiver;
import dev.upfront.testing.WebhookReceiver.Received;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code file.*} events of media API changes, seen by a receiver on loopback: a copy is a new file
 * ({@code file.created}), a move or a rename is the same file at a new path ({@code file.updated}), a move onto an
 * existing file appends versions ({@code file-version.created}) and deletes the source ({@code file.deleted}), a
 * folder delete deletes every file in it, and a details update's {@code webhookUrl} receives its {@code file.updated}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileChangeEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private WebhookReceiver receiver;
    private TestServer server;

    @BeforeAll
    void start() {
        receiver = WebhookReceiver.start();
        server = TestServer.start(Map.of("UPFRONT_WEBHOOK_URL", receiver.url("/account"), "UPFRONT_FETCH_ALLOW_PRIVATE", "true",
                "UPFRONT_WEBHOOK_RETRY_DELAY", "1"));
    }

    @AfterAll
    void stop() {
        server.close();
        receiver.close();
    }

    @Test
    void aCopyIsANewFileAndAMoveOrRenameTheSameFileAtANewPath() throws Exception {
        String id = upload("/events/", "copy-me.png");
        ok(json("POST", "/v1/files/copy", "{\"sourceFilePath\":\"/events/copy-me.png\",\"destinationPath\":\"/copies/\"}"));
        JsonNode created = data(ofType("file.created").and(has("/copies/copy-me.png")));
        assertThat(created.path("fileId").asText()).isNotEqualTo(id);
        assertThat(created.path("filePath").asText()).isEqualTo("/copies/copy-me.png");

        ok(json("POST", "/v1/files/move", "{\"sourceFilePath\":\"/events/copy-me.png\",\"destinationPath\":\"/moved/\"}"));
        JsonNode moved = data(ofType("file.updated").and(has("/moved/copy-me.png")));
        assertThat(moved.path("fileId").asText()).isEqualTo(id);

        ok(json("PUT", "/v1/files/rename", "{\"filePath\":\"/moved/copy-me.png\",\"newFileName\":\"renamed.png\"}"));
        JsonNode renamed = data(ofType("file.updated").and(has("/moved/renamed.png")));
        assertThat(renamed.path("fileId").asText()).isEqualTo(id);
        assertThat(renamed.path("name").asText()).isEqualTo("renamed.png");

        // Onto an existing file: its new version is announced, and the source is gone.
        String target = upload("/onto/", "renamed.png");
        ok(json("POST", "/v1/files/move", "{\"sourceFilePath\":\"/moved/renamed.png\",\"destinationPath\":\"/onto/\"}"));
        JsonNode version = data(ofType("file-version.created").and(has("\"fileId\":\"" + target + "\"")));
        assertThat(version.path("filePath").asText()).isEqualTo("/onto/renamed.png");
        assertThat(data(ofType("file.deleted").and(has(id))).path("fileId").asText()).isEqualTo(id);
    }

    @Test
    void aFolderDeleteDeletesEveryFileInIt() throws Exception {
        Set<String> ids = Set.of(upload("/doomed/", "a.png"), upload("/doomed/", "b.png"), upload("/doomed/deeper/", "c.png"));
        String survivor = upload("/kept/", "d.png");
        ok(server.send(HttpRequest.newBuilder(server.uri("/v1/folder")).header("Authorization", TestServer.basic())
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"folderPath\":\"/doomed/\"}")).build()), 204);
        Set<String> deleted = receiver.await(ofType("file.deleted").and(r -> ids.stream().anyMatch(r.body()::contains)), 3, WAIT)
                .stream().map(r -> body(r).path("data").path("fileId").asText()).collect(Collectors.toSet());
        assertThat(deleted).isEqualTo(ids);
        assertThat(receiver.received()).noneMatch(ofType("file.deleted").and(has(survivor)));
    }

    @Test
    void aDetailsUpdatesWebhookUrlReceivesItsFileUpdated() throws Exception {
        String id = upload("/patched/", "p.png");
        HttpResponse<String> bad = json("PATCH", "/v1/files/" + id + "/details", "{\"tags\":[\"x\"],\"webhookUrl\":\"ftp://nope\"}");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("webhookUrl");

        ok(json("PATCH", "/v1/files/" + id + "/details", "{\"tags\":[\"hooked\"],\"webhookUrl\":\"" + receiver.url("/mine") + "\"}"));
        List<Received> got = receiver.await(ofType("file.updated").and(has("hooked")), 2, WAIT);
        assertThat(got).extracting(Received::path).containsExactlyInAnyOrder("/account", "/mine");
        assertThat(body(got.getFirst()).path("data").path("tags").get(0).asText()).isEqualTo("hooked");

        HttpResponse<String> extensions = json("PATCH", "/v1/files/" + id + "/details", "{\"extensions\":[{\"name\":\"remove-bg\"}]}");
        assertThat(extensions.statusCode()).isEqualTo(400);
        assertThat(Json.parse(extensions.body()).path("code").asText()).isEqualTo("FIELD_NOT_SUPPORTED");
    }

    private static Predicate<Received> has(String text) {
        return r -> r.body().contains(text);
    }

    private JsonNode data(Predicate<Received> match) throws InterruptedException {
        return body(receiver.await(match, 1, WAIT).getFirst()).path("data");
    }

    private static JsonNode body(Received r) {
        try {
            return Json.parse(r.body());
        } catch (IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private String upload(String folder, String name) throws Exception {
        HttpResponse<String> r = server.upload(new Multipart().field("fileName", name).field("folder", folder)
                .field("useUniqueFileName", "false").file("file", name, "image/png", Images.png(4, 4)), "Authorization", TestServer.basic());
        ok(r);
        return Json.parse(r.body()).path("fileId").asText();
    }

    private HttpResponse<String> json(String method, String path, String body) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", TestServer.basic())
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
    }

    private static void ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }
}

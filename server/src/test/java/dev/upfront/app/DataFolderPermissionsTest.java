package dev.upfront.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything the server creates in its data folder is its user's alone: folders 0700, files 0600. */
class DataFolderPermissionsTest {

    @Test
    void newDataFolderAndEverythingInItAreOwnerOnly(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("nested").resolve("data");
        try (TestServer server = TestServer.start(data, Map.of(), false)) {
            String privateKey = server.upfront().keys().pairs().getFirst().privateKey();
            HttpResponse<String> r = server.upload(new Multipart().field("fileName", "a.png").file(Images.png(8, 8)),
                    "Authorization", TestServer.basic(privateKey, ""));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode json = Json.parse(r.body());
            assertThat(server.getBytes(json.get("url").asText() + "?tr=w-4").statusCode()).isEqualTo(200);

            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.getParent())).as("missing parents too").isEqualTo("rwx------");
            for (Path dir : List.of(data.resolve("blobs"), data.resolve("blobs/.staging"), data.resolve("cache"))) {
                assertThat(mode(dir)).as(dir.toString()).isEqualTo("rwx------");
            }
            List<Path> all;
            try (Stream<Path> walk = Files.walk(data)) {
                all = walk.toList();
            }
            assertThat(all).as("the database, its WAL, the generated keys, a blob and a rendering")
                    .contains(data.resolve("upfront.db"), data.resolve("upfront.db-wal"), data.resolve("keys"));
            assertThat(all.stream().filter(p -> p.startsWith(data.resolve("cache")) && Files.isRegularFile(p))).isNotEmpty();
            assertThat(server.blobFiles()).isNotEmpty();
            for (Path p : all) {
                assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}

package dev.upfront.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import dev.upfront.transform.DerivedImages;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Costly renders cannot starve cheap ones: with the expensive lane full of the most expensive renders the server
 * allows (and more refused with 503 + Retry-After), a thumbnail still answers. Pure-Java backend, the slower one.
 */
class RenderLanesTest {

    @Test
    void aCheapRenderAnswersWhileCostlyOnesFillTheirLane() throws Exception {
        try (TestServer server = TestServer.start(Map.of("UPFRONT_IMAGE_BACKEND", "java"))) {
            for (String name : List.of("lane-tiny.png", "lane-photo.jpg")) {
                byte[] bytes = name.endsWith("png") ? Images.png(16, 16) : Images.jpeg(300, 200);
                HttpResponse<String> up = server.upload(new Multipart().field("fileName", name).field("useUniqueFileName", "false")
                        .file(bytes), "Authorization", TestServer.basic());
                assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            }
            DerivedImages derived = server.upfront().derived();
            // 5000 × 5000 (the largest output) with the largest blur the cost bound lets through; each URL differs,
            // so single flight does not merge them.
            List<CompletableFuture<HttpResponse<String>>> costly = new ArrayList<>();
            for (int i = 0; i < derived.expensiveCapacity() + 2; i++) {
                URI uri = URI.create(server.urlEndpoint() + "/tr:w-" + (5000 - i) + ",h-5000,c-force,bl-11/lane-tiny.png");
                costly.add(server.client().sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < 600 && derived.runningExpensive() == 0; i++) {
                Thread.sleep(100);
            }
            assertThat(derived.runningExpensive()).as("a costly render is running").isPositive();

            HttpResponse<byte[]> cheap = server.sendForBytes(HttpRequest.newBuilder(URI.create(server.urlEndpoint() + "/tr:w-100/lane-photo.jpg"))
                    .timeout(Duration.ofSeconds(60)).build());
            assertThat(cheap.statusCode()).isEqualTo(200);
            assertThat(Images.decode(cheap.body()).size()).isEqualTo("100x67");

            List<HttpResponse<String>> answers = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : costly) {
                answers.add(f.get(120, TimeUnit.SECONDS));
            }
            List<HttpResponse<String>> busy = answers.stream()
                    .filter(r -> r.statusCode() == 503 && r.body().contains("\"RENDER_BUSY\"")).toList();
            assertThat(busy).as("the lane's queue is bounded: the surplus is refused at once").hasSizeGreaterThanOrEqualTo(2);
            assertThat(busy.getFirst().headers().firstValue("retry-after")).isPresent();
            assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(200, 503));
        }
    }
}

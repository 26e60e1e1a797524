package dev.upfront.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} over a real socket: what the meters count after real requests, and who may read them. */
class MetricsEndpointTest {
    static final String TOKEN = "metrics-token-for-tests-0123456789";

    @Test
    void countsUploadsErrorsRequestsAndRenderCacheByBoundedLabels() throws Exception {
        try (TestServer server = TestServer.start()) {
            byte[] png = Images.png(40, 30);
            HttpResponse<String> ok = server.upload(new Multipart().field("fileName", "a.png").file(png), "Authorization", TestServer.basic());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            HttpResponse<String> signed = server.upload(new Multipart().fields(TestServer.v1Auth(60)).field("fileName", "b.png").file(png));
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            HttpResponse<String> noFile = server.upload(new Multipart().field("fileName", "c.png"), "Authorization", TestServer.basic());
            assertThat(noFile.statusCode()).isEqualTo(400);
            String url = Json.parse(ok.body()).get("url").asText() + "?tr=w-10";
            assertThat(server.getBytes(url).statusCode()).isEqualTo(200);
            assertThat(server.getBytes(url).statusCode()).isEqualTo(200);
            assertThat(server.getBytes(url).statusCode()).isEqualTo(200);
            assertThat(server.get("/no/such/path-12345").statusCode()).isEqualTo(404);
            assertThat(server.get("/media/%2e%2e/x").statusCode()).as("refused by Jetty before routing").isEqualTo(400);
            for (String invented : new String[] {"ZZMETHODONE", "ZZMETHODTWO"}) {
                server.send(HttpRequest.newBuilder(server.uri("/healthz")).method(invented, HttpRequest.BodyPublishers.noBody()).build());
            }

            HttpResponse<String> r = server.get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            String text = r.body();

            assertThat(value(text, "upfront_uploads_total{auth=\"basic\",result=\"success\"}")).isEqualTo(1);
            assertThat(value(text, "upfront_uploads_total{auth=\"signature\",result=\"success\"}")).isEqualTo(1);
            assertThat(value(text, "upfront_uploads_total{auth=\"basic\",result=\"MISSING_FILE\"}")).isEqualTo(1);
            assertThat(value(text, "upfront_errors_total{code=\"MISSING_FILE\"}")).isEqualTo(1);
            assertThat(value(text, "upfront_errors_total{code=\"ROUTE_NOT_FOUND\"}")).isEqualTo(1);
            assertThat(value(text, "upfront_errors_total{code=\"HTTP_400\"}")).isEqualTo(1);
            assertThat(value(text, "upfront_render_cache_requests_total{result=\"miss\"}")).isEqualTo(1);
            assertThat(value(text, "upfront_render_cache_requests_total{result=\"hit\"}")).isEqualTo(2);
            assertThat(value(text, "upfront_tokens_stored")).as("the v1 token is remembered").isEqualTo(1);
            assertThat(value(text, "upfront_http_received_bytes_total")).isGreaterThan(2.0 * png.length);
            assertThat(value(text, "upfront_http_sent_bytes_total")).isGreaterThan(0);
            // latency histogram per route template, never per raw path
            assertThat(value(text, "upfront_http_requests_seconds_count{method=\"POST\",route=\"/api/v1/files/upload\",status=\"200\"}"))
                    .isEqualTo(2);
            assertThat(text).contains("upfront_http_requests_seconds_bucket{method=\"POST\",route=\"/api/v1/files/upload\",status=\"200\",le=\"0.1\"}");
            assertThat(value(text, "upfront_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}")).isEqualTo(1);
            assertThat(text).doesNotContain("path-12345").doesNotContain(TestServer.PRIVATE_KEY);
            // any token can be a method: those outside HTTP's usual ones share one series
            assertThat(text).doesNotContain("ZZMETHOD").contains("method=\"OTHER\"");
            // JVM and Jetty pool gauges from Micrometer's binders
            assertThat(text).contains("jvm_memory_used_bytes{").contains("jetty_threads_busy").contains("process_uptime_seconds");
        }
    }

    @Test
    void aConfiguredTokenIsRequired() throws Exception {
        try (TestServer server = TestServer.start(Map.of("UPFRONT_METRICS_TOKEN", TOKEN))) {
            for (String[] headers : new String[][] {{}, {"Authorization", "Bearer wrong-token-of-some-length"},
                    {"Authorization", "Bearer " + TOKEN + "x"}, {"Authorization", TestServer.basic()}}) {
                HttpResponse<String> r = server.get("/metrics", headers);
                assertThat(r.statusCode()).isEqualTo(401);
                JsonNode json = Json.parse(r.body());
                assertThat(json.get("code").asText()).isEqualTo("METRICS_UNAUTHORIZED");
                assertThat(json.get("help").asText()).isNotEmpty();
                assertThat(r.body()).doesNotContain("jvm_");
            }
            HttpResponse<String> r = server.get("/metrics", "Authorization", "Bearer " + TOKEN);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("upfront_errors_total{code=\"METRICS_UNAUTHORIZED\"}");
        }
    }

    /** The sample value of the series written exactly as {@code series}; fails when it is absent. */
    static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("series %s in:%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}

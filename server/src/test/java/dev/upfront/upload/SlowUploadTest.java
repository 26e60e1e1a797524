package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.testing.Multipart;
import dev.upfront.testing.RawHttp;
import dev.upfront.testing.TestServer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upload body must arrive at a minimum average rate and within a total deadline: the idle timeout alone lets a
 * client hold a request for ever by sending a byte now and then. Small settings (1 KB/s averaged over 2 s, 5 s in
 * all) keep the test short; a pause shorter than the window in an otherwise normal upload is not cut.
 */
class SlowUploadTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("UPFRONT_MIN_UPLOAD_RATE", "1KB", "UPFRONT_MIN_UPLOAD_RATE_WINDOW", "2",
                "UPFRONT_UPLOAD_TIMEOUT", "5"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends the body in {@code chunks} pieces with {@code pauseMillis} between them; returns the response. */
    static String send(Multipart form, int chunks, long pauseMillis) throws Exception {
        byte[] body = form.bytes();
        try (RawHttp http = RawHttp.connect(server.port())) {
            http.post("/api/v1/files/upload", form.contentType(), body.length, "Authorization: " + TestServer.basic());
            int step = (body.length + chunks - 1) / chunks;
            for (int from = 0; from < body.length; from += step) {
                try {
                    http.send(Arrays.copyOfRange(body, from, Math.min(body.length, from + step)));
                } catch (java.io.IOException refusedMeanwhile) {
                    break; // the server answered and stopped reading: read its answer
                }
                Thread.sleep(pauseMillis);
            }
            return http.readResponse();
        }
    }

    @Test
    void aTrickleIsCutOff() throws Exception {
        // 6 000 bytes at about 20 bytes per 100 ms: 200 B/s, under the floor
        String response = send(new Multipart().field("fileName", "slow.bin").file(new byte[6000]), 300, 100);
        assertThat(response).startsWith("HTTP/1.1 408 ").contains("UPLOAD_TOO_SLOW").contains("bytes per second");
    }

    @Test
    void aShortPauseInANormalUploadIsFine() throws Exception {
        String response = send(new Multipart().field("fileName", "pause.bin").file(new byte[200_000]), 2, 1500);
        assertThat(response).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void anUploadOverTheDeadlineIsCutOffEvenAboveTheFloor() throws Exception {
        // 60 KB at 4 KB per 500 ms: 8 KB/s, well above the floor, but 7.5 s in all
        String response = send(new Multipart().field("fileName", "long.bin").file(new byte[60_000]), 15, 500);
        assertThat(response).startsWith("HTTP/1.1 408 ").contains("UPLOAD_TOO_SLOW").contains("longer than 5 seconds");
    }
}

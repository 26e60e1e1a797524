package dev.upfront.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.inspect.ContentSniffer;
import dev.upfront.net.AddressPolicy;
import dev.upfront.net.CheckedResolver;
import dev.upfront.storage.fs.FilesystemBlobStore;
import dev.upfront.testing.Images;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetcher connects to the very addresses its resolver checked, and names the original host in the request.
 * Host names here are resolved by a table in the test (never by DNS); every address in it is loopback.
 */
class RemoteFilesPinningTest {
    static final byte[] PNG = Images.png(5, 4);
    static final InetAddress ORIGIN_ADDRESS = InetAddress.getLoopbackAddress();
    /** Another loopback address where nothing listens: where a second, "rebound" DNS answer would lead. */
    static final InetAddress REBOUND = literal("127.0.0.2");

    HttpServer origin;
    final ConcurrentLinkedQueue<String> hostHeaders = new ConcurrentLinkedQueue<>();
    final AtomicInteger lookups = new AtomicInteger();
    FileIntakes intakes;

    @BeforeEach
    void start(@TempDir Path blobs) throws IOException {
        origin = HttpServer.create(new InetSocketAddress(ORIGIN_ADDRESS, 0), 0);
        origin.createContext("/photo.png", ex -> {
            hostHeaders.add(ex.getRequestHeaders().getFirst("Host"));
            ex.getResponseHeaders().set("Content-Type", "image/png");
            ex.sendResponseHeaders(200, PNG.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(PNG);
            }
        });
        origin.start();
        intakes = new FileIntakes(new FilesystemBlobStore(blobs), new ContentSniffer(),
                new SizeLimits(1 << 20, 1 << 20), new PendingUploads(1 << 20));
    }

    @AfterEach
    void stop() {
        origin.stop(0);
    }

    /** First answer: the origin; every later answer: somewhere else (a rebinding DNS server). */
    CheckedResolver.Lookup rebinding(String name) {
        return host -> {
            if (!host.equals(name)) {
                throw new UnknownHostException(host);
            }
            return List.of(lookups.getAndIncrement() == 0 ? ORIGIN_ADDRESS : REBOUND);
        };
    }

    @Test
    void connectsToTheCheckedAddressAndSendsTheOriginalHost() {
        try (RemoteFiles remote = new RemoteFiles(Duration.ofSeconds(5), Duration.ofSeconds(20),
                new AddressPolicy(true, Set::of), rebinding("media.example"))) {
            String url = "http://media.example:" + origin.getAddress().getPort() + "/photo.png";
            try (StagedUpload staged = remote.fetch(url, intakes)) {
                assertThat(staged.size()).isEqualTo(PNG.length);
            }
        }
        assertThat(lookups.get()).as("resolved once, for the check and the connection alike").isEqualTo(1);
        assertThat(hostHeaders).containsExactly("media.example:" + origin.getAddress().getPort());
    }

    @Test
    void aNameThatResolvesToARefusedAddressIsNeverContacted() {
        // A public address beside an internal one. The internal one comes first: were the check broken, the client
        // would reach the loopback origin (and fail this test), never the public literal.
        CheckedResolver.Lookup mixed = host -> List.of(ORIGIN_ADDRESS, literal("8.8.8.8"));
        try (RemoteFiles remote = new RemoteFiles(Duration.ofSeconds(5), Duration.ofSeconds(20),
                new AddressPolicy(false, Set::of), mixed)) {
            String url = "http://media.example:" + origin.getAddress().getPort() + "/photo.png";
            assertThatThrownBy(() -> remote.fetch(url, intakes))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.FILE_FETCH_FAILED);
                        assertThat(e.getMessage()).endsWith(RemoteFiles.UNREACHABLE + ".");
                    });
        }
        assertThat(hostHeaders).as("one refused address refuses the host").isEmpty();
    }

    @Test
    void anAddressWithLeadingZerosIsRefusedUnresolved() {
        // Java would read 0127.0.0.1 as 127.0.0.1 by decimal; other tools read 0177.0.0.1 as 127.0.0.1 by octal. The
        // table answers the origin for any host, so were the check missing, the fetch would succeed.
        CheckedResolver.Lookup anyHost = host -> {
            lookups.incrementAndGet();
            return List.of(ORIGIN_ADDRESS);
        };
        try (RemoteFiles remote = new RemoteFiles(Duration.ofSeconds(5), Duration.ofSeconds(20),
                new AddressPolicy(true, Set::of), anyHost)) {
            for (String host : List.of("0127.0.0.1", "127.0.0.01", "127.00.0.1")) {
                String url = "http://" + host + ":" + origin.getAddress().getPort() + "/photo.png";
                assertThatThrownBy(() -> remote.fetch(url, intakes)).as(host)
                        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FILE_FETCH_FAILED));
            }
            try (StagedUpload staged = remote.fetch("http://127.0.0.1:" + origin.getAddress().getPort() + "/photo.png", intakes)) {
                assertThat(staged.size()).as("zero itself is no leading zero").isEqualTo(PNG.length);
            }
        }
        assertThat(lookups.get()).as("only the plain address was looked up").isEqualTo(1);
        assertThat(hostHeaders).hasSize(1);
    }

    private static InetAddress literal(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}

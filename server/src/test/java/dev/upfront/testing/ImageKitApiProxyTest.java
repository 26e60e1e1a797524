package dev.upfront.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in for api.imagekit.io that {@code MediaApiNodeSdkV6Test} routes the {@code imagekit} 6.x SDK through,
 * checked without Node.js: an HTTPS client using it as its proxy reaches the test server, and everything else (other
 * CONNECT targets, plain forward-proxy requests, TLS for another server name) is refused and never forwarded.
 */
class ImageKitApiProxyTest {
    @TempDir
    Path tmp;

    @Test
    void httpsToApiImageKitIoThroughTheProxyReachesTheTestServer() throws Exception {
        try (TestServer server = TestServer.start(); ImageKitApiProxy proxy = ImageKitApiProxy.start(server.port(), tmp)) {
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port())))
                    .sslContext(trusting(proxy.caCertificate()))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://api.imagekit.io/v1/files"))
                    .header("Authorization", TestServer.basic()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("[]");
            assertThat(proxy.tunnels()).containsExactly("api.imagekit.io:443");
            assertThat(proxy.refused()).isEmpty();
            assertThat(proxy.nodeEnvironment()).containsEntry("HTTPS_PROXY", proxy.url())
                    .containsEntry("NODE_EXTRA_CA_CERTS", proxy.caCertificate().toAbsolutePath().toString());
        }
    }

    @Test
    void anythingButATunnelToApiImageKitIoIsRefused() throws Exception {
        try (TestServer server = TestServer.start(); ImageKitApiProxy proxy = ImageKitApiProxy.start(server.port(), tmp)) {
            assertThat(exchange(proxy, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")).startsWith("HTTP/1.1 403");
            assertThat(exchange(proxy, "CONNECT api.imagekit.io:80 HTTP/1.1\r\nHost: api.imagekit.io:80\r\n\r\n")).startsWith("HTTP/1.1 403");
            assertThat(exchange(proxy, "GET http://api.imagekit.io/v1/files HTTP/1.1\r\nHost: api.imagekit.io\r\n\r\n")).startsWith("HTTP/1.1 403");
            assertThat(proxy.refused()).containsExactly("CONNECT example.com:443 HTTP/1.1", "CONNECT api.imagekit.io:80 HTTP/1.1",
                    "GET http://api.imagekit.io/v1/files HTTP/1.1");

            // The right CONNECT, but TLS for another name: the handshake fails and nothing is forwarded.
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                raw.setSoTimeout(10_000);
                raw.getOutputStream().write("CONNECT api.imagekit.io:443 HTTP/1.1\r\nHost: api.imagekit.io:443\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readHead(raw.getInputStream())).startsWith("HTTP/1.1 200");
                SSLSocket tls = (SSLSocket) trusting(proxy.caCertificate()).getSocketFactory()
                        .createSocket(raw, "evil.example", 443, true);
                SSLParameters params = tls.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName("evil.example")));
                tls.setSSLParameters(params);
                assertThatThrownBy(tls::startHandshake).isInstanceOf(SSLHandshakeException.class);
            }
            for (long end = System.nanoTime() + 5_000_000_000L; proxy.refused().size() < 4 && System.nanoTime() < end; ) {
                Thread.sleep(20); // the proxy records the failed handshake on its own thread
            }
            assertThat(proxy.tunnels()).isEmpty();
            assertThat(proxy.refused()).hasSize(4).last().asString().contains("TLS handshake failed");
        }
    }

    private static String exchange(ImageKitApiProxy proxy, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readHead(s.getInputStream());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
            head.append((char) b);
        }
        return head.toString();
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("api", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}

package dev.upfront.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Stands in for {@code https://api.imagekit.io} on loopback, for SDKs that hard-code that URL (npm {@code imagekit}
 * 6.x builds every media API URL from it). The SDK's HTTP client (axios 1.x) honours {@code HTTPS_PROXY} by opening
 * a {@code CONNECT api.imagekit.io:443} tunnel through the proxy and speaking TLS to the origin inside it; this proxy
 * accepts exactly that CONNECT, terminates the TLS itself with a throw-away certificate for {@code api.imagekit.io}
 * (made with the JDK's {@code keytool}; the Node.js process trusts it through {@code NODE_EXTRA_CA_CERTS}), and pipes
 * the decrypted bytes to the test server on {@code 127.0.0.1}. Anything else (another host or port, a plain
 * forward-proxy request, a TLS handshake for another name) is refused and recorded, and nothing is ever forwarded
 * anywhere but to the test server: the real api.imagekit.io is never contacted.
 */
public final class ImageKitApiProxy implements AutoCloseable {
    public static final String API_HOST = "api.imagekit.io";
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_HEAD = 16 * 1024;

    private final int targetPort;
    private final Path caCertificate;
    private final SSLContext tls;
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> tunnels = Collections.synchronizedList(new ArrayList<>());
    private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    private ImageKitApiProxy(int targetPort, Path caCertificate, SSLContext tls) throws IOException {
        this.targetPort = targetPort;
        this.caCertificate = caCertificate;
        this.tls = tls;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("imagekit-api-proxy").start(this::acceptLoop);
    }

    /**
     * Makes a certificate for {@value #API_HOST} in {@code workDir} and listens on a free loopback port.
     *
     * @param targetPort the test server's port on 127.0.0.1, the only place tunnels lead to
     */
    public static ImageKitApiProxy start(int targetPort, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path keyStore = workDir.resolve("api-imagekit-io.p12");
        Path certificate = workDir.resolve("api-imagekit-io.pem");
        Files.deleteIfExists(keyStore);
        Files.deleteIfExists(certificate);
        String password = UUID.randomUUID().toString();
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(workDir, List.of(keytool, "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + API_HOST, "-ext", "SAN=dns:" + API_HOST, "-ext", "BC:c=ca:true", "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password));
        keytool(workDir, List.of(keytool, "-exportcert", "-rfc", "-alias", "api", "-keystore", keyStore.toString(),
                "-storepass", password, "-file", certificate.toString()));
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                ks.load(in, password.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return new ImageKitApiProxy(targetPort, certificate, context);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the proxy's key store", e);
        }
    }

    private static void keytool(Path workDir, List<String> command) throws IOException {
        NodeProject.ProcessResult r = NodeProject.run(command, workDir, e -> { }, KEYTOOL_TIMEOUT, workDir,
                "keytool-" + command.get(1).substring(1));
        if (!r.ok()) {
            throw new IllegalStateException("keytool failed:\n" + r.describe());
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}, for {@code HTTPS_PROXY}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The PEM certificate the proxy presents for api.imagekit.io (a self-signed CA), for {@code NODE_EXTRA_CA_CERTS}. */
    public Path caCertificate() {
        return caCertificate;
    }

    /**
     * The environment that sends a Node.js process's axios requests for {@code https://api.imagekit.io} here: the
     * proxy variables (both cases; {@code HTTP_PROXY} too, so a stray plain-HTTP request to a remote host is refused
     * here rather than sent out), loopback exempted from proxying, and trust in the proxy's certificate.
     */
    public Map<String, String> nodeEnvironment() {
        return Map.of(
                "HTTPS_PROXY", url(), "https_proxy", url(),
                "HTTP_PROXY", url(), "http_proxy", url(),
                "NO_PROXY", "127.0.0.1,localhost", "no_proxy", "127.0.0.1,localhost",
                "NODE_EXTRA_CA_CERTS", caCertificate.toAbsolutePath().toString());
    }

    /** The CONNECT targets of the tunnels opened so far (each handshake for api.imagekit.io completed). */
    public List<String> tunnels() {
        synchronized (tunnels) {
            return List.copyOf(tunnels);
        }
    }

    /** Request lines (or TLS problems) refused so far. */
    public List<String> refused() {
        synchronized (refused) {
            return List.copyOf(refused);
        }
    }

    /** Unexpected failures inside the proxy itself. */
    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    failures.add("accept: " + e);
                }
                return;
            }
            open.add(client);
            Thread.ofVirtual().name("imagekit-api-proxy-conn").start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        SSLSocket tlsSocket = null;
        try {
            client.setSoTimeout(30_000);
            String head = readHead(client.getInputStream());
            String requestLine = head.lines().findFirst().orElse("");
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[0].equals("CONNECT") || !parts[1].equalsIgnoreCase(API_HOST + ":443")) {
                refused.add(requestLine);
                reply(client.getOutputStream(), "403 Forbidden");
                return;
            }
            reply(client.getOutputStream(), "200 Connection established");
            tlsSocket = (SSLSocket) tls.getSocketFactory().createSocket(client, new ByteArrayInputStream(new byte[0]), true);
            SSLParameters params = tlsSocket.getSSLParameters();
            params.setSNIMatchers(List.of(SNIHostName.createSNIMatcher("(?i)" + API_HOST.replace(".", "\\."))));
            tlsSocket.setSSLParameters(params);
            tlsSocket.setUseClientMode(false);
            try {
                tlsSocket.startHandshake();
            } catch (IOException e) {
                refused.add(requestLine + " (TLS handshake failed: " + e.getMessage() + ")");
                return;
            }
            List<SNIServerName> names = ((ExtendedSSLSession) tlsSocket.getSession()).getRequestedServerNames();
            if (names.stream().noneMatch(n -> n instanceof SNIHostName h && h.getAsciiName().equalsIgnoreCase(API_HOST))) {
                refused.add(requestLine + " (TLS without server name " + API_HOST + ")");
                return;
            }
            tunnels.add(parts[1]);
            client.setSoTimeout(0);
            upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            open.add(upstream);
            Socket to = upstream;
            SSLSocket from = tlsSocket;
            Thread up = Thread.ofVirtual().start(() -> {
                pipe(from, to);
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // the server closed already
                }
            });
            pipe(upstream, tlsSocket);
            tlsSocket.close();
            up.join();
        } catch (IOException e) {
            if (!listener.isClosed()) {
                failures.add(e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(tlsSocket);
            closeQuietly(upstream);
            closeQuietly(client);
            open.remove(client);
            if (upstream != null) {
                open.remove(upstream);
            }
        }
    }

    /** The request head up to the blank line, read byte by byte so nothing after it is consumed. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void reply(OutputStream out, String status) throws IOException {
        String close = status.startsWith("200") ? "" : "Content-Length: 0\r\nConnection: close\r\n";
        out.write(("HTTP/1.1 " + status + "\r\n" + close + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (SocketException e) {
            // one side closed the connection
        } catch (IOException e) {
            // the same, seen through TLS
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            open.forEach(ImageKitApiProxy::closeQuietly);
        }
    }
}

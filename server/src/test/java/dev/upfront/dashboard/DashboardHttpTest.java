package dev.upfront.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.json.Json;
import dev.upfront.testing.Images;
import dev.upfront.testing.Multipart;
import dev.upfront.testing.RawHttp;
import dev.upfront.testing.TestServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard over plain HTTP: sign-in (key, password, refused, throttled, cross-site), the cookie's attributes,
 * CSRF on the media API and the upload-token endpoint, a session accepted by a second instance with the same keys,
 * sign-out.
 */
class DashboardHttpTest {
    static final String PASSWORD = "correct horse battery staple";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("UPFRONT_ADMIN_PASSWORD", PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> signIn(TestServer target, String secret, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.uri("/dashboard/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return target.send(b.build());
    }

    /** The session cookie's value from a successful sign-in. */
    static String sessionOf(HttpResponse<String> signedIn) {
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    /** The CSRF token the signed-in page carries. */
    static String csrfOf(TestServer target, String session) {
        HttpResponse<String> page = target.get("/dashboard", "Cookie", "upfront_session=" + session);
        Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([0-9a-f]+)\"").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    static HttpResponse<String> call(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return server.send(b.build());
    }

    @Test
    void theRootRedirectsToTheSignInPageWithAStrictPolicy() {
        HttpResponse<String> root = server.get("/");
        assertThat(root.statusCode()).isEqualTo(303);
        assertThat(root.headers().firstValue("Location")).hasValue("/dashboard");
        HttpResponse<String> page = server.get("/dashboard");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"sign-in\"").doesNotContain("csrf-token");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(server.get("/dashboard/assets/app.js").headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(server.get("/dashboard/assets/nope.js").statusCode()).isEqualTo(404);
    }

    @Test
    void theKeyAndTheAdminPasswordSignInWithAStrictHttpOnlyCookie() {
        HttpResponse<String> byKey = signIn(server, TestServer.PRIVATE_KEY);
        assertThat(byKey.headers().firstValue("Set-Cookie").orElseThrow())
                .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200").doesNotContain("Secure");
        assertThat(byKey.headers().firstValue("Location")).hasValue("/dashboard");
        String session = sessionOf(byKey);
        assertThat(server.get("/dashboard", "Cookie", "upfront_session=" + session).body())
                .contains("Signed in as " + TestServer.PUBLIC_KEY);
        assertThat(server.get("/dashboard", "Cookie", "upfront_session=" + sessionOf(signIn(server, PASSWORD))).body())
                .contains("Signed in as admin");
        assertThat(signIn(server, TestServer.PRIVATE_KEY, "X-Forwarded-Proto", "https").headers().firstValue("Set-Cookie").orElseThrow())
                .as("behind a TLS-terminating proxy").contains("; Secure");
    }

    @Test
    void aWrongSecretIsRefusedAndATamperedCookieIsNoSession() {
        HttpResponse<String> refused = signIn(server, "private_not_the_key");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(refused.body()).contains("DASHBOARD_SIGN_IN_REFUSED").doesNotContain("private_not_the_key");
        String session = sessionOf(signIn(server, TestServer.PRIVATE_KEY));
        String tampered = session.replace(TestServer.PUBLIC_KEY, "admin");
        assertThat(server.get("/dashboard", "Cookie", "upfront_session=" + tampered).body()).contains("id=\"sign-in\"");
        String otherExpiry = session.replaceFirst("\\.(\\d)", ".9");
        assertThat(server.get("/dashboard", "Cookie", "upfront_session=" + otherExpiry).body()).contains("id=\"sign-in\"");
    }

    @Test
    void aCrossSiteSignInIsRefused() {
        HttpResponse<String> r = signIn(server, TestServer.PRIVATE_KEY, "Origin", "https://evil.example");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("DASHBOARD_ORIGIN");
        assertThat(sessionOf(signIn(server, TestServer.PRIVATE_KEY, "Origin", server.baseUrl()))).isNotBlank();
    }

    /**
     * A refusal written before the request's body arrived must not cost the connection: the server reads the small
     * rest, and the client's next request on it is answered. (Closing it after a keep-alive answer raced clients that
     * pool connections: their next request went to a socket being closed.)
     */
    @Test
    void aRefusalBeforeTheBodyArrivedKeepsTheConnection() throws IOException {
        String form = "secret=" + URLEncoder.encode(TestServer.PRIVATE_KEY, StandardCharsets.UTF_8);
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.post("/dashboard/sign-in", "application/x-www-form-urlencoded", form.length(), "Origin: https://evil.example");
            String refused = raw.readResponse();
            assertThat(refused).startsWith("HTTP/1.1 403").contains("DASHBOARD_ORIGIN");
            assertThat(RawHttp.closes(refused)).isFalse();
            raw.send(form).send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void theMediaApiTakesTheSessionOnlyWithItsCsrfToken() throws Exception {
        String session = sessionOf(signIn(server, TestServer.PRIVATE_KEY));
        String cookie = "upfront_session=" + session;
        String csrf = csrfOf(server, session);
        var uploaded = server.upload(Multipart.of(Map.of("fileName", "csrf.png", "folder", "/csrf", "useUniqueFileName", "false"))
                .file(Images.png(20, 20)), "Authorization", TestServer.basic());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        String fileId = Json.parse(uploaded.body()).path("fileId").asText();

        HttpResponse<String> noToken = call("DELETE", "/v1/files/" + fileId, null, "Cookie", cookie);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(Json.parse(noToken.body()).path("code").asText()).isEqualTo("DASHBOARD_CSRF");
        HttpResponse<String> wrongToken = call("PATCH", "/v1/files/" + fileId + "/details", "{\"tags\":[\"x\"]}",
                "Cookie", cookie, "X-CSRF-Token", csrf.replace(csrf.charAt(0), csrf.charAt(0) == 'a' ? 'b' : 'a'));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v1/files/" + fileId + "/details", null, "Cookie", "upfront_session=forged", "X-CSRF-Token", csrf)
                .statusCode()).isEqualTo(401);
        assertThat(server.get("/v1/files/" + fileId + "/details", "Authorization", TestServer.basic()).statusCode())
                .as("the refused delete deleted nothing").isEqualTo(200);

        HttpResponse<String> tagged = call("PATCH", "/v1/files/" + fileId + "/details", "{\"tags\":[\"kept\"]}",
                "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(tagged.statusCode()).as(tagged.body()).isEqualTo(200);
        assertThat(Json.parse(tagged.body()).path("tags").toString()).isEqualTo("[\"kept\"]");
        assertThat(call("DELETE", "/v1/files/" + fileId, null, "Cookie", cookie, "X-CSRF-Token", csrf).statusCode()).isEqualTo(204);
    }

    @Test
    void theUploadTokenIsAV2JwtForExactlyTheGivenFields() throws Exception {
        String session = sessionOf(signIn(server, TestServer.PRIVATE_KEY));
        String cookie = "upfront_session=" + session;
        String body = "{\"uploadPayload\":{\"fileName\":\"jwt.png\",\"folder\":\"/dash-jwt\",\"useUniqueFileName\":\"false\"}}";
        assertThat(call("POST", "/dashboard/api/upload-token", body, "Cookie", cookie).statusCode()).isEqualTo(403);
        HttpResponse<String> issued = call("POST", "/dashboard/api/upload-token", body, "Cookie", cookie, "X-CSRF-Token", csrfOf(server, session));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String token = Json.parse(issued.body()).path("token").asText();
        var uploaded = server.post("/api/v2/files/upload", Multipart.of(Map.of("fileName", "jwt.png", "folder", "/dash-jwt",
                "useUniqueFileName", "false", "token", token)).file(Images.png(10, 10)));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        assertThat(Json.parse(uploaded.body()).path("filePath").asText()).isEqualTo("/dash-jwt/jwt.png");
        var tooMuch = server.post("/api/v2/files/upload", Multipart.of(Map.of("fileName", "other.png", "folder", "/dash-jwt",
                "useUniqueFileName", "false", "token", token)).file(Images.png(10, 10)));
        assertThat(tooMuch.statusCode()).as("a token is for its fields, once").isEqualTo(400);
    }

    @Test
    void aSecondInstanceWithTheSameKeysAcceptsTheSession() {
        String session = sessionOf(signIn(server, TestServer.PRIVATE_KEY));
        try (TestServer other = TestServer.start()) {
            assertThat(other.get("/dashboard", "Cookie", "upfront_session=" + session).body())
                    .contains("Signed in as " + TestServer.PUBLIC_KEY);
        }
        try (TestServer otherKeys = TestServer.start(Map.of("UPFRONT_PUBLIC_KEY", "public_other", "UPFRONT_PRIVATE_KEY", "private_other_key_0002"))) {
            assertThat(otherKeys.get("/dashboard", "Cookie", "upfront_session=" + session).body()).contains("id=\"sign-in\"");
        }
    }

    @Test
    void signOutNeedsTheTokenAndClearsTheCookie() {
        String session = sessionOf(signIn(server, TestServer.PRIVATE_KEY));
        String cookie = "upfront_session=" + session;
        HttpRequest.Builder noToken = HttpRequest.newBuilder(server.uri("/dashboard/sign-out")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(""));
        assertThat(server.send(noToken.build()).statusCode()).isEqualTo(403);
        HttpResponse<String> out = server.send(HttpRequest.newBuilder(server.uri("/dashboard/sign-out")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrfOf(server, session))).build());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("upfront_session=;").contains("Max-Age=0");
    }

    /** What another site's page can send: a form POST with the cookie (were it sent) and no token. Refused, nothing moved. */
    @Test
    void aCrossSitePostWithoutTheCsrfTokenIsRefused() throws Exception {
        String cookie = "upfront_session=" + sessionOf(signIn(server, TestServer.PRIVATE_KEY));
        var uploaded = server.upload(Multipart.of(Map.of("fileName", "stay.png", "folder", "/xsite", "useUniqueFileName", "false"))
                .file(Images.png(12, 12)), "Authorization", TestServer.basic());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        HttpResponse<String> forged = server.send(HttpRequest.newBuilder(server.uri("/v1/files/move"))
                .header("Cookie", cookie).header("Origin", "https://evil.example").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sourceFilePath\":\"/xsite/stay.png\",\"destinationPath\":\"/gone/\"}")).build());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(Json.parse(forged.body()).path("code").asText()).isEqualTo("DASHBOARD_CSRF");
        HttpResponse<String> signing = call("POST", "/dashboard/api/signed-url", "{\"url\":\"" + server.urlEndpoint() + "/xsite/stay.png\",\"expireSeconds\":60}",
                "Cookie", cookie, "Origin", "https://evil.example");
        assertThat(signing.statusCode()).as("no signed URLs for another site").isEqualTo(403);
        assertThat(server.get("/v1/files?path=/xsite/", "Authorization", TestServer.basic()).body()).contains("/xsite/stay.png");
    }

    @Test
    void theSignedUrlEndpointSignsOnlyThisServersUrlsForABoundedTime() throws Exception {
        String session = sessionOf(signIn(server, TestServer.PRIVATE_KEY));
        String[] auth = {"Cookie", "upfront_session=" + session, "X-CSRF-Token", csrfOf(server, session)};
        String url = server.urlEndpoint() + "/any/file.png?tr=w-10";
        HttpResponse<String> ok = call("POST", "/dashboard/api/signed-url", "{\"url\":\"" + url + "\",\"expireSeconds\":60}", auth);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(Json.parse(ok.body()).path("url").asText()).matches(Pattern.quote(url) + "&ik-t=\\d+&ik-s=[0-9a-f]{40}");
        for (String body : List.of("{\"url\":\"https://elsewhere.example/a.png\",\"expireSeconds\":60}",
                "{\"url\":\"" + url + "\",\"expireSeconds\":0}", "{\"url\":\"" + url + "\",\"expireSeconds\":\"60\"}",
                "{\"url\":\"" + url + "\",\"expireSeconds\":99999999999}", "{\"expireSeconds\":60}")) {
            HttpResponse<String> refused = call("POST", "/dashboard/api/signed-url", body, auth);
            assertThat(refused.statusCode()).as(body + " -> " + refused.body()).isEqualTo(400);
        }
    }

    @Test
    void aSessionOfAnotherKeyPairIsRefusedByTheMediaApi() {
        String foreign;
        try (TestServer other = TestServer.start(Map.of("UPFRONT_PUBLIC_KEY", "public_other", "UPFRONT_PRIVATE_KEY", "private_other_key_0003"))) {
            foreign = sessionOf(signIn(other, "private_other_key_0003"));
            assertThat(other.get("/dashboard", "Cookie", "upfront_session=" + foreign).body()).contains("Signed in as public_other");
        }
        HttpResponse<String> refused = call("GET", "/v1/files", null, "Cookie", "upfront_session=" + foreign, "X-CSRF-Token", "0".repeat(64));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(server.get("/dashboard", "Cookie", "upfront_session=" + foreign).body()).contains("id=\"sign-in\"");
    }

    /** Its own server: the throttle would otherwise lock the other tests out. */
    @Test
    void failedSignInsAreThrottledPerAddress() {
        try (TestServer own = TestServer.start()) {
            for (int i = 0; i < SignInThrottle.PER_ADDRESS; i++) {
                assertThat(signIn(own, "wrong-" + i).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> throttled = signIn(own, TestServer.PRIVATE_KEY);
            assertThat(throttled.statusCode()).as("even the right key waits").isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(throttled.body()).contains("DASHBOARD_SIGN_IN_THROTTLED");
        }
    }
}

package dev.upfront.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.dashboard.DashboardAuth;
import dev.upfront.dashboard.DashboardAuth.Session;
import dev.upfront.dashboard.Overview;
import dev.upfront.delivery.Urls;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * {@code /dashboard}: the sign-in page, the signed-in page (a shell whose script calls the media API with the
 * session cookie and CSRF header, see {@link MediaRoutes}), sign-out, upload tokens for the page, and the page's
 * assets (class path {@code dashboard/}). Every page gets a strict CSP: scripts and styles from this server only.
 */
final class DashboardRoutes {
    private static final int MAX_FORM_BYTES = 4096;
    private static final Map<String, String> ASSETS = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    /** The longest expiry the signed-URL generator gives: a year. */
    static final long MAX_SIGNED_URL_SECONDS = 365L * 24 * 3600;

    private final DashboardAuth auth;
    private final Overview overview;
    private final Urls urls;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();
    private final String signInPage;
    private final String appPage;

    DashboardRoutes(DashboardAuth auth, Overview overview, Urls urls) {
        this.auth = auth;
        this.overview = overview;
        this.urls = urls;
        ASSETS.keySet().forEach(name -> assets.put(name, resource(name)));
        this.signInPage = new String(resource("sign-in.html"), StandardCharsets.UTF_8);
        this.appPage = new String(resource("app.html"), StandardCharsets.UTF_8);
    }

    void register(Router r) {
        r.add("GET", "/", ex -> redirect(ex, "/dashboard"));
        r.add("GET", "/dashboard", this::page);
        r.add("GET", "/dashboard/", ex -> redirect(ex, "/dashboard"));
        r.add("POST", "/dashboard/sign-in", this::signIn);
        r.add("POST", "/dashboard/sign-out", this::signOut);
        r.add("POST", "/dashboard/api/upload-token", this::uploadToken);
        r.add("POST", "/dashboard/api/signed-url", this::signedUrl);
        r.add("GET", "/dashboard/api/overview", ex -> {
            DashboardGate.require(ex, auth, ex.header(DashboardGate.CSRF_HEADER));
            ex.setHeader("Cache-Control", "no-store");
            ex.json(200, overview.report());
        });
        r.add("GET", "/dashboard/assets/{name}", this::asset);
    }

    private void page(Exchange ex) throws IOException {
        Optional<Session> session = DashboardGate.session(ex, auth);
        if (session.isEmpty()) {
            html(ex, 200, signInPage.replace("{{error}}", ""));
            return;
        }
        html(ex, 200, appPage.replace("{{csrf}}", session.get().csrf())
                .replace("{{urlEndpoint}}", escape(urls.endpoint()))
                .replace("{{subject}}", escape(session.get().subject())));
    }

    private void signIn(Exchange ex) throws IOException {
        requireSameOrigin(ex);
        String secret = form(ex).getOrDefault("secret", "");
        // The socket's address, not X-Forwarded-For (which any client can write): behind a load balancer every
        // sign-in shares the balancer's address, so the per-address limit acts as a second global one there.
        DashboardAuth.SignIn result = auth.signIn(secret, Request.getRemoteAddr(ex.request()));
        switch (result.outcome()) {
            case SIGNED_IN -> {
                ex.setHeader("Set-Cookie", cookie(ex, result.session().orElseThrow().token(), DashboardAuth.SESSION_LIFETIME.toSeconds()));
                redirect(ex, "/dashboard");
            }
            case REFUSED -> html(ex, ErrorCode.DASHBOARD_SIGN_IN_REFUSED.status(), signInError(ErrorCode.DASHBOARD_SIGN_IN_REFUSED));
            case THROTTLED -> {
                ex.setHeader("Retry-After", Integer.toString(ErrorCode.DASHBOARD_SIGN_IN_THROTTLED.retryAfterSeconds()));
                html(ex, ErrorCode.DASHBOARD_SIGN_IN_THROTTLED.status(), signInError(ErrorCode.DASHBOARD_SIGN_IN_THROTTLED));
            }
        }
    }

    /** A form post: the CSRF token comes as a field (no script involved). */
    private void signOut(Exchange ex) throws IOException {
        requireSameOrigin(ex);
        DashboardGate.require(ex, auth, form(ex).get("csrf"));
        ex.setHeader("Set-Cookie", cookie(ex, "", 0));
        redirect(ex, "/dashboard");
    }

    /** {uploadPayload: {fileName, folder, ...}} → {token}: a v2 JWT for exactly those fields. */
    private void uploadToken(Exchange ex) throws IOException {
        DashboardGate.require(ex, auth, ex.header(DashboardGate.CSRF_HEADER));
        JsonNode payload = JsonBody.read(ex).node("uploadPayload");
        if (payload == null || !payload.isObject()) {
            throw new ApiException(ErrorCode.INVALID_BODY, "uploadPayload should be an object of upload fields");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : payload.properties()) {
            if (!field.getValue().isTextual()) {
                throw new ApiException(ErrorCode.INVALID_BODY, "uploadPayload." + field.getKey() + " should be a string");
            }
            fields.put(field.getKey(), field.getValue().textValue());
        }
        if (fields.containsKey("iat") || fields.containsKey("exp")) {
            throw new ApiException(ErrorCode.INVALID_BODY, "uploadPayload must not hold iat or exp");
        }
        ex.setHeader("Cache-Control", "no-store");
        ex.json(200, Map.of("token", auth.uploadToken(fields)));
    }

    /** {url, expireSeconds} → {url}: the URL signed to expire then (the page never holds a private key). */
    private void signedUrl(Exchange ex) throws IOException {
        DashboardGate.require(ex, auth, ex.header(DashboardGate.CSRF_HEADER));
        JsonBody body = JsonBody.read(ex);
        String url = body.requiredString("url");
        JsonNode expire = body.node("expireSeconds");
        if (expire == null || !expire.canConvertToLong() || !expire.isIntegralNumber()
                || expire.longValue() < 1 || expire.longValue() > MAX_SIGNED_URL_SECONDS) {
            throw new ApiException(ErrorCode.INVALID_BODY, "expireSeconds should be a whole number from 1 to " + MAX_SIGNED_URL_SECONDS);
        }
        String signed;
        try {
            signed = auth.signUrl(urls.endpoint(), url, expire.longValue());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_BODY, e.getMessage());
        }
        ex.setHeader("Cache-Control", "no-store");
        ex.json(200, Map.of("url", signed));
    }

    private void asset(Exchange ex) throws IOException {
        String name = ex.pathParam("name");
        byte[] bytes = assets.get(name);
        if (bytes == null) {
            throw new ApiException(ErrorCode.ROUTE_NOT_FOUND);
        }
        ex.setHeader("Content-Type", ASSETS.get(name));
        ex.setHeader("X-Content-Type-Options", "nosniff");
        ex.setHeader("Cache-Control", "no-cache");
        ex.stream(200, bytes.length, new ByteArrayInputStream(bytes));
    }

    /**
     * A cross-site form post is refused before it is read (login CSRF: signing a victim in to the attacker's
     * session). Browsers send Origin on every POST; a client without one (curl) is no cross-site risk.
     */
    private static void requireSameOrigin(Exchange ex) {
        String origin = ex.header("Origin");
        String host = ex.header("Host");
        if (origin == null) {
            return;
        }
        try {
            String authority = URI.create(origin).getRawAuthority();
            if (authority != null && authority.equalsIgnoreCase(host)) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // not a URL: refused below
        }
        throw new ApiException(ErrorCode.DASHBOARD_ORIGIN);
    }

    /**
     * The session cookie: never readable by scripts, never sent on a cross-site request, Secure when the page came
     * over HTTPS (see {@link DashboardGate#overHttps}).
     */
    private static String cookie(Exchange ex, String value, long maxAgeSeconds) {
        return DashboardGate.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (DashboardGate.overHttps(ex) ? "; Secure" : "");
    }

    private String signInError(ErrorCode code) {
        return signInPage.replace("{{error}}", "<p class=\"error\" role=\"alert\" id=\"sign-in-error\" data-code=\""
                + code.name() + "\">" + escape(code.message()) + "</p>");
    }

    private void html(Exchange ex, int status, String body) throws IOException {
        String img = "'self' data: blob: " + origin(URI.create(urls.endpoint()));
        ex.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src " + img
                + "; media-src " + img + "; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ex.setHeader("X-Frame-Options", "DENY");
        ex.setHeader("Referrer-Policy", "same-origin");
        ex.setHeader("X-Content-Type-Options", "nosniff");
        ex.setHeader("Cache-Control", "no-store");
        ex.setHeader("Content-Type", "text/html; charset=utf-8");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.stream(status, bytes.length, new ByteArrayInputStream(bytes));
    }

    private static void redirect(Exchange ex, String location) throws IOException {
        ex.setHeader("Location", location);
        ex.empty(303);
    }

    private static Map<String, String> form(Exchange ex) throws IOException {
        byte[] bytes = ex.body().readNBytes(MAX_FORM_BYTES + 1);
        if (bytes.length > MAX_FORM_BYTES) {
            throw new ApiException(ErrorCode.FIELD_TOO_LARGE, "form");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : new String(bytes, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    fields.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new ApiException(ErrorCode.INVALID_BODY, "the form is not URL-encoded");
                }
            }
        }
        return fields;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.upfront.example;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.upfront.client.UpfrontClient;
import dev.upfront.protocol.AuthenticationParameters;
import dev.upfront.protocol.UploadToken;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /auth}, the authentication endpoint of ImageKit's client-side upload guide:
 * <ul>
 *   <li>{@code GET /auth[?token=&expire=]} answers v1 credentials {@code {token, expire, signature}}; a given token
 *       or expire is used as it is, otherwise a UUID and now + 30 minutes.</li>
 *   <li>{@code POST /auth} with {@code {uploadPayload, expire, publicKey}} answers {@code {token}}: an HS256 JWT made
 *       as the guide's {@code jsonwebtoken.sign(uploadPayload, privateKey, {expiresIn: expire, header: {alg, typ,
 *       kid: publicKey}})} makes it. The body is read as JSON whatever its Content-Type (the guide's jQuery sample
 *       labels it form-urlencoded).</li>
 * </ul>
 */
final class AuthHandler implements HttpHandler {
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final UpfrontClient client;
    private final SessionCheck session;

    AuthHandler(UpfrontClient client, SessionCheck session) {
        this.client = client;
        this.session = session;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (method.equals("OPTIONS")) {
                Http.preflight(ex, "GET, POST, OPTIONS");
                return;
            }
            if (!ex.getRequestURI().getPath().equals("/auth")) {
                Http.error(ex, 404, "Not found.");
                return;
            }
            if (!method.equals("GET") && !method.equals("POST")) {
                ex.getResponseHeaders().set("Allow", "GET, POST, OPTIONS");
                Http.error(ex, 405, "Use GET (v1 parameters) or POST (v2 token).");
                return;
            }
            if (!session.allows(ex)) {
                Http.error(ex, 401, "Sign in first.");
                return;
            }
            if (method.equals("GET")) {
                v1(ex);
            } else {
                v2(ex);
            }
        }
    }

    private void v1(HttpExchange ex) throws IOException {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String expire = query.get("expire");
        Long expireSeconds = null;
        if (expire != null && !expire.isEmpty()) {
            if (!expire.matches("\\d{1,12}")) {
                Http.error(ex, 400, "expire must be a Unix time in seconds.");
                return;
            }
            expireSeconds = Long.parseLong(expire);
        }
        AuthenticationParameters p = client.getAuthenticationParameters(query.get("token"), expireSeconds);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", p.token());
        body.put("expire", p.expire());
        body.put("signature", p.signature());
        Http.json(ex, 200, body);
    }

    private void v2(HttpExchange ex) throws IOException {
        byte[] raw = Http.body(ex, MAX_BODY_BYTES);
        if (raw == null) {
            Http.error(ex, 413, "The body is larger than " + MAX_BODY_BYTES + " bytes.");
            return;
        }
        JsonNode body;
        try {
            body = Http.JSON.readTree(raw);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.path("uploadPayload").isObject()) {
            Http.error(ex, 400, "Send a JSON body {uploadPayload: {...}, expire: seconds, publicKey}.");
            return;
        }
        JsonNode expire = body.path("expire");
        if (!expire.canConvertToLong() || !expire.isIntegralNumber()
                || expire.asLong() < 1 || expire.asLong() > UploadToken.MAX_LIFETIME_SECONDS) {
            Http.error(ex, 400, "expire must be a number of seconds from 1 to " + UploadToken.MAX_LIFETIME_SECONDS + ".");
            return;
        }
        String publicKey = body.path("publicKey").asText(client.publicKey());
        if (!publicKey.equals(client.publicKey())) {
            Http.error(ex, 400, "publicKey is not the key pair this backend signs with.");
            return;
        }
        Map<String, Object> payload = Http.JSON.convertValue(body.get("uploadPayload"), new TypeReference<LinkedHashMap<String, Object>>() { });
        if (payload.containsKey("iat") || payload.containsKey("exp")) {
            Http.error(ex, 400, "uploadPayload must not contain iat or exp; expire sets them.");
            return;
        }
        String token = client.signUploadPayload(payload, Duration.ofSeconds(expire.asLong()));
        Http.json(ex, 200, Map.of("token", token));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }
}

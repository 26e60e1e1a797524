package dev.upfront.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upfront.auth.DevAuth;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.json.Json;
import dev.upfront.protocol.AuthenticationParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /dev/auth} in emulator mode: the example backend's two routes, {@code GET} (v1 parameters, honouring
 * {@code ?token=} and {@code ?expire=}) and {@code POST} ({@code {uploadPayload, expire, publicKey}} read as JSON
 * whatever the Content-Type, answering {@code {token}}). CORS and preflights are the server's.
 */
final class DevAuthRoutes {
    private final DevAuth devAuth;

    DevAuthRoutes(DevAuth devAuth) {
        this.devAuth = devAuth;
    }

    void register(Router router) {
        router.add("GET", "/dev/auth", ex -> {
            AuthenticationParameters p = devAuth.parameters(ex.queryParam("token"), ex.queryParam("expire"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", p.token());
            body.put("expire", p.expire());
            body.put("signature", p.signature());
            ex.setHeader("Cache-Control", "no-store");
            ex.json(200, body);
        });
        router.add("POST", "/dev/auth", ex -> {
            JsonBody body = JsonBody.read(ex);
            JsonNode payload = body.node("uploadPayload");
            if (payload == null || !payload.isObject()) {
                throw new ApiException(ErrorCode.INVALID_BODY, "uploadPayload must be a JSON object");
            }
            JsonNode expire = body.node("expire");
            if (expire == null || !expire.isIntegralNumber() || !expire.canConvertToLong()) {
                throw new ApiException(ErrorCode.INVALID_BODY, "expire must be a number of seconds");
            }
            Optional<String> publicKey = Optional.ofNullable(body.node("publicKey")).filter(JsonNode::isTextual).map(JsonNode::textValue);
            String token = devAuth.uploadToken(Json.toMap(payload), expire.asLong(), publicKey);
            ex.setHeader("Cache-Control", "no-store");
            ex.json(200, Map.of("token", token));
        });
    }
}

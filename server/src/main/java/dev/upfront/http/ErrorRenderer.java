package dev.upfront.http;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place errors become responses: ImageKit's envelope {@code {message, help}} plus our {@code code}.
 * Unknown failures are logged with the request id and answered with a generic 500: no stack trace, path or
 * secret ever reaches a client.
 */
public final class ErrorRenderer {
    private static final Logger log = LoggerFactory.getLogger(ErrorRenderer.class);
    static final String HELP = "For support kindly contact the administrator of this Upfront server.";

    private ErrorRenderer() {}

    public static Map<String, Object> body(ErrorCode code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("help", HELP);
        body.put("code", code.name());
        return body;
    }

    /** Sends the error response; false when the response was already under way and cannot carry one. */
    static boolean render(Exchange ex, Throwable failure) {
        ApiException api = failure instanceof ApiException a ? a : null;
        if (api == null) {
            log.error("Request {} {} failed [requestId={}]", ex.method(), ex.path(), ex.requestId(), failure);
            api = new ApiException(ErrorCode.INTERNAL);
        }
        ex.error(api.code());
        if (ex.committed()) {
            return false;
        }
        try {
            if (api.retryAfterSeconds() > 0) {
                ex.setHeader("Retry-After", Integer.toString(api.retryAfterSeconds()));
            } else if (api.status() >= 500) {
                // Stainless-generated SDKs retry 5xx; a retried upload would burn a fresh token for nothing.
                ex.setHeader("x-should-retry", "false");
            }
            Map<String, Object> body = body(api.code(), api.getMessage());
            body.putAll(api.extra());
            ex.json(api.status(), body);
            return true;
        } catch (IOException | RuntimeException e) {
            log.debug("Could not send the error response [requestId={}]: {}", ex.requestId(), e.toString());
            return false;
        }
    }
}

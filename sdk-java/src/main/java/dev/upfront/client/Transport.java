package dev.upfront.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The HTTP side of the client: one shared {@link HttpClient}, Basic auth with the private key, JSON in and out,
 * errors turned into {@link UpfrontException}. Only GET requests are retried (they change nothing and carry no
 * one-time credential); uploads and every other method are sent exactly once.
 */
final class Transport {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

    private final HttpClient http;
    private final URI baseUrl;
    private final String authorization;
    private final Duration requestTimeout;
    private final int maxRetries;

    Transport(HttpClient http, URI baseUrl, String privateKey, Duration requestTimeout, int maxRetries) {
        this.http = http;
        this.baseUrl = baseUrl;
        // ImageKit's Basic auth: the private key as user name, an empty password.
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((privateKey + ":").getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = requestTimeout;
        this.maxRetries = maxRetries;
    }

    URI baseUrl() {
        return baseUrl;
    }

    /** {@code path} plus the query built from {@code query} (null values left out), against the base URL. */
    URI uri(String path, Map<String, ?> query) {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> {
            if (v != null) {
                q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        });
        String base = baseUrl.toString().replaceAll("/+$", "");
        return URI.create(base + path + (q.length() == 0 ? "" : "?" + q));
    }

    static String segment(String pathParameter) {
        return URLEncoder.encode(pathParameter, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON API call with Basic auth; null for an empty (204/201) answer. */
    JsonNode json(String method, String path, Map<String, ?> query, Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(writeJson(body));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, query))
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return parse(send(request.build(), method.equals("GET") ? maxRetries : 0));
    }

    /** Sends a multipart upload once; {@code basicAuth} false when the form carries client-side credentials. */
    JsonNode upload(String path, String contentType, HttpRequest.BodyPublisher body, boolean basicAuth) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, Map.of()))
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .POST(body);
        if (basicAuth) {
            request.header("Authorization", authorization);
        }
        return parse(send(request.build(), 0));
    }

    private HttpResponse<byte[]> send(HttpRequest request, int retries) {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (attempt < retries) {
                    pause(backoff(attempt));
                    continue;
                }
                throw new UpfrontException(0, null, "The request to " + request.uri().getPath() + " failed: " + e, null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpfrontException(0, null, "Interrupted while calling " + request.uri().getPath(), null, e);
            }
            int status = response.statusCode();
            boolean retryable = status == 429 || status == 502 || status == 503 || status == 504;
            if (retryable && attempt < retries) {
                pause(retryAfter(response).orElse(backoff(attempt)));
                continue;
            }
            return response;
        }
    }

    private static JsonNode parse(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String requestId = response.headers().firstValue("x-request-id")
                .or(() -> response.headers().firstValue("x-ik-requestid")).orElse(null);
        JsonNode body = null;
        if (response.body().length > 0) {
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                if (status / 100 == 2) {
                    throw new UpfrontException(status, null, "The server answered with a body that is not JSON.", requestId, e);
                }
            }
        }
        if (status / 100 != 2) {
            String message = body != null && body.hasNonNull("message") ? body.get("message").asText()
                    : "The server answered HTTP " + status + ".";
            String code = body != null && body.hasNonNull("code") ? body.get("code").asText() : null;
            throw new UpfrontException(status, code, message, requestId, null);
        }
        return body;
    }

    static byte[] writeJson(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(200L << Math.min(attempt, 4));
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,4}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .map(d -> d.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : d);
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpfrontException(0, null, "Interrupted while waiting to retry", null, e);
        }
    }

    @Override
    public String toString() {
        return "Transport{baseUrl=" + baseUrl + ", maxRetries=" + maxRetries + "}";
    }
}

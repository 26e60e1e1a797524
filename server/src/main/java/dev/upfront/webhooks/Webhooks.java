package dev.upfront.webhooks;

import dev.upfront.events.UploadEvents;
import dev.upfront.ids.Ids;
import dev.upfront.json.Json;
import dev.upfront.library.LibraryEvent;
import dev.upfront.library.LibraryFile;
import dev.upfront.video.VideoRenditions;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns events into webhook deliveries: the envelope ({@code type}, {@code id}, {@code created_at}, {@code request},
 * {@code data}) with ImageKit's payloads, one outbox row per target, then wakes the sender. Targets are the
 * account's endpoints and, for an upload's own events, the upload's {@code webhookUrl}. {@code request.x_request_id}
 * is the id of the HTTP request that caused the event (the upload's {@code x-request-id}), read from the logging
 * context the request handler sets.
 *
 * <p>A library change's event ({@link #deliveries(LibraryEvent)}) is stored by the library in the transaction that
 * makes the change (see {@code jdbc.OutboxEventLog}): a failure to store it fails the change. The upload events
 * report no database change (a rendition in the render cache, a transformation that failed), so they are enqueued
 * on their own; a failure to enqueue one is logged.
 */
public final class Webhooks implements UploadEvents {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** The logging context key of the request id (set by the HTTP layer for every request). */
    public static final String REQUEST_ID = "requestId";

    private final Outbox outbox;
    private final List<String> accountTargets;
    private final FilePayloads payloads;
    private final InstantSource clock;
    private final Runnable wake;

    /** @param wake called after deliveries were enqueued or committed (the sender looks for them at once) */
    public Webhooks(Outbox outbox, List<String> accountTargets, FilePayloads payloads, InstantSource clock, Runnable wake) {
        this.outbox = outbox;
        this.accountTargets = List.copyOf(accountTargets);
        this.payloads = payloads;
        this.clock = clock;
        this.wake = wake;
    }

    @Override
    public void preTransformSucceeded(LibraryFile file, String pre, String webhookUrl) {
        emit("upload.pre-transform.success", request("transformation", pre), () -> payloads.uploadResponse(file), webhookUrl);
    }

    @Override
    public void preTransformFailed(String name, String filePath, String pre, String reason, String webhookUrl) {
        emit("upload.pre-transform.error", request("transformation", pre), () -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", name);
            data.put("path", filePath);
            data.put("transformation", Map.of("error", Map.of("reason", reason)));
            return data;
        }, webhookUrl);
    }

    @Override
    public void postTransformSucceeded(LibraryFile file, String type, String value, String webhookUrl) {
        emit("upload.post-transform.success", request("transformation", post(type, value)), () -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("fileId", file.file().fileId());
            data.put("url", renditionUrl(file, type, value));
            data.put("name", file.file().name());
            return data;
        }, webhookUrl);
    }

    @Override
    public void postTransformFailed(LibraryFile file, String type, String value, String reason, String webhookUrl) {
        emit("upload.post-transform.error", request("transformation", post(type, value)), () -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("fileId", file.file().fileId());
            data.put("url", renditionUrl(file, type, value));
            data.put("name", file.file().name());
            data.put("path", file.file().filePath());
            data.put("transformation", Map.of("error", Map.of("reason", reason)));
            return data;
        }, webhookUrl);
    }

    /**
     * The deliveries of a library change's event, one per target (none without targets), to be stored in the
     * change's transaction; {@link #wake} once it committed.
     */
    public List<Outbox.Delivery> deliveries(LibraryEvent event) {
        Map<String, Object> request = request(null, null);
        return switch (event) {
            case LibraryEvent.FileCreated e -> deliveries("file.created", request, () -> payloads.fileObject(e.file()), e.callbackUrl());
            case LibraryEvent.VersionCreated e ->
                    deliveries("file-version.created", request, () -> payloads.fileObject(e.file()), e.callbackUrl());
            case LibraryEvent.FileUpdated e -> deliveries("file.updated", request, () -> payloads.fileObject(e.file()), e.callbackUrl());
            case LibraryEvent.FileDeleted e -> deliveries("file.deleted", request, () -> Map.of("fileId", e.fileId()), null);
            case LibraryEvent.VersionDeleted e -> deliveries("file-version.deleted", request, () -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("fileId", e.fileId());
                data.put("versionId", e.versionId());
                return data;
            }, null);
        };
    }

    /** Deliveries were stored: the sender looks for them now. */
    public void wake() {
        wake.run();
    }

    private interface Data {
        Map<String, Object> get();
    }

    private void emit(String type, Map<String, Object> request, Data data, String webhookUrl) {
        try {
            List<Outbox.Delivery> deliveries = deliveries(type, request, data, webhookUrl);
            if (!deliveries.isEmpty()) {
                outbox.enqueue(deliveries, deliveries.getFirst().createdAt());
                log.info("Event {} {} queued for {} webhook endpoint(s)", type, deliveries.getFirst().eventId(), deliveries.size());
                wake.run();
            }
        } catch (RuntimeException e) {
            log.error("Event {} could not be queued for its webhooks: {}", type, e.toString());
        }
    }

    /** The event's envelope, addressed to every target: the account's endpoints and {@code webhookUrl}. */
    private List<Outbox.Delivery> deliveries(String type, Map<String, Object> request, Data data, String webhookUrl) {
        Set<String> targets = new LinkedHashSet<>(accountTargets);
        if (webhookUrl != null) {
            targets.add(webhookUrl);
        }
        if (targets.isEmpty()) {
            // Before the id: a random UUID comes from SecureRandom, a cost every upload would pay for nothing.
            log.debug("Event {} (no webhook endpoint)", type);
            return List.of();
        }
        String eventId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("id", eventId);
        envelope.put("created_at", ISO_MILLIS.format(now));
        envelope.put("request", request);
        envelope.put("data", data.get());
        String body = Json.write(envelope);
        List<Outbox.Delivery> deliveries = new ArrayList<>();
        for (String target : targets) {
            deliveries.add(new Outbox.Delivery(Ids.objectId(), eventId, type, target, body, 0, now));
        }
        return deliveries;
    }

    /** {@code {x_request_id, <key>: <value>}}; the request id is absent outside a request. */
    private static Map<String, Object> request(String key, Object value) {
        Map<String, Object> request = new LinkedHashMap<>();
        String requestId = MDC.get(REQUEST_ID);
        if (requestId != null) {
            request.put("x_request_id", requestId);
        }
        if (key != null) {
            request.put(key, value);
        }
        return request;
    }

    /** A post entry as the upload requested it: {@code {type, value?, protocol?}} (abs is always HLS here). */
    private static Map<String, Object> post(String type, String value) {
        Map<String, Object> post = new LinkedHashMap<>();
        post.put("type", type);
        if (value != null) {
            post.put("value", value);
        }
        if (type.equals("abs")) {
            post.put("protocol", "hls");
        }
        return post;
    }

    /** Where the rendition is delivered: the file's URL with {@code ?tr=}, or a rendition's name below it. */
    private String renditionUrl(LibraryFile file, String type, String value) {
        if (type.equals("transformation")) {
            return payloads.transformedUrl(file, value);
        }
        return payloads.transformedUrl(file, null) + VideoRenditions.urlSuffix(type, value);
    }
}

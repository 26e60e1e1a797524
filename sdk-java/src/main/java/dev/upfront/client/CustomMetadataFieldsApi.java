package dev.upfront.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Custom metadata field definitions ({@code /v1/customMetadataFields}). Thread-safe. */
public final class CustomMetadataFieldsApi {
    private final Transport transport;

    CustomMetadataFieldsApi(Transport transport) {
        this.transport = transport;
    }

    /** {@code schema} holds {@code type} ({@code Text}, {@code Number}, {@code SingleSelect}...) and its limits. */
    public JsonNode create(String name, String label, Map<String, ?> schema) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("label", label);
        body.put("schema", schema);
        return transport.json("POST", "/v1/customMetadataFields", Map.of(), body);
    }

    public JsonNode list(boolean includeDeleted) {
        return transport.json("GET", "/v1/customMetadataFields", Map.of("includeDeleted", includeDeleted), null);
    }

    /** Changes {@code label} and/or {@code schema}. */
    public JsonNode update(String id, Map<String, ?> changes) {
        return transport.json("PATCH", "/v1/customMetadataFields/" + Transport.segment(id), Map.of(), changes);
    }

    public void delete(String id) {
        transport.json("DELETE", "/v1/customMetadataFields/" + Transport.segment(id), Map.of(), null);
    }
}

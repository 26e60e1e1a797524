package dev.upfront.upload.queue;

import dev.upfront.json.Json;
import dev.upfront.upload.UploadOptions;
import dev.upfront.upload.transform.UploadTransformation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A queued upload's options as stored JSON: everything its file is stored with later. {@code checks} is left out:
 * it was evaluated before the upload was queued.
 */
public final class PreJobOptions {
    private PreJobOptions() {}

    public static String write(UploadOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fileName", o.fileName());
        m.put("useUniqueFileName", o.useUniqueFileName());
        m.put("tags", o.tags());
        m.put("folder", o.folder());
        m.put("isPrivateFile", o.isPrivateFile());
        m.put("isPublished", o.isPublished());
        m.put("customCoordinates", o.customCoordinates());
        m.put("responseFields", List.copyOf(o.responseFields()));
        m.put("overwriteFile", o.overwriteFile());
        m.put("overwriteAITags", o.overwriteAITags());
        m.put("overwriteTags", o.overwriteTags());
        m.put("overwriteCustomMetadata", o.overwriteCustomMetadata());
        m.put("customMetadata", o.customMetadata());
        m.put("description", o.description());
        if (o.transformation() != null) {
            List<Map<String, Object>> post = new ArrayList<>();
            for (UploadTransformation.Post p : o.transformation().post()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("type", p.type());
                entry.put("value", p.value());
                entry.put("protocol", p.protocol());
                post.add(entry);
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("pre", o.transformation().pre());
            t.put("post", post);
            m.put("transformation", t);
        }
        m.put("webhookUrl", o.webhookUrl());
        return Json.write(m);
    }

    @SuppressWarnings("unchecked")
    public static UploadOptions read(String json) {
        Map<String, Object> m = Json.readMap(json);
        UploadTransformation transformation = null;
        if (m.get("transformation") instanceof Map<?, ?> t) {
            List<UploadTransformation.Post> post = new ArrayList<>();
            for (Map<String, Object> p : (List<Map<String, Object>>) t.get("post")) {
                post.add(new UploadTransformation.Post((String) p.get("type"), (String) p.get("value"), (String) p.get("protocol")));
            }
            transformation = new UploadTransformation((String) t.get("pre"), List.copyOf(post));
        }
        return new UploadOptions(
                (String) m.get("fileName"),
                (Boolean) m.get("useUniqueFileName"),
                (List<String>) m.get("tags"),
                (String) m.get("folder"),
                (Boolean) m.get("isPrivateFile"),
                (Boolean) m.get("isPublished"),
                (String) m.get("customCoordinates"),
                new LinkedHashSet<>((List<String>) m.get("responseFields")),
                (Boolean) m.get("overwriteFile"),
                (Boolean) m.get("overwriteAITags"),
                (Boolean) m.get("overwriteTags"),
                (Boolean) m.get("overwriteCustomMetadata"),
                (Map<String, Object>) m.get("customMetadata"),
                (String) m.get("description"),
                null,
                transformation,
                (String) m.get("webhookUrl"));
    }
}

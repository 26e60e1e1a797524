package dev.upfront.upload;

import dev.upfront.fields.CustomFields;
import dev.upfront.inspect.MediaInfo;
import dev.upfront.upload.checks.CheckFacts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The facts upload {@code checks} test: the parsed request, and what the streamed bytes turned out to be. */
final class UploadFacts {
    private UploadFacts() {}

    static CheckFacts of(UploadOptions options, CustomFields.Rules rules, StagedUpload staged, MediaInfo info) {
        Map<String, String> request = new HashMap<>();
        request.put("fileName", options.fileName());
        request.put("folder", options.folder());
        request.put("customCoordinates", options.customCoordinates());
        request.put("webhookUrl", options.webhookUrl());
        Map<String, Boolean> flags = Map.of(
                "useUniqueFileName", options.useUniqueFileName(),
                "isPrivateFile", options.isPrivateFile(),
                "isPublished", options.isPublished(),
                "overwriteFile", options.overwriteFile(),
                "overwriteAITags", options.overwriteAITags(),
                "overwriteTags", options.overwriteTags(),
                "overwriteCustomMetadata", options.overwriteCustomMetadata());
        Map<String, Object> media = new HashMap<>();
        media.put("width", info.width());
        media.put("height", info.height());
        media.putAll(info.media()); // a video's duration, bitRate and codecs, when a probe read them
        return new CheckFacts(request, flags, options.tags() == null ? List.of() : options.tags(),
                rules.withDefaults(options.customMetadata()), staged.size(), staged.type().mime(), media);
    }
}

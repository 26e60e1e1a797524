package dev.upfront.upload.checks;

import java.util.List;
import java.util.Map;

/**
 * What upload {@code checks} can test: the request's fields as the server will use them, and facts taken from the
 * uploaded bytes (size, detected type, media metadata). A null fact is unknown (e.g. a video's codec without a probe).
 *
 * @param request the string fields ({@code fileName}, {@code folder}, {@code customCoordinates}, {@code webhookUrl})
 * @param flags the boolean fields ({@code useUniqueFileName}, {@code isPrivateFile}, {@code overwriteFile}...)
 * @param tags the request's tags, empty when none
 * @param customMetadata the request's custom metadata values, by field name
 * @param media {@code width}, {@code height}, {@code duration}, {@code bitRate} (numbers), {@code videoCodec},
 *              {@code audioCodec} (strings)
 */
public record CheckFacts(Map<String, String> request, Map<String, Boolean> flags, List<String> tags,
                         Map<String, Object> customMetadata, long size, String mime, Map<String, Object> media) {}

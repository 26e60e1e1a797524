package dev.upfront.http;

import dev.upfront.delivery.Urls;
import dev.upfront.library.LibraryFile;
import dev.upfront.webhooks.FilePayloads;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/** Events carry the same JSON shapes as the HTTP API's answers. */
public final class EventPayloads implements FilePayloads {
    private final Urls urls;

    public EventPayloads(Urls urls) {
        this.urls = urls;
    }

    @Override
    public Map<String, Object> fileObject(LibraryFile file) {
        return FileJson.fileObject(file, urls);
    }

    @Override
    public Map<String, Object> uploadResponse(LibraryFile file) {
        return FileJson.uploadResponse(file, Set.of(), urls);
    }

    @Override
    public String transformedUrl(LibraryFile file, String transformation) {
        String url = urls.url(file.file().filePath());
        return transformation == null ? url : url + "?tr=" + URLEncoder.encode(transformation, StandardCharsets.UTF_8);
    }
}

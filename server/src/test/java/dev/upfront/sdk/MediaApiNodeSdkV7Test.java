package dev.upfront.sdk;

import dev.upfront.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The media API through ImageKit's Stainless-generated Node SDK, npm {@code @imagekit/nodejs} 7.x (pinned in
 * {@code src/test/node/package.json}), pointed at the server with {@code baseURL}: {@code src/test/node/media-v7.mjs}
 * binds every scenario call to {@code client.files.*}, {@code client.files.bulk.*}, {@code client.files.versions.*},
 * {@code client.files.metadata.get}, {@code client.assets.list}, {@code client.folders.*} (with {@code job.get}) and
 * {@code client.customMetadataFields.*}. The assertions and the state checks are {@link MediaApiNodeSdkContract}'s.
 */
class MediaApiNodeSdkV7Test extends MediaApiNodeSdkContract {
    @Override
    String script() {
        return "media-v7.mjs";
    }

    @Override
    String sdkPackage() {
        return "@imagekit/nodejs";
    }

    @Override
    Map<String, String> sdkEnvironment(TestServer server, Path work) {
        return Map.of();
    }
}

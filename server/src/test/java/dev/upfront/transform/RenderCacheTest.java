package dev.upfront.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.storage.fs.FilesystemBlobStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendering cache's size cap over a real blob store: least recently used renderings go first. */
class RenderCacheTest {

    @TempDir
    Path dir;

    @Test
    void evictsTheLeastRecentlyUsedPastTheCap() throws Exception {
        FilesystemBlobStore store = new FilesystemBlobStore(dir);
        RenderCache cache = new RenderCache(store, 250);
        cache.put("aaaa0001", new byte[100]);
        cache.put("aaaa0002", new byte[100]);
        assertThat(cache.find("aaaa0001")).as("used again: now the most recent").isPresent();
        cache.put("aaaa0003", new byte[100]);

        assertThat(store.find("aaaa0002")).as("the least recently used is deleted from the store").isEmpty();
        assertThat(store.find("aaaa0001")).isPresent();
        assertThat(store.find("aaaa0003")).isPresent();
        assertThat(cache.bytes()).isEqualTo(200);
        assertThat(cache.entries()).isEqualTo(2);
        assertThat(cache.evictions()).isEqualTo(1);
        assertThat(cache.find("aaaa0002")).isEmpty();
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void aRenderingLargerThanTheCapIsStillServedOnce() throws Exception {
        FilesystemBlobStore store = new FilesystemBlobStore(dir);
        RenderCache cache = new RenderCache(store, 50);
        cache.put("bbbb0001", new byte[40]);
        assertThat(cache.put("bbbb0002", new byte[80]).size()).isEqualTo(80);
        assertThat(store.find("bbbb0001")).isEmpty();
        assertThat(store.find("bbbb0002")).isPresent();
    }

    @Test
    void renderingsOfAnEarlierProcessAreAdoptedAsTheOldest() throws Exception {
        FilesystemBlobStore store = new FilesystemBlobStore(dir);
        RenderCache before = new RenderCache(store, 1000);
        before.put("cccc0001", new byte[100]);
        before.put("cccc0002", new byte[100]);

        RenderCache after = new RenderCache(new FilesystemBlobStore(dir), 250);
        after.put("cccc0003", new byte[100]);
        after.adopt(List.of("cccc0001", "cccc0002", "cccc0003"));

        assertThat(store.find("cccc0001")).as("adopted renderings are the least recently used").isEmpty();
        assertThat(store.find("cccc0002")).isPresent();
        assertThat(store.find("cccc0003")).isPresent();
        assertThat(after.bytes()).isEqualTo(200);
    }

    @Test
    void deletingAVersionForgetsItsRenderings() throws Exception {
        FilesystemBlobStore store = new FilesystemBlobStore(dir);
        RenderCache cache = new RenderCache(store, 1000);
        cache.put("dddd0001", new byte[100]);
        cache.put("eeee0001", new byte[100]);
        cache.deleteWithPrefix("dddd");
        assertThat(cache.bytes()).isEqualTo(100);
        assertThat(store.find("dddd0001")).isEmpty();
    }
}

package dev.upfront.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.storage.fs.FilesystemBlobStore;
import dev.upfront.testing.Images;
import dev.upfront.transform.java.JavaBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders stop at their deadline: the request is answered, and the work behind it ends too. */
class DerivedImagesTest {

    @Test
    void aRenderPastItsDeadlineIsStoppedNotLeftRunning(@TempDir Path renderings) throws Exception {
        RenderCache cache = new RenderCache(new FilesystemBlobStore(renderings), 1 << 30);
        try (DerivedImages derived = new DerivedImages(cache, new JavaBackend(), 2, Duration.ofSeconds(1))) {
            // Minutes of work on one core; the cost bound is the caller's (Transforms') business, not tested here.
            Plan huge = new Plan(List.of(new Op.Resize(4000, 4000), new Op.Blur(50)), Step.Format.PNG, 80, 0xFFFFFFFFL, 4000, 4000);
            byte[] source = Images.png(16, 16);
            assertThatThrownBy(() -> derived.get("ffff0001huge", huge, RenderCost.of(huge, 16, 16), () -> source))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSFORM_TIMEOUT));
            for (int i = 0; i < 600 && (derived.timedOut() == 0 || derived.runningExpensive() > 0); i++) {
                Thread.sleep(100);
            }
            assertThat(derived.timedOut()).as("the render itself saw its deadline and stopped").isEqualTo(1);
            assertThat(derived.runningExpensive()).isZero();
            assertThat(cache.entries()).isZero();
        }
    }
}

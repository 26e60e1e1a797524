package dev.upfront.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.storage.fs.FilesystemBlobStore;
import dev.upfront.testing.Images;
import dev.upfront.testing.Requirements;
import dev.upfront.transform.java.JavaBackend;
import dev.upfront.transform.vips.VipsBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A render's bounds are checked against the size inspection recorded; an image whose own header declares more
 * pixels than that (a crafted container that inspection misread) is refused before it is decoded, on either backend.
 */
class TransformsHeaderTest {
    private static final Transformation WIDTH_10 = new TransformParser(Map.of()).parse("w-10");

    @Test
    void anImageLargerThanRecordedIsRefusedOnTheJavaBackend(@TempDir Path renderings) throws Exception {
        refusesWhatIsLargerThanRecorded(new JavaBackend(), renderings);
    }

    @Test
    void anImageLargerThanRecordedIsRefusedOnLibvips(@TempDir Path renderings) throws Exception {
        var vips = VipsBackend.load();
        Requirements.require(vips.isPresent(), "libvips42");
        refusesWhatIsLargerThanRecorded(vips.get(), renderings);
    }

    private static void refusesWhatIsLargerThanRecorded(ImageBackend backend, Path renderings) throws Exception {
        byte[] png = Images.png(400, 300);
        try (DerivedImages derived = new DerivedImages(new RenderCache(new FilesystemBlobStore(renderings), 1 << 20), backend, 2,
                Duration.ofSeconds(10))) {
            Transforms transforms = new Transforms(new FilesystemBlobStore(renderings.resolve("originals")), derived, 50_000_000);
            assertThat(transforms.renderOnce(new Transforms.Source(() -> png, "image/png", 400, 300, 1), WIDTH_10).bytes())
                    .as("as recorded").isNotEmpty();
            assertThat(transforms.renderOnce(new Transforms.Source(() -> png, "image/png", 800, 600, 1), WIDTH_10).bytes())
                    .as("smaller than recorded costs less than planned").isNotEmpty();
            assertThatThrownBy(() -> transforms.renderOnce(new Transforms.Source(() -> png, "image/png", 40, 30, 1), WIDTH_10))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
                        assertThat(e.getMessage()).contains("header");
                    });
            assertThat(derived.renders()).as("refused before any decode").isEqualTo(2);
        }
    }
}

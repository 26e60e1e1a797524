package dev.upfront.transform.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.testing.CancelledRender;
import dev.upfront.testing.Images;
import dev.upfront.transform.Deadline;
import dev.upfront.transform.ImageBackend.ImageException;
import dev.upfront.transform.Op;
import dev.upfront.transform.Plan;
import dev.upfront.transform.Step;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure-Java backend stops a render whose deadline is cancelled, inside its most expensive operation too. */
class JavaBackendDeadlineTest {

    @Test
    void aCancelledBlurStops() throws Exception {
        // σ 50 on 4000 × 4000: hundreds of billions of multiplications, far more than the bound below.
        Plan huge = new Plan(List.of(new Op.Resize(4000, 4000), new Op.Blur(50)), Step.Format.PNG, 80, 0xFFFFFFFFL, 4000, 4000);
        Throwable failure = CancelledRender.run(new JavaBackend(), Images.png(16, 16), huge, Duration.ofSeconds(1));
        assertThat(failure).isInstanceOf(ImageException.class).hasMessageContaining("ran out of time");
    }

    /** The blur itself checks as it goes: a deadline that passes in the middle of one stops it there. */
    @Test
    void theBlurChecksTheDeadlineAsItGoes() {
        Deadline deadline = Deadline.none();
        deadline.cancel();
        BufferedImage image = new BufferedImage(500, 500, BufferedImage.TYPE_INT_ARGB);
        assertThatThrownBy(() -> JavaBackend.blur(image, 5, deadline)).isInstanceOf(ImageException.class);
    }

    @Test
    void aPassedDeadlineStopsBeforeDecoding() {
        Deadline deadline = Deadline.none();
        deadline.cancel();
        Plan small = new Plan(List.of(new Op.Resize(8, 8)), Step.Format.PNG, 80, 0xFFFFFFFFL, 8, 8);
        assertThatThrownBy(() -> new JavaBackend().render(Images.png(16, 16), small, deadline))
                .isInstanceOf(ImageException.class);
    }
}

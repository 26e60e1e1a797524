package dev.upfront.testing;

import dev.upfront.transform.Deadline;
import dev.upfront.transform.ImageBackend;
import dev.upfront.transform.Plan;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Starts a render on a platform thread, cancels its deadline after a while, and reports how it ended. */
public final class CancelledRender {
    private CancelledRender() {}

    /**
     * @return what the render threw (null if it finished); fails with a TimeoutException when the render has not
     *     stopped a minute after the cancel
     */
    public static Throwable run(ImageBackend backend, byte[] source, Plan plan, Duration cancelAfter) throws Exception {
        Deadline deadline = Deadline.none();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                backend.render(source, plan, deadline);
                return null;
            } catch (Throwable e) {
                return e;
            }
        }, runnable -> new Thread(runnable, "cancelled-render").start());
        Thread.sleep(cancelAfter.toMillis());
        deadline.cancel();
        return outcome.get(60, TimeUnit.SECONDS);
    }
}

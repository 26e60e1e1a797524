package dev.upfront.transform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When a render must stop. The owner calls {@link #cancel()} when time runs out (or the render is no longer
 * wanted); a backend either polls {@link #check()} between and inside its steps, or registers
 * {@link #onCancel(Runnable)} to stop native work it cannot poll (libvips's kill flag). Thread-safe.
 */
public final class Deadline {
    private final long endNanos;
    private final List<Runnable> listeners = new ArrayList<>();
    private volatile boolean cancelled;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** No time limit (tests and tools); {@link #cancel()} still stops the render. */
    public static Deadline none() {
        return new Deadline(System.nanoTime() + Duration.ofDays(365).toNanos());
    }

    /** Whether the render should stop now. */
    public boolean passed() {
        return cancelled || System.nanoTime() - endNanos > 0;
    }

    /** @throws ImageBackend.ImageException when the render should stop */
    public void check() throws ImageBackend.ImageException {
        if (passed()) {
            throw new ImageBackend.ImageException("the render ran out of time");
        }
    }

    /** Stops the render: runs every listener once (now or, for later registrations, at once). */
    public void cancel() {
        List<Runnable> toRun;
        synchronized (listeners) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(listeners);
            listeners.clear();
        }
        toRun.forEach(Runnable::run);
    }

    /** Runs {@code listener} on cancellation (at once when already cancelled); the returned handle unregisters it. */
    public Registration onCancel(Runnable listener) {
        synchronized (listeners) {
            if (!cancelled) {
                listeners.add(listener);
                return () -> {
                    synchronized (listeners) {
                        listeners.remove(listener);
                    }
                };
            }
        }
        listener.run();
        return () -> { };
    }

    /** Unregisters a listener; closing never throws. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}

package dev.drover.conformance;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a condition with a deadline: the kit's only way to synchronise with backends, workers and child
 * processes. The deadline is a failure bound, not an expectation; conditions are checked every few milliseconds,
 * so a test takes as long as the behaviour it waits for, never longer.
 */
public final class Await {
    private static final long CHECK_EVERY_MILLIS = 10;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} is true; fails with "timed out after ... waiting until {@code what}" once
     * {@code timeout} has passed. An exception thrown by the condition fails at once.
     */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        value(timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), what);
    }

    /** Returns the first present value {@code probe} gives; fails like {@link #until} once {@code timeout} has passed. */
    public static <T> T value(Duration timeout, Supplier<Optional<T>> probe, String what) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) return found.get();
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + Duration.ofNanos(System.nanoTime() - start).toMillis()
                        + " ms waiting until " + what);
            }
            pause(Duration.ofMillis(CHECK_EVERY_MILLIS));
        }
    }

    /**
     * Lets time pass on purpose, for a reason a test names (letting a lease run out, letting a poller back off).
     * Never a way to wait for something to happen: use {@link #until} for that.
     */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while pausing", e);
        }
    }
}

package dev.drover.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The scenarios' timing loop: watches a counter until it reaches its target, failing when it stops moving for
 * {@link #STALL_LIMIT}. It polls at a fixed resolution; that is the measurement's resolution, not synchronisation.
 */
final class CounterWait {
    /** A run fails when its counter does not move for this long. */
    static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    private CounterWait() {
    }

    /**
     * @param onTick   called with the count on every poll (progress lines)
     * @param stalled  the failure's message, given the count it stalled at
     * @return seconds from {@code startNanos} until the counter reached {@code target}
     */
    static double until(LongSupplier counter, long target, long startNanos, long pollMillis, LongConsumer onTick,
                        LongFunction<String> stalled) throws InterruptedException, TimeoutException {
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long count = counter.getAsLong();
            long now = System.nanoTime();
            if (count >= target) return (now - startNanos) / 1e9;
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            } else if (now - lastChange > STALL_LIMIT.toNanos()) {
                throw new TimeoutException(stalled.apply(count) + " and no more in " + STALL_LIMIT.toSeconds() + " s");
            }
            onTick.accept(count);
            Thread.sleep(pollMillis);
        }
    }
}

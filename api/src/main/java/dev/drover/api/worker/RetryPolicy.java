package dev.drover.api.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How long a failed task waits before its next attempt. The delay is persisted as the task's new run_at. */
@FunctionalInterface
public interface RetryPolicy {
    /** The delay after attempt number {@code attempt} (1 for the first run) failed. */
    Duration delayAfter(int attempt);

    /**
     * {@code base * 2^(attempt-1)}, capped at {@code max}, then spread by up to {@code jitter} (0 to 1) either way so
     * that tasks that failed together do not all retry in the same instant (no retry storms).
     */
    static RetryPolicy exponential(Duration base, Duration max, double jitter) {
        if (base.isNegative() || max.isNegative() || base.compareTo(max) > 0) {
            throw new IllegalArgumentException("exponential backoff needs 0 <= base <= max (got base " + base + ", max " + max + ")");
        }
        if (jitter < 0 || jitter > 1) throw new IllegalArgumentException("jitter must be between 0 and 1 (got " + jitter + ")");
        long baseMs = base.toMillis();
        long maxMs = max.toMillis();
        return attempt -> {
            int exponent = Math.max(0, Math.min(attempt - 1, 40));
            double raw = Math.min((double) maxMs, baseMs * Math.pow(2, exponent));
            double spread = raw * jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
            return Duration.ofMillis(Math.max(0, Math.round(Math.min(maxMs, raw + spread))));
        };
    }

    /** The default: 1 s, 2 s, 4 s ... capped at one hour, ±20%. */
    static RetryPolicy defaultPolicy() {
        return exponential(Duration.ofSeconds(1), Duration.ofHours(1), 0.2);
    }

    static RetryPolicy fixed(Duration delay) {
        if (delay.isNegative()) throw new IllegalArgumentException("retry delay must not be negative: " + delay);
        return attempt -> delay;
    }
}

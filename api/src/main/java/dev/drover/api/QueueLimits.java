package dev.drover.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Queue-wide limits, enforced by the claim in the storage, so every worker of every process honours them together
 * (a worker's own {@code concurrency(n)} still caps that worker on top of them). Immutable; build from {@link #none()}:
 * {@code QueueLimits.none().concurrency(2).rate(10, Duration.ofSeconds(1))}.
 * <ul>
 *   <li>{@link #concurrency(int) concurrency(n)}: at most {@code n} tasks of the queue RUNNING at once (with a lease that has
 *   not expired), across all workers and processes. A task that finishes, or whose lease expires, frees its slot.</li>
 *   <li>{@link #rate(int, Duration) rate(n, interval)}: at most {@code n} starts (claims) in any window of length
 *   {@code interval}: a sliding window, measured on the backend's clock; a claim at time t counts the starts after
 *   t − interval. A retry or a reclaim after a lost lease is a start too.</li>
 * </ul>
 */
public final class QueueLimits {
    private static final QueueLimits NONE = new QueueLimits(null, null, null);

    private final Integer maxRunning;
    private final Integer maxStarts;
    private final Duration rateInterval;

    private QueueLimits(Integer maxRunning, Integer maxStarts, Duration rateInterval) {
        this.maxRunning = maxRunning;
        this.maxStarts = maxStarts;
        this.rateInterval = rateInterval;
    }

    /** No queue-wide limit: workers claim as much as their own concurrency allows. */
    public static QueueLimits none() {
        return NONE;
    }

    /** These limits with at most {@code n} (at least 1) tasks RUNNING at once across all workers. */
    public QueueLimits concurrency(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a queue's concurrency limit is at least 1 (got " + n + "): to stop claiming, pause the queue");
        }
        return new QueueLimits(n, maxStarts, rateInterval);
    }

    /** These limits without a concurrency limit. */
    public QueueLimits withoutConcurrency() {
        return new QueueLimits(null, maxStarts, rateInterval);
    }

    /**
     * These limits with at most {@code n} (at least 1) starts in any window of {@code interval} (sliding; at least one
     * millisecond, the backend clock's resolution).
     */
    public QueueLimits rate(int n, Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (n < 1) {
            throw new IllegalArgumentException("a queue's rate limit allows at least 1 start per interval (got " + n
                    + "): to stop claiming, pause the queue");
        }
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("a queue's rate limit interval is at least 1 ms (got " + interval + ")");
        }
        return new QueueLimits(maxRunning, n, Duration.ofMillis(interval.toMillis()));
    }

    /** These limits without a rate limit. */
    public QueueLimits withoutRate() {
        return new QueueLimits(maxRunning, null, null);
    }

    /** The concurrency limit, if there is one. */
    public OptionalInt maxRunning() {
        return maxRunning == null ? OptionalInt.empty() : OptionalInt.of(maxRunning);
    }

    /** The number of starts the rate limit allows per {@link #rateInterval()}, if there is a rate limit. */
    public OptionalInt maxStarts() {
        return maxStarts == null ? OptionalInt.empty() : OptionalInt.of(maxStarts);
    }

    /** The rate limit's window, if there is a rate limit. */
    public Optional<Duration> rateInterval() {
        return Optional.ofNullable(rateInterval);
    }

    /** True when neither limit is set. */
    public boolean isNone() {
        return maxRunning == null && maxStarts == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueLimits l && Objects.equals(maxRunning, l.maxRunning) && Objects.equals(maxStarts, l.maxStarts)
                && Objects.equals(rateInterval, l.rateInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxRunning, maxStarts, rateInterval);
    }

    @Override
    public String toString() {
        if (isNone()) return "QueueLimits[none]";
        StringBuilder s = new StringBuilder("QueueLimits[");
        if (maxRunning != null) s.append("concurrency=").append(maxRunning);
        if (maxStarts != null) s.append(maxRunning != null ? ", " : "").append("rate=").append(maxStarts).append(" per ").append(rateInterval);
        return s.append(']').toString();
    }
}

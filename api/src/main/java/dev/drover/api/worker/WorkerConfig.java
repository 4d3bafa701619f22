package dev.drover.api.worker;

import dev.drover.api.ConfigurationException;

import java.time.Duration;

/**
 * A worker's settings. Built through {@link Worker.Builder}; each value is checked when set, with a message
 * naming the setting.
 *
 * @param explicitHeartbeatInterval null means a third of the lease
 * @param taskTimeout null means no timeout
 * @param stuckTaskLimit how long a timed-out handler that ignores its interrupt is waited for before the worker
 *                       gives up on it (see {@link Worker.Builder#stuckTaskLimit(Duration)})
 */
public record WorkerConfig(int concurrency, Duration leaseDuration, Duration explicitHeartbeatInterval, Duration pollMin,
                           Duration pollMax, int maxBatch, Duration taskTimeout, Duration stuckTaskLimit, Duration drainTimeout,
                           RetryPolicy retryPolicy, WorkerListener listener) {

    public WorkerConfig {
        if (concurrency < 1) throw new ConfigurationException("worker concurrency must be at least 1 (got " + concurrency + ")");
        positive("leaseDuration", leaseDuration);
        if (leaseDuration.toMillis() < 100) throw new ConfigurationException("leaseDuration must be at least 100 ms (got " + leaseDuration + ")");
        if (explicitHeartbeatInterval != null) {
            positive("heartbeatInterval", explicitHeartbeatInterval);
            if (explicitHeartbeatInterval.compareTo(leaseDuration) >= 0) {
                throw new ConfigurationException("heartbeatInterval (" + explicitHeartbeatInterval + ") must be shorter than leaseDuration ("
                        + leaseDuration + "), or leases expire between heartbeats; a third of the lease is a good value");
            }
        }
        positive("pollInterval min", pollMin);
        positive("pollInterval max", pollMax);
        if (pollMin.compareTo(pollMax) > 0) throw new ConfigurationException("pollInterval min (" + pollMin + ") must not exceed max (" + pollMax + ")");
        if (maxBatch < 1) throw new ConfigurationException("maxBatch must be at least 1 (got " + maxBatch + ")");
        if (taskTimeout != null) positive("taskTimeout", taskTimeout);
        positive("stuckTaskLimit", stuckTaskLimit);
        if (drainTimeout == null || drainTimeout.isNegative()) throw new ConfigurationException("drainTimeout must be zero or more (got " + drainTimeout + ")");
        if (retryPolicy == null) throw new ConfigurationException("retryPolicy must not be null");
    }

    public static WorkerConfig defaults() {
        return new WorkerConfig(8, Duration.ofSeconds(30), null, Duration.ofMillis(50), Duration.ofSeconds(2), 100,
                Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofSeconds(30), RetryPolicy.defaultPolicy(), null);
    }

    public Duration heartbeatInterval() {
        return explicitHeartbeatInterval != null ? explicitHeartbeatInterval : leaseDuration.dividedBy(3);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new ConfigurationException(name + " must be a positive duration (got " + value + ")");
        }
    }

    WorkerConfig withConcurrency(int n) {
        return new WorkerConfig(n, leaseDuration, explicitHeartbeatInterval, pollMin, pollMax, maxBatch, taskTimeout, stuckTaskLimit, drainTimeout, retryPolicy, listener);
    }

    WorkerConfig withLease(Duration lease) {
        return new WorkerConfig(concurrency, lease, explicitHeartbeatInterval, pollMin, pollMax, maxBatch, taskTimeout, stuckTaskLimit, drainTimeout, retryPolicy, listener);
    }

    WorkerConfig withHeartbeatInterval(Duration interval) {
        return new WorkerConfig(concurrency, leaseDuration, interval, pollMin, pollMax, maxBatch, taskTimeout, stuckTaskLimit, drainTimeout, retryPolicy, listener);
    }

    WorkerConfig withPollInterval(Duration min, Duration max) {
        return new WorkerConfig(concurrency, leaseDuration, explicitHeartbeatInterval, min, max, maxBatch, taskTimeout, stuckTaskLimit, drainTimeout, retryPolicy, listener);
    }

    WorkerConfig withMaxBatch(int n) {
        return new WorkerConfig(concurrency, leaseDuration, explicitHeartbeatInterval, pollMin, pollMax, n, taskTimeout, stuckTaskLimit, drainTimeout, retryPolicy, listener);
    }

    WorkerConfig withTaskTimeout(Duration timeout) {
        return new WorkerConfig(concurrency, leaseDuration, explicitHeartbeatInterval, pollMin, pollMax, maxBatch, timeout, stuckTaskLimit, drainTimeout, retryPolicy, listener);
    }

    WorkerConfig withStuckTaskLimit(Duration limit) {
        return new WorkerConfig(concurrency, leaseDuration, explicitHeartbeatInterval, pollMin, pollMax, maxBatch, taskTimeout, limit, drainTimeout, retryPolicy, listener);
    }

    WorkerConfig withDrainTimeout(Duration timeout) {
        return new WorkerConfig(concurrency, leaseDuration, explicitHeartbeatInterval, pollMin, pollMax, maxBatch, taskTimeout, stuckTaskLimit, timeout, retryPolicy, listener);
    }

    WorkerConfig withRetryPolicy(RetryPolicy policy) {
        return new WorkerConfig(concurrency, leaseDuration, explicitHeartbeatInterval, pollMin, pollMax, maxBatch, taskTimeout, stuckTaskLimit, drainTimeout, policy, listener);
    }

    WorkerConfig withListener(WorkerListener l) {
        return new WorkerConfig(concurrency, leaseDuration, explicitHeartbeatInterval, pollMin, pollMax, maxBatch, taskTimeout, stuckTaskLimit, drainTimeout, retryPolicy, l);
    }
}

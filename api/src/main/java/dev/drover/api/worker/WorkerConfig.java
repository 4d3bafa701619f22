package dev.drover.api.worker;

import dev.drover.api.ConfigurationException;

import java.time.Duration;
import java.util.Objects;

/**
 * A worker's settings, as {@link Worker#config()} reports them. Built through {@link Worker.Builder}; each value is
 * checked when set, with a message naming the setting. A final class rather than a record, so a setting added later
 * breaks no caller.
 */
public final class WorkerConfig {
    private final int concurrency;
    private final Duration leaseDuration;
    private final Duration explicitHeartbeatInterval;
    private final Duration pollMin;
    private final Duration pollMax;
    private final int maxBatch;
    private final Duration taskTimeout;
    private final Duration stuckTaskLimit;
    private final Duration drainTimeout;
    private final RetryPolicy retryPolicy;
    private final WorkerListener listener;

    private WorkerConfig(int concurrency, Duration leaseDuration, Duration explicitHeartbeatInterval, Duration pollMin,
                         Duration pollMax, int maxBatch, Duration taskTimeout, Duration stuckTaskLimit, Duration drainTimeout,
                         RetryPolicy retryPolicy, WorkerListener listener) {
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
        this.concurrency = concurrency;
        this.leaseDuration = leaseDuration;
        this.explicitHeartbeatInterval = explicitHeartbeatInterval;
        this.pollMin = pollMin;
        this.pollMax = pollMax;
        this.maxBatch = maxBatch;
        this.taskTimeout = taskTimeout;
        this.stuckTaskLimit = stuckTaskLimit;
        this.drainTimeout = drainTimeout;
        this.retryPolicy = retryPolicy;
        this.listener = listener;
    }

    public static WorkerConfig defaults() {
        return new WorkerConfig(8, Duration.ofSeconds(30), null, Duration.ofMillis(50), Duration.ofSeconds(2), 100,
                Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofSeconds(30), RetryPolicy.defaultPolicy(), null);
    }

    /** Tasks run at once at most. */
    public int concurrency() {
        return concurrency;
    }

    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** The heartbeat interval set explicitly, or null for a third of the lease ({@link #heartbeatInterval()}). */
    public Duration explicitHeartbeatInterval() {
        return explicitHeartbeatInterval;
    }

    public Duration pollMin() {
        return pollMin;
    }

    public Duration pollMax() {
        return pollMax;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** How long a handler may run before it is interrupted and its attempt fails; null means no timeout. */
    public Duration taskTimeout() {
        return taskTimeout;
    }

    /**
     * How long a timed-out handler that ignores its interrupt is waited for before the worker gives up on it (see
     * {@link Worker.Builder#stuckTaskLimit(Duration)}).
     */
    public Duration stuckTaskLimit() {
        return stuckTaskLimit;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The listener of worker events, or null. */
    public WorkerListener listener() {
        return listener;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerConfig c && concurrency == c.concurrency && leaseDuration.equals(c.leaseDuration)
                && Objects.equals(explicitHeartbeatInterval, c.explicitHeartbeatInterval) && pollMin.equals(c.pollMin)
                && pollMax.equals(c.pollMax) && maxBatch == c.maxBatch && Objects.equals(taskTimeout, c.taskTimeout)
                && stuckTaskLimit.equals(c.stuckTaskLimit) && drainTimeout.equals(c.drainTimeout)
                && retryPolicy.equals(c.retryPolicy) && Objects.equals(listener, c.listener);
    }

    @Override
    public int hashCode() {
        return Objects.hash(concurrency, leaseDuration, explicitHeartbeatInterval, pollMin, pollMax, maxBatch, taskTimeout,
                stuckTaskLimit, drainTimeout, retryPolicy, listener);
    }

    @Override
    public String toString() {
        return "WorkerConfig[concurrency=" + concurrency + ", leaseDuration=" + leaseDuration + ", heartbeatInterval="
                + heartbeatInterval() + ", poll=" + pollMin + ".." + pollMax + ", maxBatch=" + maxBatch + ", taskTimeout="
                + taskTimeout + ", stuckTaskLimit=" + stuckTaskLimit + ", drainTimeout=" + drainTimeout + ", retryPolicy="
                + retryPolicy + (listener == null ? "" : ", listener=" + listener) + "]";
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

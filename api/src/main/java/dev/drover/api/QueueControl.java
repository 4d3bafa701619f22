package dev.drover.api;

import java.util.Objects;

/**
 * The persisted control of one queue: whether it is paused, and its {@link QueueLimits}. Every claim reads it, in every
 * process: a paused queue's claim takes nothing (running tasks go on, settle and heartbeat; pushes are still stored).
 * A queue nobody set is {@link #DEFAULT}: running, without limits.
 */
public final class QueueControl {
    /** Not paused, no limits: what a queue is until someone sets it. */
    public static final QueueControl DEFAULT = new QueueControl(false, QueueLimits.none());

    private final boolean paused;
    private final QueueLimits limits;

    private QueueControl(boolean paused, QueueLimits limits) {
        this.paused = paused;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A control with the given pause flag and limits. */
    public static QueueControl of(boolean paused, QueueLimits limits) {
        return !paused && limits.isNone() ? DEFAULT : new QueueControl(paused, limits);
    }

    /** True while the queue is paused. */
    public boolean paused() {
        return paused;
    }

    /** The queue-wide limits. */
    public QueueLimits limits() {
        return limits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueControl c && paused == c.paused && limits.equals(c.limits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(paused, limits);
    }

    @Override
    public String toString() {
        return "QueueControl[" + (paused ? "paused" : "running") + ", " + limits + "]";
    }
}

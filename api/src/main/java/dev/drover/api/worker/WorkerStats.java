package dev.drover.api.worker;

import java.util.Objects;

/**
 * Counters since the worker started, as {@link Worker#stats()} reports them. A final class rather than a record, so a
 * counter added later breaks no caller.
 */
public final class WorkerStats {
    private final long claimed;
    private final long completed;
    private final long retried;
    private final long dead;
    private final long released;
    private final long leaseLost;
    private final long stuck;
    private final long storageFailures;
    private final int running;
    private final long cancelled;

    WorkerStats(long claimed, long completed, long retried, long dead, long released, long leaseLost, long stuck,
                long storageFailures, int running, long cancelled) {
        this.claimed = claimed;
        this.completed = completed;
        this.retried = retried;
        this.dead = dead;
        this.released = released;
        this.leaseLost = leaseLost;
        this.stuck = stuck;
        this.storageFailures = storageFailures;
        this.running = running;
        this.cancelled = cancelled;
    }

    /** Tasks claimed. */
    public long claimed() {
        return claimed;
    }

    /** Tasks completed (DONE). */
    public long completed() {
        return completed;
    }

    /** Failed attempts scheduled for a retry. */
    public long retried() {
        return retried;
    }

    /** Tasks that went DEAD. */
    public long dead() {
        return dead;
    }

    /** Tasks given back unfinished (shutdown). */
    public long released() {
        return released;
    }

    /** Leases lost before the outcome was written (the outcome was fenced off). */
    public long leaseLost() {
        return leaseLost;
    }

    /** Runs that timed out and ignored their interrupt ({@link WorkerEvent.TaskStuck}). */
    public long stuck() {
        return stuck;
    }

    /** Storage calls that failed (the worker backs off and tries again). */
    public long storageFailures() {
        return storageFailures;
    }

    /** Tasks cancelled while they ran here (their handlers interrupted, their outcomes not recorded); not failures. */
    public long cancelled() {
        return cancelled;
    }

    /** Tasks whose handlers are running or whose outcomes are being written. */
    public int running() {
        return running;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerStats s && claimed == s.claimed && completed == s.completed && retried == s.retried
                && dead == s.dead && released == s.released && leaseLost == s.leaseLost && stuck == s.stuck
                && storageFailures == s.storageFailures && running == s.running && cancelled == s.cancelled;
    }

    @Override
    public int hashCode() {
        return Objects.hash(claimed, completed, retried, dead, released, leaseLost, stuck, storageFailures, running, cancelled);
    }

    @Override
    public String toString() {
        return "WorkerStats[claimed=" + claimed + ", completed=" + completed + ", retried=" + retried + ", dead=" + dead
                + ", released=" + released + ", leaseLost=" + leaseLost + ", stuck=" + stuck + ", storageFailures="
                + storageFailures + ", running=" + running + ", cancelled=" + cancelled + "]";
    }
}

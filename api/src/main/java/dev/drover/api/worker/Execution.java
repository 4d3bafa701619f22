package dev.drover.api.worker;

import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One claimed task inside a worker, from claim to the moment its slot is free again.
 * <ul>
 * <li><b>decided</b>: the outcome is chosen, exactly once — by the handler returning, by the timeout, by
 * shutdown releasing it, or by the task being cancelled while it ran (then there is no outcome to record). A later attempt to decide (the handler returning after its timeout) changes nothing.</li>
 * <li><b>recorded</b>: the outcome is handed to the {@link Settler}. Usually at once; a timed-out run's failure
 * waits until its thread has ended, so the task cannot be claimed again (and run twice at once) while this run
 * goes on — or until the worker gives up on the thread ({@link WorkerConfig#stuckTaskLimit()}, shutdown).</li>
 * <li><b>settled</b>: the outcome is written (or refused, or abandoned): the lease is no longer ours to keep
 * alive, so heartbeats stop. Until then they go on, also for a timed-out run whose thread has not ended.</li>
 * <li><b>threadEnded</b>: the handler's thread has ended.</li>
 * </ul>
 * The slot is freed only when the thread has ended and the outcome is settled: a thread that ignores its
 * interrupt keeps its slot, because it really is running.
 */
final class Execution {
    final ClaimedTask claimed;
    final long startedNanos = System.nanoTime();
    volatile Thread thread;
    /** The lease is no longer ours to keep alive: the outcome was written (or refused). */
    volatile boolean settled;
    /** The handler's thread has ended (its slot frees once the outcome is written too). */
    volatile boolean threadEnded;
    /** When the timeout interrupted the run ({@link System#nanoTime()}); meaningful once {@link #timedOut()}. */
    private volatile long timedOutNanos;
    private volatile boolean timedOut;
    private final AtomicBoolean decided = new AtomicBoolean();
    private final AtomicBoolean timeoutRecorded = new AtomicBoolean();
    private final AtomicBoolean stuckReported = new AtomicBoolean();
    private final AtomicBoolean leaseLostReported = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicInteger openParts = new AtomicInteger(2);

    Execution(ClaimedTask claimed) {
        this.claimed = claimed;
    }

    Lease lease() {
        return claimed.lease();
    }

    int attempt() {
        return claimed.task().attempt();
    }

    /** True for the one caller that decides the outcome. */
    boolean decide() {
        return decided.compareAndSet(false, true);
    }

    boolean decided() {
        return decided.get();
    }

    /**
     * Decides the outcome as "timed out" at {@code nowNanos}; false when it was already decided. The failure is
     * recorded later, by the one caller of {@link #takeTimeoutOutcome()} that gets true.
     */
    boolean decideTimedOut(long nowNanos) {
        if (!decide()) return false;
        timedOutNanos = nowNanos;
        timedOut = true;
        return true;
    }

    boolean timedOut() {
        return timedOut;
    }

    long timedOutNanos() {
        return timedOutNanos;
    }

    /** True for the one caller that records a timed-out run's failure: its thread ending, or the worker giving up. */
    boolean takeTimeoutOutcome() {
        return timedOut && timeoutRecorded.compareAndSet(false, true);
    }

    /** A timed-out run whose failure is not recorded yet, because its thread has not ended. */
    boolean awaitingItsThread() {
        return timedOut && !timeoutRecorded.get();
    }

    /** True the first time only, so a stuck run is reported once. */
    boolean markStuck() {
        return stuckReported.compareAndSet(false, true);
    }

    boolean reportedStuck() {
        return stuckReported.get();
    }

    /** True the first time only, so a lost lease is reported once. */
    boolean markLeaseLost() {
        return leaseLostReported.compareAndSet(false, true);
    }

    /** True the first time only: the task was cancelled while this run held it (reported once, acted on once). */
    boolean markCancelled() {
        return cancelled.compareAndSet(false, true);
    }

    boolean cancelled() {
        return cancelled.get();
    }

    /** Marks one of the two parts (thread ended, outcome settled) done; true when both are. */
    boolean partDone() {
        return openParts.decrementAndGet() == 0;
    }
}

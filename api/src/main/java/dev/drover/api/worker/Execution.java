package dev.drover.api.worker;

import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One claimed task inside a worker, from claim to the moment its slot is free again. The outcome is decided
 * exactly once — by the handler returning, by the timeout, or by shutdown releasing it — and the slot is freed
 * only when both the handler's thread has ended and the outcome is in storage (or was refused).
 */
final class Execution {
    final ClaimedTask claimed;
    final long startedNanos = System.nanoTime();
    volatile Thread thread;
    /** The lease is no longer ours to keep alive: the outcome was written (or refused). */
    volatile boolean settled;
    /** The handler's thread has ended (its slot frees once the outcome is written too). */
    volatile boolean threadEnded;
    private final AtomicBoolean decided = new AtomicBoolean();
    private final AtomicBoolean leaseLostReported = new AtomicBoolean();
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

    /** True the first time only, so a lost lease is reported once. */
    boolean markLeaseLost() {
        return leaseLostReported.compareAndSet(false, true);
    }

    /** Marks one of the two parts (thread ended, outcome settled) done; true when both are. */
    boolean partDone() {
        return openParts.decrementAndGet() == 0;
    }
}

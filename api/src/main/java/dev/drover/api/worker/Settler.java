package dev.drover.api.worker;

import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The outcomes decided but not yet in storage, in the order they were decided. The worker's storage loop takes
 * them in batches and writes each batch together with its next claim ({@link dev.drover.spi.Backend#settleThenClaim}),
 * so a busy worker makes one storage round trip per cycle for many tasks. A batch whose write failed goes back to
 * the front and is written again; outcomes are never dropped silently — if the worker must stop while storage is
 * down, each unrecorded outcome is logged as an error (the task runs again once its lease expires).
 */
final class Settler {
    private static final Logger LOG = LoggerFactory.getLogger(Settler.class);

    /** @param decidedNanos when the outcome was decided ({@link System#nanoTime()}) */
    record Pending(Execution execution, Settlement settlement, long decidedNanos) { }

    interface Callbacks {
        /** A batch was written; {@code applied} holds the tokens storage accepted, the others' leases were lost. */
        void settled(List<Pending> batch, Set<LeaseToken> applied);

        /** Outcomes that could not be written before shutdown (each already logged as an error). */
        void abandoned(List<Pending> batch);
    }

    private final ConcurrentLinkedDeque<Pending> queue = new ConcurrentLinkedDeque<>();
    private final Runnable onSubmit;
    private final Callbacks callbacks;

    /** @param onSubmit called after each submit, to wake the storage loop */
    Settler(Runnable onSubmit, Callbacks callbacks) {
        this.onSubmit = onSubmit;
        this.callbacks = callbacks;
    }

    void submit(Execution execution, Settlement settlement) {
        queue.add(new Pending(execution, settlement, System.nanoTime()));
        onSubmit.run();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** How many waiting outcomes' handler threads have ended (at most the worker's concurrency to look at). */
    int endedThreads() {
        int n = 0;
        for (Pending p : queue) {
            if (p.execution().threadEnded) n++;
        }
        return n;
    }

    /** When the oldest waiting outcome was decided, or {@link Long#MAX_VALUE} when none waits. */
    long oldestNanos() {
        Pending first = queue.peekFirst();
        return first == null ? Long.MAX_VALUE : first.decidedNanos();
    }

    /** Takes up to {@code max} outcomes, oldest first. */
    List<Pending> take(int max) {
        List<Pending> batch = new ArrayList<>(Math.min(max, 64));
        Pending p;
        while (batch.size() < max && (p = queue.pollFirst()) != null) batch.add(p);
        return batch;
    }

    /** Puts a batch whose write failed back in front, in its order. */
    void putBack(List<Pending> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) queue.addFirst(batch.get(i));
    }

    /** Call with the worker's storage lock held, so a heartbeat never extends a lease whose outcome is written. */
    void written(List<Pending> batch, Set<LeaseToken> applied) {
        if (batch.isEmpty()) return;
        for (Pending p : batch) p.execution().settled = true;
        callbacks.settled(List.copyOf(batch), applied);
    }

    void abandon(List<Pending> batch, RuntimeException error) {
        for (Pending p : batch) {
            LOG.error("could not record the outcome {} of task {} (attempt {}) before shutdown: {}; the task will run again once its lease expires",
                    p.settlement().getClass().getSimpleName(), p.execution().claimed.task().id(), p.execution().attempt(), error.getMessage());
            p.execution().settled = true;
        }
        callbacks.abandoned(List.copyOf(batch));
    }

    static List<Settlement> settlements(List<Pending> batch) {
        List<Settlement> settlements = new ArrayList<>(batch.size());
        for (Pending p : batch) settlements.add(p.settlement());
        return settlements;
    }
}

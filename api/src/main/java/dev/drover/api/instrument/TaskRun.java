package dev.drover.api.instrument;

import dev.drover.api.TaskRecord;
import dev.drover.api.WorkerId;

/** One run of a handler, as {@link Instrumentation#aroundRun} wraps it. */
public interface TaskRun {
    /** The worker running it. */
    WorkerId worker();

    /** The task as claimed: id, queue, attempt (from 1), max attempts, metadata, due time. */
    TaskRecord task();

    /**
     * Runs the handler and decides the outcome of the run; returns it. The outcome is decided, not yet written: the
     * worker writes it right after, in a batch (and a worker that lost the task's lease meanwhile writes nothing; see
     * {@link dev.drover.api.worker.WorkerEvent.LeaseLost}). Only the first call runs the handler; later calls return the
     * same outcome.
     */
    RunOutcome proceed();
}

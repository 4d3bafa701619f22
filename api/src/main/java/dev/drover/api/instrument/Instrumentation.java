package dev.drover.api.instrument;

import dev.drover.api.CancelResult;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;

import java.util.List;

/**
 * Watches what Drover does: pushes and cancels through a {@link dev.drover.api.TaskQueue}, the life of every worker, its
 * {@link WorkerEvent}s, and each run of a handler. Bind one to a Drover with {@link dev.drover.api.Drover#instrument}
 * (it then applies to every queue and worker of that Drover, also those made before), or to one worker with
 * {@link Worker.Builder#instrument}. Every method has a default that does nothing, so an implementation overrides what
 * it needs.
 * <p>
 * Calls come on the threads doing the work (the pusher's, the worker's): keep them quick. An exception thrown by an
 * instrumentation is logged and otherwise ignored; it never fails a push or a task.
 */
public interface Instrumentation {
    /**
     * {@code tasks} are about to be pushed to {@code queue} (their ids are set). The returned observation may add metadata
     * to every task of the push (a trace context, say) and hears how the push ended. Pushes by a
     * {@link dev.drover.api.TaskQueue} only: follow-ups, scheduled ticks and workflow steps are pushed by the runtime.
     */
    default PushObservation onPush(QueueName queue, List<NewTask> tasks) {
        return PushObservation.NONE;
    }

    /** {@link dev.drover.api.TaskQueue#cancel} of task {@code id} of {@code queue} returned {@code result}. */
    default void onCancel(QueueName queue, TaskId id, CancelResult result) {
    }

    /** A worker started (also called, on binding, for the workers of the Drover running then). */
    default void onWorkerStarted(Worker<?> worker) {
    }

    /** A worker stopped: its shutdown has ended. */
    default void onWorkerStopped(Worker<?> worker) {
    }

    /** Something a worker did or saw; see {@link WorkerEvent}. */
    default void onEvent(WorkerEvent event) {
    }

    /**
     * Runs around one run of a handler, on the handler's thread (so a context made current here, such as a tracing
     * span, is current in the handler). Call {@link TaskRun#proceed()} once: it runs the handler and decides the run's
     * outcome, which it returns. If this method returns without calling it, or throws before, the run proceeds anyway
     * (without this instrumentation around it).
     */
    default void aroundRun(TaskRun run) {
        run.proceed();
    }

    /** One instrumentation calling each of {@code instrumentations} in order; a live list is read anew on every call. */
    static Instrumentation all(List<? extends Instrumentation> instrumentations) {
        return new InstrumentationChain(instrumentations);
    }

    /** What binding an instrumentation returns: closing it unbinds the instrumentation. */
    interface Binding extends AutoCloseable {
        @Override
        void close();
    }
}

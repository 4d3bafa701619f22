package dev.drover.api.worker;

import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.WorkerId;

import java.time.Duration;
import java.time.Instant;

/** Something a worker did or saw. Delivered to {@link WorkerListener}s on the worker's threads; keep listeners quick. */
public sealed interface WorkerEvent {
    WorkerId worker();

    QueueName queue();

    /**
     * A claimed task's handler is about to run. {@code dueAt} is when the task was due (its run-at time): the wait from
     * it to now is the queue's latency.
     */
    record TaskStarted(WorkerId worker, QueueName queue, TaskId taskId, int attempt, Instant dueAt) implements WorkerEvent { }

    /**
     * The handler of a run returned or threw ({@code error}, null when it returned), after running {@code took}; sent on
     * the handler's thread, before the outcome is written. Not sent for a task whose payload could not be decoded.
     */
    record HandlerEnded(WorkerId worker, QueueName queue, TaskId taskId, int attempt, Duration took, Throwable error) implements WorkerEvent { }

    /** The task is DONE (its completion was recorded). */
    record TaskCompleted(WorkerId worker, QueueName queue, TaskId taskId, int attempt, Duration took) implements WorkerEvent { }

    /** The attempt failed; the task is PENDING again, due after {@code delay}. */
    record TaskRetrying(WorkerId worker, QueueName queue, TaskId taskId, int attempt, Duration delay, String error) implements WorkerEvent { }

    /** The task is DEAD: attempts exhausted, killed by its handler, or undecodable. */
    record TaskDead(WorkerId worker, QueueName queue, TaskId taskId, int attempt, String error) implements WorkerEvent { }

    /**
     * The task timed out and its handler ignored the interrupt: it has been running for {@code running} and is still
     * running. The worker keeps its lease alive and its slot taken until the handler ends, and records the timed-out
     * attempt only then, so the task never runs twice at once; after {@link WorkerConfig#stuckTaskLimit()} it gives
     * up on the handler (see {@link Worker.Builder#stuckTaskLimit}). Reported once per run.
     */
    record TaskStuck(WorkerId worker, QueueName queue, TaskId taskId, int attempt, Duration running) implements WorkerEvent { }

    /** The task was given back unfinished at shutdown; another worker can take it at once. */
    record TaskReleased(WorkerId worker, QueueName queue, TaskId taskId, int attempt) implements WorkerEvent { }

    /** This worker no longer holds the task's lease (it expired and was taken over); its outcome was not recorded here. */
    record LeaseLost(WorkerId worker, QueueName queue, TaskId taskId, int attempt) implements WorkerEvent { }

    /**
     * The task was cancelled ({@link dev.drover.api.TaskQueue#cancel}) while it ran here: its handler was interrupted
     * (if it had not ended) and whatever it does now is not recorded; the task stays CANCELLED. Not a failure: no
     * retry, no DEAD. Reported once per run, when a heartbeat or a refused outcome shows the cancellation.
     */
    record TaskCancelled(WorkerId worker, QueueName queue, TaskId taskId, int attempt) implements WorkerEvent { }

    /**
     * One round trip to storage of the worker's storage loop: it wrote {@code outcomes} outcomes and claimed
     * {@code claimed} tasks (either may be 0; {@code asked} is how many tasks it asked for, 0 when it only wrote
     * outcomes), taking {@code took}. Not sent for a round trip that failed ({@link StorageFailed} is).
     */
    record StorageRoundTrip(WorkerId worker, QueueName queue, int outcomes, int asked, int claimed, Duration took) implements WorkerEvent { }

    /** A storage call failed; the worker backs off and tries again. */
    record StorageFailed(WorkerId worker, QueueName queue, String operation, Throwable error, Duration retryIn) implements WorkerEvent { }
}

package dev.drover.api;

import java.util.Objects;

/**
 * What {@link TaskQueue#cancel(TaskId)} did: a closed set, so a caller can say exactly what happened.
 * <ul>
 * <li>{@link Cancelled}: the task was PENDING or RUNNING and is now CANCELLED. A running task's lease is fenced at
 * once: its worker's heartbeat no longer holds it, its handler is interrupted (within one heartbeat, in whichever
 * process runs it), and whatever the handler does after, it cannot record an outcome.</li>
 * <li>{@link AlreadyFinished}: the task had already ended — DONE, DEAD or CANCELLED — and is left as it was.</li>
 * <li>{@link Unknown}: no such task in this queue (never pushed, removed, or a task of another queue); nothing changed.</li>
 * </ul>
 * <pre>{@code
 * switch (emails.cancel(id)) {
 *     case CancelResult.Cancelled c when c.wasRunning() -> log.info("{} stopped while it ran", id);
 *     case CancelResult.Cancelled c -> log.info("{} will not run", id);
 *     case CancelResult.AlreadyFinished f -> log.info("{} had already ended: {}", id, f.state());
 *     case CancelResult.Unknown u -> log.warn("no task {}", id);
 * }
 * }</pre>
 */
public sealed interface CancelResult {

    /** The task asked about. */
    TaskId id();

    /** True when this call cancelled the task ({@link Cancelled}). */
    default boolean cancelled() {
        return this instanceof Cancelled;
    }

    /** The task was PENDING or RUNNING ({@code was}) and this call made it CANCELLED. */
    record Cancelled(TaskId id, TaskState was) implements CancelResult {
        public Cancelled {
            Objects.requireNonNull(id, "id");
            if (was != TaskState.PENDING && was != TaskState.RUNNING) {
                throw new IllegalArgumentException("only a PENDING or RUNNING task is cancelled, not a " + was + " one (task " + id + ")");
            }
        }

        /** The task was running: its handler is being interrupted and its outcome will not be recorded. */
        public boolean wasRunning() {
            return was == TaskState.RUNNING;
        }
    }

    /** The task had already ended in {@code state} (DONE, DEAD or CANCELLED); nothing changed. */
    record AlreadyFinished(TaskId id, TaskState state) implements CancelResult {
        public AlreadyFinished {
            Objects.requireNonNull(id, "id");
            if (state != TaskState.DONE && state != TaskState.DEAD && state != TaskState.CANCELLED) {
                throw new IllegalArgumentException("a finished task is DONE, DEAD or CANCELLED, not " + state + " (task " + id + ")");
            }
        }
    }

    /** No task {@code id} in the queue asked (a task of another queue is unknown here); nothing changed. */
    record Unknown(TaskId id) implements CancelResult {
        public Unknown {
            Objects.requireNonNull(id, "id");
        }
    }
}

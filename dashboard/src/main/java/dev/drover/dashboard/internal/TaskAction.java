package dev.drover.dashboard.internal;

import dev.drover.api.CancelResult;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.api.admin.DroverAdmin;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What an operator can do to one task, the states it applies to, and what the page asks before doing it. */
enum TaskAction {
    REQUEUE("requeue", "Requeue", "Requeue this task? It runs again from attempt 1, due now.", "Requeued: the task is pending and due now.",
            EnumSet.of(TaskState.DEAD, TaskState.CANCELLED)),
    RETRY("retry", "Retry now", "Run this task now? A pending task becomes due at once; a dead or cancelled one is requeued.",
            "The task is due now.", EnumSet.of(TaskState.PENDING, TaskState.DEAD, TaskState.CANCELLED)),
    CANCEL("cancel", "Cancel", "Cancel this task? It will not run (a running handler is interrupted).", "Cancelled: the task will not run.",
            EnumSet.of(TaskState.PENDING, TaskState.RUNNING)),
    DELETE("delete", "Delete", "Delete this task for good? Its payload, result and history are removed.", "Deleted the task.",
            EnumSet.of(TaskState.DONE, TaskState.DEAD, TaskState.CANCELLED));

    final String path;
    final String label;
    final String question;
    /** What the page says after it was done. */
    final String done;
    final Set<TaskState> states;

    TaskAction(String path, String label, String question, String done, Set<TaskState> states) {
        this.path = path;
        this.label = label;
        this.question = question;
        this.done = done;
        this.states = states;
    }

    /** What the page says when the task was not in a state the action applies to (it changed meanwhile). */
    String skipped() {
        return label + " did not apply: the task is no longer in a state it applies to.";
    }

    static Optional<TaskAction> of(String path) {
        for (TaskAction a : values()) if (a.path.equals(path)) return Optional.of(a);
        return Optional.empty();
    }

    /** Does it; false when the task was not in a state it applies to (or is unknown). */
    boolean apply(DroverAdmin admin, String queue, TaskId id) {
        return switch (this) {
            case REQUEUE -> admin.requeue(queue, id);
            case RETRY -> admin.retryNow(queue, id);
            case CANCEL -> admin.cancel(queue, id) instanceof CancelResult.Cancelled;
            case DELETE -> admin.delete(queue, id);
        };
    }
}

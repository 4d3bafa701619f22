package dev.drover.api;

import java.util.Objects;

/**
 * A page of tasks of one queue, in id order (which is creation order). Page on by passing the last id of a
 * page as {@code afterId} of the next.
 *
 * @param state only tasks in this state, or null for all
 * @param afterId only ids after this one, or null to start at the beginning
 * @param limit at most this many (1 to 1000)
 */
public record TaskQuery(QueueName queue, TaskState state, TaskId afterId, int limit) {
    public static final int MAX_LIMIT = 1000;

    public TaskQuery {
        Objects.requireNonNull(queue, "queue");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidTaskException("a task listing takes a limit from 1 to " + MAX_LIMIT + " (got " + limit + ")");
        }
    }

    public static TaskQuery of(QueueName queue) {
        return new TaskQuery(queue, null, null, 100);
    }

    public TaskQuery state(TaskState only) {
        return new TaskQuery(queue, only, afterId, limit);
    }

    public TaskQuery after(TaskId id) {
        return new TaskQuery(queue, state, id, limit);
    }

    public TaskQuery limit(int max) {
        return new TaskQuery(queue, state, afterId, max);
    }
}

package dev.drover.api;

import java.util.Objects;

/**
 * A page of tasks of one queue, in id order (which is creation order). Page on by passing the last id of a
 * page as {@code afterId} of the next; page back by passing the first id of a page as {@code beforeId}: the page is
 * then the {@code limit} tasks just before it (still in id order).
 *
 * @param state only tasks in this state, or null for all
 * @param afterId only ids after this one, or null to start at the beginning
 * @param limit at most this many (1 to 1000)
 * @param beforeId only ids before this one, the last {@code limit} of them; null for none (not with {@code afterId})
 */
public record TaskQuery(QueueName queue, TaskState state, TaskId afterId, int limit, TaskId beforeId) {
    public static final int MAX_LIMIT = 1000;

    public TaskQuery {
        Objects.requireNonNull(queue, "queue");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidTaskException("a task listing takes a limit from 1 to " + MAX_LIMIT + " (got " + limit + ")");
        }
        if (afterId != null && beforeId != null) {
            throw new InvalidTaskException("a task listing pages either forward (after " + afterId + ") or back (before " + beforeId
                    + "), not both: give one of them");
        }
    }

    public TaskQuery(QueueName queue, TaskState state, TaskId afterId, int limit) {
        this(queue, state, afterId, limit, null);
    }

    public static TaskQuery of(QueueName queue) {
        return new TaskQuery(queue, null, null, 100);
    }

    public TaskQuery state(TaskState only) {
        return new TaskQuery(queue, only, afterId, limit, beforeId);
    }

    /** The page after {@code id} (and no longer before any). */
    public TaskQuery after(TaskId id) {
        return new TaskQuery(queue, state, id, limit, null);
    }

    /** The page just before {@code id} (and no longer after any). */
    public TaskQuery before(TaskId id) {
        return new TaskQuery(queue, state, null, limit, id);
    }

    public TaskQuery limit(int max) {
        return new TaskQuery(queue, state, afterId, max, beforeId);
    }
}

package dev.drover.api.admin;

import dev.drover.api.QueueLimits;
import dev.drover.api.QueueName;
import dev.drover.api.TaskState;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One queue as an operator sees it: its tasks by state (every state present, 0 when none), whether it is paused, and
 * its queue-wide limits.
 *
 * @param name   the queue
 * @param counts tasks by state
 * @param paused whether workers may claim its tasks
 * @param limits its concurrency and rate limits
 */
public record QueueSummary(QueueName name, Map<TaskState, Long> counts, boolean paused, QueueLimits limits) {
    public QueueSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limits, "limits");
        EnumMap<TaskState, Long> all = new EnumMap<>(TaskState.class);
        for (TaskState state : TaskState.values()) all.put(state, counts == null ? 0L : counts.getOrDefault(state, 0L));
        counts = java.util.Collections.unmodifiableMap(all);
    }

    /** The tasks in {@code state}. */
    public long count(TaskState state) {
        return counts.get(state);
    }

    /** All tasks of the queue. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}

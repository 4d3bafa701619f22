package dev.drover.api;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a task is pushed: priority (higher runs first), when it becomes due, how many attempts it gets, and
 * free-form metadata. Immutable; each {@code with...} returns a copy.
 *
 * <pre>{@code
 * emails.push(mail, TaskOptions.defaults().priority(10).runAfter(Duration.ofMinutes(5)).maxAttempts(3));
 * }</pre>
 *
 * @param runAt the absolute due time, or null
 * @param runAfter a delay from the moment of the push, or null (used when {@code runAt} is null)
 * @param maxAttempts attempts before the task goes DEAD, or null for the {@link DroverSettings} default
 * @param metadata free-form text pairs stored with the task
 * @param unique the task's unique key in its queue and its scope ({@link UniqueKey}), or null for none
 */
public record TaskOptions(int priority, Instant runAt, Duration runAfter, Integer maxAttempts, Map<String, String> metadata,
                          UniqueKey unique) {
    private static final TaskOptions DEFAULTS = new TaskOptions(0, null, null, null, Map.of(), null);

    public TaskOptions {
        if (runAfter != null && runAfter.isNegative()) {
            throw new InvalidTaskException("runAfter must not be negative (got " + runAfter + "): use Duration.ZERO to run now");
        }
        if (maxAttempts != null && maxAttempts < 1) {
            throw new InvalidTaskException("maxAttempts must be at least 1 (got " + maxAttempts + ")");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static TaskOptions defaults() {
        return DEFAULTS;
    }

    public TaskOptions priority(int priority) {
        return new TaskOptions(priority, runAt, runAfter, maxAttempts, metadata, unique);
    }

    /** Due at {@code instant}; an instant in the past means due now. */
    public TaskOptions runAt(Instant instant) {
        return new TaskOptions(priority, instant, null, maxAttempts, metadata, unique);
    }

    /** Due {@code delay} after the push. */
    public TaskOptions runAfter(Duration delay) {
        return new TaskOptions(priority, null, delay, maxAttempts, metadata, unique);
    }

    public TaskOptions maxAttempts(int attempts) {
        return new TaskOptions(priority, runAt, runAfter, attempts, metadata, unique);
    }

    public TaskOptions metadata(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(metadata);
        copy.put(key, value);
        return new TaskOptions(priority, runAt, runAfter, maxAttempts, copy, unique);
    }

    /**
     * Unique while pending or running: a push with {@code key} while a task of the queue holding it is PENDING or RUNNING
     * stores nothing and returns that task's id ({@link UniqueKey.Scope#ACTIVE}).
     */
    public TaskOptions unique(String key) {
        return unique(UniqueKey.active(key));
    }

    /**
     * Unique for {@code period} after the push, whatever the task's state: a push with {@code key} within it stores nothing
     * and returns the holder's id ({@link UniqueKey.Scope#PERIOD}). The period runs on the backend's clock.
     */
    public TaskOptions unique(String key, Duration period) {
        return unique(UniqueKey.forPeriod(key, period));
    }

    /**
     * Unique until the holder is DONE: a CANCELLED holder frees the key, a DEAD one keeps it until it is requeued and done
     * ({@link UniqueKey.Scope#UNTIL_DONE}).
     */
    public TaskOptions uniqueUntilDone(String key) {
        return unique(UniqueKey.untilDone(key));
    }

    /** With {@code key} as the unique key (null: none). Needs a backend with {@link Capability#UNIQUE_TASKS}. */
    public TaskOptions unique(UniqueKey key) {
        return new TaskOptions(priority, runAt, runAfter, maxAttempts, metadata, key);
    }

    /** The due time for a task pushed at {@code now}. */
    public Instant dueTime(Instant now) {
        if (runAt != null) return runAt;
        if (runAfter != null) return now.plus(runAfter);
        return now;
    }
}

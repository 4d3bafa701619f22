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
 */
public record TaskOptions(int priority, Instant runAt, Duration runAfter, Integer maxAttempts, Map<String, String> metadata) {
    private static final TaskOptions DEFAULTS = new TaskOptions(0, null, null, null, Map.of());

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
        return new TaskOptions(priority, runAt, runAfter, maxAttempts, metadata);
    }

    /** Due at {@code instant}; an instant in the past means due now. */
    public TaskOptions runAt(Instant instant) {
        return new TaskOptions(priority, instant, null, maxAttempts, metadata);
    }

    /** Due {@code delay} after the push. */
    public TaskOptions runAfter(Duration delay) {
        return new TaskOptions(priority, null, delay, maxAttempts, metadata);
    }

    public TaskOptions maxAttempts(int attempts) {
        return new TaskOptions(priority, runAt, runAfter, attempts, metadata);
    }

    public TaskOptions metadata(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(metadata);
        copy.put(key, value);
        return new TaskOptions(priority, runAt, runAfter, maxAttempts, copy);
    }

    /** The due time for a task pushed at {@code now}. */
    public Instant dueTime(Instant now) {
        if (runAt != null) return runAt;
        if (runAfter != null) return now.plus(runAfter);
        return now;
    }
}

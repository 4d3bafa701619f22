package dev.drover.api;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How long finished tasks are kept, per finished state, counted from when they finished (on the backend's clock).
 * {@link #defaults()}: DONE 7 days, CANCELLED 7 days, DEAD 30 days, as Oban's pruner and JobRunr keep succeeded jobs
 * for days and failed ones longer, so they can still be inspected and requeued. {@link Duration#ZERO} deletes a task
 * as soon as a sweep sees it; {@link #keepForever(TaskState)} never deletes tasks of that state.
 * <p>
 * A value: {@code Retention.defaults().keep(TaskState.DONE, Duration.ofHours(1)).keepForever(TaskState.DEAD)}.
 * PENDING and RUNNING tasks are never deleted by retention.
 */
public final class Retention {
    private static final Retention DEFAULTS = new Retention(Map.of(
            TaskState.DONE, Duration.ofDays(7),
            TaskState.CANCELLED, Duration.ofDays(7),
            TaskState.DEAD, Duration.ofDays(30)));

    /** Per finished state, the age after which it is deleted; a state not in the map is kept forever. */
    private final Map<TaskState, Duration> maxAge;

    private Retention(Map<TaskState, Duration> maxAge) {
        EnumMap<TaskState, Duration> copy = new EnumMap<>(TaskState.class);
        copy.putAll(maxAge);
        this.maxAge = Map.copyOf(copy);
    }

    /** DONE 7 days, CANCELLED 7 days, DEAD 30 days. */
    public static Retention defaults() {
        return DEFAULTS;
    }

    /** Keeps every finished task forever: sweeps delete nothing. */
    public static Retention forever() {
        return new Retention(Map.of());
    }

    /**
     * This retention, with tasks in {@code state} deleted once they finished {@code maxAge} ago ({@link Duration#ZERO}:
     * at the next sweep).
     *
     * @throws IllegalArgumentException if {@code state} is not DONE, DEAD or CANCELLED, or {@code maxAge} is negative
     */
    public Retention keep(TaskState state, Duration maxAge) {
        requireFinished(state);
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("retention of " + state + " tasks is " + maxAge
                    + ": it must be zero (delete at once) or positive; use keepForever(" + state + ") to never delete them");
        }
        EnumMap<TaskState, Duration> copy = new EnumMap<>(TaskState.class);
        copy.putAll(this.maxAge);
        copy.put(state, maxAge);
        return new Retention(copy);
    }

    /** This retention, with tasks in {@code state} never deleted. */
    public Retention keepForever(TaskState state) {
        requireFinished(state);
        EnumMap<TaskState, Duration> copy = new EnumMap<>(TaskState.class);
        copy.putAll(this.maxAge);
        copy.remove(state);
        return new Retention(copy);
    }

    /** How long tasks in {@code state} are kept after they finished; empty when they are kept forever (PENDING and RUNNING always). */
    public Optional<Duration> maxAge(TaskState state) {
        return Optional.ofNullable(maxAge.get(Objects.requireNonNull(state, "state")));
    }

    /** True when no state is ever deleted: a sweep has nothing to do. */
    public boolean keepsEverything() {
        return maxAge.isEmpty();
    }

    private static void requireFinished(TaskState state) {
        Objects.requireNonNull(state, "state");
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("retention applies to finished tasks (DONE, DEAD, CANCELLED), not to " + state
                    + ": pending and running tasks are never deleted by it");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Retention other && maxAge.equals(other.maxAge);
    }

    @Override
    public int hashCode() {
        return maxAge.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Retention[");
        for (TaskState state : new TaskState[] {TaskState.DONE, TaskState.CANCELLED, TaskState.DEAD}) {
            s.append(state == TaskState.DONE ? "" : " ").append(state).append('=')
                    .append(maxAge.containsKey(state) ? maxAge.get(state).toString() : "forever");
        }
        return s.append(']').toString();
    }
}

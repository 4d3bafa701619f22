package dev.drover.api;

import java.util.Objects;
import java.util.Set;

/**
 * A task a completion pushes in the same transaction ({@link ResultHandler.Completion#then()}, {@link dev.drover.spi.Settlement.Complete#then()}), so the two happen together
 * or not at all: it is pushed only if the completion is applied (its lease still held), only when every task in
 * {@code awaiting} is DONE once this completion is applied, and only if no task {@code unless} exists. A follow-up
 * whose id is already stored is not pushed again, and that is no error. Concurrent completions that each await the
 * others push the follow-up exactly once: the last to complete pushes it. Needs {@link Capability#FOLLOW_UPS}.
 *
 * @param task     the task to push; it and the tasks of {@code awaiting} and {@code unless} are on one queue
 * @param awaiting tasks that must all be DONE (the completing task may be one of them); empty for none
 * @param unless   a task whose existence, in any state, cancels the follow-up (a cancellation marker); null for none
 */
public record FollowUp(NewTask task, Set<TaskId> awaiting, TaskId unless) {
    public FollowUp {
        Objects.requireNonNull(task, "task");
        awaiting = awaiting == null ? Set.of() : Set.copyOf(awaiting);
    }

    /** A follow-up pushed whenever the completion is applied. */
    public static FollowUp of(NewTask task) {
        return new FollowUp(task, Set.of(), null);
    }
}

package dev.drover.api.instrument;

import java.util.Map;

/** One push as an {@link Instrumentation} watches it: what it adds to the tasks, and how the push ended. */
public interface PushObservation {
    /** Adds nothing, hears nothing. */
    PushObservation NONE = new PushObservation() { };

    /**
     * Metadata to add to every task of the push (such as a W3C {@code traceparent}). A key the task's own metadata has
     * already is left as the task has it.
     */
    default Map<String, String> metadata() {
        return Map.of();
    }

    /**
     * The push returned: {@code stored} tasks were stored, {@code duplicates} were not, because a task holding their
     * unique key was in scope. For a push in the caller's transaction, "stored" means written in that transaction,
     * which may still roll back.
     */
    default void stored(int stored, int duplicates) {
    }

    /** The push failed with {@code error}: nothing of it was stored. */
    default void failed(Throwable error) {
    }
}

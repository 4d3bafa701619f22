package dev.drover.api;


import java.util.List;

/**
 * A handler that, when it succeeds, says what to store with the completion: a result (kept with the DONE task) and
 * follow-up tasks pushed in the same transaction as the completion ({@link FollowUp}; the backend must declare
 * {@link dev.drover.api.Capability#FOLLOW_UPS} for a non-empty list). Workflows run their steps with it.
 */
@FunctionalInterface
public interface ResultHandler<T> {
    Completion handle(Task<T> task) throws Exception;

    /** What a successful run stores: {@code result} may be null, {@code then} empty. */
    record Completion(byte[] result, List<FollowUp> then) {
        public static final Completion NONE = new Completion(null, List.of());

        public Completion {
            then = then == null ? List.of() : List.copyOf(then);
        }
    }
}

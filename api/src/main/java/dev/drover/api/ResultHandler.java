package dev.drover.api;


import java.util.Arrays;
import java.util.List;

/**
 * A handler that, when it succeeds, says what to store with the completion: a result (kept with the DONE task) and
 * follow-up tasks pushed in the same transaction as the completion ({@link FollowUp}; the backend must declare
 * {@link dev.drover.api.Capability#FOLLOW_UPS} for a non-empty list). Workflows run their steps with it.
 */
@FunctionalInterface
public interface ResultHandler<T> {
    Completion handle(Task<T> task) throws Exception;

    /**
     * What a successful run stores: a result (may be null) and follow-up tasks (may be none). A value, made with
     * {@link #of(byte[])} or {@link #of(byte[], List)}; the result is copied in and out, and compared by content.
     */
    final class Completion {
        /** No result, no follow-ups: what a plain {@link TaskHandler} stores. */
        public static final Completion NONE = new Completion(null, List.of());

        private final byte[] result;
        private final List<FollowUp> then;

        private Completion(byte[] result, List<FollowUp> then) {
            this.result = result == null ? null : result.clone();
            this.then = then == null ? List.of() : List.copyOf(then);
        }

        /** A result kept with the DONE task, and no follow-ups. */
        public static Completion of(byte[] result) {
            return new Completion(result, List.of());
        }

        /** A result (may be null) and follow-up tasks pushed with the completion (see {@link TaskQueue#followUp}). */
        public static Completion of(byte[] result, List<FollowUp> then) {
            return new Completion(result, then);
        }

        /** The result to keep with the DONE task (a copy), or null. */
        public byte[] result() {
            return result == null ? null : result.clone();
        }

        /** The follow-up tasks to push with the completion; empty for none. */
        public List<FollowUp> then() {
            return then;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Completion other && Arrays.equals(result, other.result) && then.equals(other.then);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(result) + then.hashCode();
        }

        @Override
        public String toString() {
            return "Completion[result=" + (result == null ? "none" : result.length + " bytes") + ", then=" + then + "]";
        }
    }
}

package dev.drover.api;

import java.util.List;
import java.util.Objects;

/**
 * What {@link TaskQueue#pushAllReporting} did with each payload, in the order given: stored as a new task, or not
 * stored because a task with the same unique key ({@link UniqueKey}) was in scope, in which case the entry names that
 * task. Duplicates within one push collapse to the first payload with the key.
 *
 * @param entries one per payload, in order
 */
public record PushResult(List<Entry> entries) {

    /**
     * One payload's outcome.
     *
     * @param id the task that now stands for the payload: the new task, or the existing one it duplicated
     * @param stored true when a new task was stored; false when {@code id} is an existing task's (a duplicate)
     */
    public record Entry(TaskId id, boolean stored) {
        public Entry {
            Objects.requireNonNull(id, "id");
        }

        /** True when nothing was stored for this payload: {@link #id()} is the task that held its unique key. */
        public boolean duplicate() {
            return !stored;
        }
    }

    public PushResult {
        entries = List.copyOf(entries);
    }

    /** The id standing for each payload, in order (as {@link TaskQueue#pushAll} returns them). */
    public List<TaskId> ids() {
        return entries.stream().map(Entry::id).toList();
    }

    /** How many payloads were stored as new tasks. */
    public int storedCount() {
        return (int) entries.stream().filter(Entry::stored).count();
    }

    /** How many payloads were duplicates of a task in scope. */
    public int duplicateCount() {
        return entries.size() - storedCount();
    }
}

package dev.drover.api;

/**
 * What a backend may or may not support: the one way optional features are declared. An application asks
 * {@link Drover#capabilities()}; what needs a capability the backend lacks fails with an
 * {@link UnsupportedCapabilityException} naming it. A backend lists the ones it has in
 * {@link dev.drover.spi.Backend#capabilities()}, and the SPI methods of one it does not have refuse the same way. The
 * conformance kit skips, saying why, the rules of a missing capability.
 */
public enum Capability {
    /** Claims honour priority (higher first) before due time. */
    PRIORITY,
    /** A push joins the application's own JDBC transaction ({@link TaskQueue#push(Object, TaskOptions, java.sql.Connection)}). */
    TRANSACTIONAL_PUSH,
    /** The backend signals new work, so idle workers start it without waiting for a poll. */
    WAKEUPS,
    /** Counts, get, list, cancel and requeue ({@link TaskQueue#counts()} and the methods after it). */
    INSPECTION,
    /** Several processes may share the storage, each claiming safely. */
    MULTI_PROCESS,
    /** Tasks survive closing and reopening the backend. */
    DURABLE,
    /**
     * A completion pushes its {@link FollowUp}s in the same transaction: conditionally (all awaited tasks DONE, no
     * cancellation marker), idempotently (an id already stored is skipped), exactly once for concurrent joins.
     */
    FOLLOW_UPS,
    /**
     * Unique keys ({@link TaskOptions#unique(String)}): a push whose key is held in scope by a task of the queue stores
     * nothing and returns that task's id, also across processes and under concurrent pushes.
     */
    UNIQUE_TASKS,
    /**
     * Each task keeps its failed attempts ({@link TaskRecord#attempts()}: the last {@link AttemptError#KEPT}, each with
     * its number, time, worker and error), appended in the same statement that records the failure.
     */
    ATTEMPT_HISTORY,
    /**
     * {@link dev.drover.spi.Backend#oldestDue}: the due time of a queue's earliest-due pending task that is due now, read
     * through an index (a cheap query on a queue of millions of tasks), so a monitor can report how long the oldest
     * waiting task has waited.
     */
    OLDEST_DUE
}

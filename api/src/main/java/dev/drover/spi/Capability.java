package dev.drover.spi;

/** What a backend may or may not support. The conformance kit skips, saying why, the rules of a missing capability. */
public enum Capability {
    /** Claims honour priority (higher first) before due time. */
    PRIORITY,
    /** {@link TransactionalPush}: a push joins the application's own JDBC transaction. */
    TRANSACTIONAL_PUSH,
    /** {@link Backend#wakeups()} signals new work, so idle workers start it without waiting for a poll. */
    WAKEUPS,
    /** Counts, get, list, cancel and requeue. */
    INSPECTION,
    /** Several processes may share the storage, each claiming safely. */
    MULTI_PROCESS,
    /** Tasks survive closing and reopening the backend. */
    DURABLE,
    /**
     * A completion pushes its {@link FollowUp}s in the same transaction: conditionally (all awaited tasks DONE, no
     * cancellation marker), idempotently (an id already stored is skipped), exactly once for concurrent joins.
     */
    FOLLOW_UPS
}

package dev.drover.spi;

/**
 * What a backend may or may not support: the one way optional features are declared. A backend lists the ones it has
 * in {@link Backend#capabilities()}; the SPI methods of one it does not have refuse with
 * {@link dev.drover.api.UnsupportedCapabilityException} naming it. The conformance kit skips, saying why, the rules of a
 * missing capability.
 */
public enum Capability {
    /** Claims honour priority (higher first) before due time. */
    PRIORITY,
    /** {@link Backend#push(java.util.List, java.sql.Connection)}: a push joins the application's own JDBC transaction. */
    TRANSACTIONAL_PUSH,
    /** {@link Backend#wakeups()} signals new work, so idle workers start it without waiting for a poll. */
    WAKEUPS,
    /** {@link Backend#counts counts}, {@link Backend#get get}, {@link Backend#list list}, {@link Backend#cancel cancel} and {@link Backend#requeue requeue}. */
    INSPECTION,
    /** Several processes may share the storage, each claiming safely. */
    MULTI_PROCESS,
    /** Tasks survive closing and reopening the backend. */
    DURABLE,
    /**
     * A completion ({@link Settlement.Complete}) pushes its {@link FollowUp}s in the same transaction: conditionally (all awaited tasks DONE, no
     * cancellation marker), idempotently (an id already stored is skipped), exactly once for concurrent joins.
     */
    FOLLOW_UPS
}

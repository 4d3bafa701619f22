package dev.drover.spi;

import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The storage SPI: what a backend author implements. Every verb is one round trip to the storage and takes
 * a batch. Every transition after a claim is fenced by the claim's {@link LeaseToken}. Times that decide
 * leases and due dates are taken from the backend's own clock, so workers on several machines agree.
 * Implementations are thread-safe. Failures are {@link dev.drover.api.StorageException}s.
 */
public interface Backend extends AutoCloseable {

    /** A short description for logs and messages, with any password or token removed. */
    String describe();

    Set<Capability> capabilities();

    /** Stores all of {@code tasks} as PENDING, or none of them. */
    void push(List<NewTask> tasks);

    /**
     * Leases up to {@code max} due tasks of {@code queue}, best first: higher priority, then earlier run_at,
     * then lower id. A task is due when it is PENDING with run_at reached, or RUNNING with its lease expired
     * (its worker died); a RUNNING task whose lease expired on its last attempt goes DEAD instead. Each claimed
     * task's attempt grows by one and gets a new token. Two claims never hold the same task at once.
     */
    List<ClaimedTask> claim(QueueName queue, WorkerId worker, int max, Duration leaseDuration);

    /** Extends each lease still held to now + {@code extension}; returns the tokens of the leases that are still held. */
    Set<LeaseToken> heartbeat(Collection<Lease> leases, Duration extension);

    /** Applies each settlement whose lease is still held; returns the tokens of those applied. Atomic for the list. */
    Set<LeaseToken> settle(List<Settlement> settlements);

    /**
     * {@link #settle} the {@code settlements}, then {@link #claim} up to {@code max} tasks of {@code queue}: the
     * worker's one storage call per cycle, so a busy worker records what finished and takes new work in one round
     * trip. A backend should override this to do both in one transaction (then a failure applies neither and throws);
     * this default makes two calls and, when the claim fails after the settlements applied, returns the failure in
     * {@link SettledThenClaimed#claimFailed()} rather than throwing, so no applied settlement is written twice.
     * {@code max} may be 0 (settle only); {@code settlements} may be empty (claim only).
     */
    default SettledThenClaimed settleThenClaim(List<Settlement> settlements, QueueName queue, WorkerId worker, int max,
                                               Duration leaseDuration) {
        Set<LeaseToken> applied = settlements.isEmpty() ? Set.of() : settle(settlements);
        if (max == 0) return new SettledThenClaimed(applied, List.of(), null);
        if (settlements.isEmpty()) return new SettledThenClaimed(applied, claim(queue, worker, max, leaseDuration), null);
        try {
            return new SettledThenClaimed(applied, claim(queue, worker, max, leaseDuration), null);
        } catch (RuntimeException e) {
            return new SettledThenClaimed(applied, List.of(), e);
        }
    }

    // ---- inspection (Capability.INSPECTION) ----

    /** Tasks of {@code queue} by state; states with no task may be absent. */
    Map<TaskState, Long> counts(QueueName queue);

    /**
     * The task {@code id} of {@code queue}; empty when there is none. A task of another queue is treated as
     * unknown: asking with the wrong queue returns empty.
     */
    Optional<TaskRecord> get(QueueName queue, TaskId id);

    List<TaskRecord> list(TaskQuery query);

    /**
     * PENDING → CANCELLED, for the task {@code id} of {@code queue}. False when the task is not pending (or
     * unknown). A task of another queue is treated as unknown: false, and nothing is changed.
     */
    boolean cancel(QueueName queue, TaskId id);

    /**
     * DEAD or CANCELLED → PENDING, due now, attempt reset to 0 (last error kept), for the task {@code id} of
     * {@code queue}. False otherwise. A task of another queue is treated as unknown: false, and nothing is changed.
     */
    boolean requeue(QueueName queue, TaskId id);

    /** Signals of new work; {@link WakeupSource#NONE} when the backend has none. */
    default WakeupSource wakeups() {
        return WakeupSource.NONE;
    }

    /** Releases connections and files. Idempotent. */
    @Override
    void close();
}

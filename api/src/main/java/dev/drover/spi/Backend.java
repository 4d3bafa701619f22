package dev.drover.spi;

import dev.drover.api.CancelResult;
import dev.drover.api.FinishedMinute;
import dev.drover.api.Capability;
import dev.drover.api.NewTask;
import dev.drover.api.QueueControl;
import dev.drover.api.QueueLimits;
import dev.drover.api.QueueName;
import dev.drover.api.ScheduleRecord;
import dev.drover.api.Retention;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.UnsupportedCapabilityException;
import dev.drover.api.WorkerId;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The storage SPI: what a backend author implements. Every verb is one round trip to the storage and takes
 * a batch. Every transition after a claim is fenced by the claim's {@link LeaseToken}. Times that decide
 * leases and due dates are taken from the backend's own clock, so workers on several machines agree.
 * Implementations are thread-safe. Failures are {@link dev.drover.api.StorageException}s.
 * <p>
 * Optional features are {@link Capability capabilities}, and that is their one mechanism: a backend declares what it
 * does in {@link #capabilities()} and overrides the methods of each capability it declares. The methods of an
 * optional capability have defaults here that throw {@link UnsupportedCapabilityException} naming it, so a backend
 * that does not declare a capability writes nothing for it ({@link #wakeups()}, a mere optimisation, defaults to
 * {@link WakeupSource#NONE} instead). The kit checks both directions: a declared capability's rules pass, and an
 * undeclared one's methods refuse.
 */
public interface Backend extends AutoCloseable {

    /** A short description for logs and messages, with any password or token removed. */
    String describe();

    /** The optional features this backend has, the same on every instance of the storage; see {@link Capability}. */
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

    // ---- transactional push (Capability.TRANSACTIONAL_PUSH) ----

    /**
     * Stores all of {@code tasks} as PENDING, or none of them, on the application's own {@code transaction}, a JDBC
     * connection to this backend's storage: inside the application's transaction, so the tasks exist if and only if the
     * application commits; a push that fails leaves that transaction usable. The backend neither commits nor rolls back
     * the connection (in auto-commit mode, the tasks are stored at once). A connection to another database is refused.
     * Only on a backend that declares {@link Capability#TRANSACTIONAL_PUSH}; by default refuses, naming it.
     */
    default void push(List<NewTask> tasks, Connection transaction) {
        throw unsupported(Capability.TRANSACTIONAL_PUSH,
                "push without a Connection, or use a backend that shares the application's JDBC database");
    }

    // ---- inspection (Capability.INSPECTION); by default each refuses, naming the capability ----

    /** Tasks of {@code queue} by state; states with no task may be absent. */
    default Map<TaskState, Long> counts(QueueName queue) {
        throw unsupported(Capability.INSPECTION, "counts of queue " + queue + " cannot be read");
    }

    /**
     * The due time of the earliest-due PENDING task of {@code queue} that is due now (its run-at time, or when it was
     * released or retried to), on the clock its due times are stored on; empty when no pending task is due. Meant to be
     * read often, by monitors (the age of the oldest waiting task): a backend that declares {@link Capability#OLDEST_DUE}
     * answers through an index, without reading the queue's tasks. By default, and on a backend that does not declare
     * it, empty.
     */
    default Optional<Instant> oldestDue(QueueName queue) {
        return Optional.empty();
    }

    /**
     * The task {@code id} of {@code queue}; empty when there is none. A task of another queue is treated as
     * unknown: asking with the wrong queue returns empty.
     */
    default Optional<TaskRecord> get(QueueName queue, TaskId id) {
        throw unsupported(Capability.INSPECTION, "task " + id + " of queue " + queue + " cannot be read");
    }

    /** A page of {@code query}'s queue's tasks, in id order. */
    default List<TaskRecord> list(TaskQuery query) {
        throw unsupported(Capability.INSPECTION, "the tasks of queue " + query.queue() + " cannot be listed");
    }

    /**
     * PENDING or RUNNING → CANCELLED, for the task {@code id} of {@code queue}, in one atomic step; says what it did
     * ({@link CancelResult}). Cancelling a RUNNING task also ends its lease: from then on a heartbeat with its token
     * does not return it and every settlement with it is refused, so of a cancel and a completion racing, exactly one
     * applies. A DONE, DEAD or CANCELLED task is left as it is ({@link CancelResult.AlreadyFinished} with its state); a task
     * of another queue is treated as unknown ({@link CancelResult.Unknown}), and nothing is changed.
     */
    default CancelResult cancel(QueueName queue, TaskId id) {
        throw unsupported(Capability.INSPECTION, "task " + id + " of queue " + queue + " cannot be cancelled");
    }

    /**
     * DEAD or CANCELLED → PENDING, due now, attempt reset to 0 (last error kept), for the task {@code id} of
     * {@code queue}. False otherwise. A task of another queue is treated as unknown: false, and nothing is changed.
     */
    default boolean requeue(QueueName queue, TaskId id) {
        throw unsupported(Capability.INSPECTION, "task " + id + " of queue " + queue + " cannot be requeued");
    }

    // ---- administration (Capability.INSPECTION): what dashboards and command-line tools use ----

    /** Every queue of this storage that holds tasks or a queue control, by name. */
    default List<QueueName> queues() {
        throw unsupported(Capability.INSPECTION, "the queues cannot be listed");
    }

    /**
     * The tasks of {@code queue} that finished DONE or DEAD at or after {@code since}, counted per minute of their
     * finishing time (the minute's start: whole minutes since the epoch), oldest first; minutes without any are left
     * out. It reads an index on the finishing time, not the queue's tasks.
     */
    default List<FinishedMinute> finishedPerMinute(QueueName queue, Instant since) {
        throw unsupported(Capability.INSPECTION, "the throughput of queue " + queue + " cannot be read");
    }

    /**
     * Runs the task {@code id} of {@code queue} as soon as a worker can: a PENDING task becomes due now (its attempts as
     * they were); a DEAD or CANCELLED one is requeued as {@link #requeue} does. False for a RUNNING or DONE task, and for
     * an unknown one (a task of another queue is unknown); nothing is changed then.
     */
    default boolean runNow(QueueName queue, TaskId id) {
        throw unsupported(Capability.INSPECTION, "task " + id + " of queue " + queue + " cannot be run now");
    }

    /**
     * Deletes the task {@code id} of {@code queue} if it is DONE, DEAD or CANCELLED; false otherwise (a PENDING or
     * RUNNING task is cancelled first; an unknown one, or one of another queue, is left alone).
     */
    default boolean delete(QueueName queue, TaskId id) {
        throw unsupported(Capability.INSPECTION, "task " + id + " of queue " + queue + " cannot be deleted");
    }

    /** The refusal of an optional method whose capability this backend does not declare. */
    private UnsupportedCapabilityException unsupported(Capability capability, String consequence) {
        return new UnsupportedCapabilityException(capability, describe(), consequence);
    }

    // ---- cancelling running tasks ----

    /**
     * Of {@code leases}, the tokens of those whose task has been cancelled ({@link #cancel}): a worker asks about the
     * leases a heartbeat or a settlement found lost, to tell a cancellation (interrupt the handler, report it cancelled)
     * from a lease that ran out and was taken over. It must see every cancellation committed before the call (a backend
     * that reads from a lagging replica reads from its primary here). The default asks {@link #get} for each lease's
     * task, on a backend that declares {@link Capability#INSPECTION} (one without it cannot cancel: empty); a backend
     * overrides it to ask in one round trip.
     */
    default Set<LeaseToken> cancelled(Collection<Lease> leases) {
        if (leases.isEmpty() || !capabilities().contains(Capability.INSPECTION)) return Set.of();
        Set<LeaseToken> cancelled = new HashSet<>();
        for (Lease lease : leases) {
            Optional<TaskRecord> task = get(lease.queue(), lease.taskId());
            if (task.isPresent() && task.get().state() == TaskState.CANCELLED) cancelled.add(lease.token());
        }
        return cancelled;
    }

    /** Signals of new work ({@link Capability#WAKEUPS}); {@link WakeupSource#NONE}, the default, when the backend has none. */
    default WakeupSource wakeups() {
        return WakeupSource.NONE;
    }

    // ---- queue control: pause and queue-wide limits ----

    /**
     * Pauses ({@code true}) or resumes ({@code false}) {@code queue}, persisted in the storage, so every instance sees it
     * at its next claim. While paused, {@link #claim} and {@link #settleThenClaim} take nothing of the queue; pushes,
     * heartbeats and settlements go on as ever. Resuming wakes the queue's workers ({@link #wakeups()}) on a backend that
     * has wake-ups. Idempotent; a queue needs no task to be paused.
     */
    void pause(QueueName queue, boolean paused);

    /**
     * Sets {@code queue}'s queue-wide limits (replacing earlier ones; {@link QueueLimits#none()} removes them), persisted,
     * so every instance's claim honours them: a claim never leaves more RUNNING tasks (unexpired leases) than the
     * concurrency limit, nor more starts in any window of the rate interval than the rate allows, however many claims
     * run at once in however many processes. Does not change whether the queue is paused. Raising a limit wakes workers.
     */
    void limit(QueueName queue, QueueLimits limits);

    /** {@code queue}'s control as stored now ({@link QueueControl#DEFAULT} for a queue never set); read from the primary. */
    QueueControl control(QueueName queue);

    // ---- unique tasks (Capability.UNIQUE_TASKS) ----

    /**
     * Stores {@code tasks} as {@link #push(List)} does, all in one transaction, except each task whose unique key
     * ({@link NewTask#unique()}) is held in scope by a task of its queue: that one is not stored. Returns, for each task in
     * order, the id of the task that stands for it: its own when stored, the holder's when not. A task whose key is free
     * takes it (replacing a holder out of scope), so a later task of the same call with that key is its duplicate. The
     * check and the take are atomic against every other push, in any process: of concurrent pushes of one key, one stores.
     * {@link #push(List)} on such a backend applies the same rule and drops the report. By default: tasks without a key
     * are pushed with {@link #push(List)}; a task with one is refused, naming {@link Capability#UNIQUE_TASKS}.
     */
    default List<TaskId> pushReporting(List<NewTask> tasks) {
        for (NewTask task : tasks) {
            if (task.unique() != null) {
                throw unsupported(Capability.UNIQUE_TASKS, "task " + task.id() + " of queue " + task.queue() + " has a unique key (\""
                        + task.unique().key() + "\"): push it without one");
            }
        }
        push(tasks);
        return tasks.stream().map(NewTask::id).toList();
    }

    // ---- recurring tasks ----

    /**
     * The backend's clock: the time a scheduler decides due ticks by, the same for every process using this storage
     * (the database server's clock where there is one). By default this process's clock.
     */
    default Instant now() {
        return Instant.now();
    }

    /**
     * Stores {@code schedule}, replacing the one of the same name if there is one. A new schedule's last tick is
     * {@code schedule.lastTick()} or, when that is null, {@link #now()}: it ticks from then on. A replaced schedule keeps
     * its stored last tick unless {@code schedule.lastTick()} is given, and keeps its paused flag unless
     * {@code schedule.paused()} is true.
     */
    default void saveSchedule(ScheduleRecord schedule) {
        throw new UnsupportedOperationException(describe() + " does not store schedules: recurring tasks need a backend that does");
    }

    /** Every stored schedule, by name. */
    default List<ScheduleRecord> schedules() {
        throw new UnsupportedOperationException(describe() + " does not store schedules: recurring tasks need a backend that does");
    }

    /** Sets the schedule {@code name}'s paused flag; false when there is no such schedule. */
    default boolean pauseSchedule(String name, boolean paused) {
        throw new UnsupportedOperationException(describe() + " does not store schedules: schedule " + name + " cannot be paused or resumed");
    }

    /** Deletes the schedule {@code name} (its pushed tasks stay); false when there is no such schedule. */
    default boolean removeSchedule(String name) {
        throw new UnsupportedOperationException(describe() + " does not store schedules: schedule " + name + " cannot be removed");
    }

    /**
     * Fires a tick of schedule {@code name}, in one transaction: sets its last tick to {@code tick} if and only if it is
     * still {@code expectedLastTick} and the schedule is not paused (a compare-and-set), and if it was set, pushes
     * {@code task} (when not null: null advances the last tick without pushing, for a skipped tick). Returns whether this
     * call set it: of any number of processes firing the same tick with the same expected last tick, exactly one does,
     * and only its task is stored; a stale {@code expectedLastTick} changes nothing. {@code tick} must be after
     * {@code expectedLastTick}.
     */
    default boolean fireSchedule(String name, Instant expectedLastTick, Instant tick, NewTask task) {
        throw new UnsupportedOperationException(describe() + " does not store schedules: schedule " + name + " cannot fire");
    }

    // ---- retention ----

    /**
     * Deletes at most {@code limit} finished tasks of {@code queue} that are older than {@code retention} allows for
     * their state: DONE, DEAD or CANCELLED tasks whose {@link TaskRecord#finishedAt()} lies at least the state's
     * {@link Retention#maxAge} before now on the backend's own clock (so {@link java.time.Duration#ZERO} deletes every
     * finished task of that state, and a state kept forever is never touched). PENDING and RUNNING tasks are never
     * deleted. Returns how many it deleted; a caller repeats while a call deleted {@code limit}. Each call is short (a
     * backend deletes in one small transaction), so claims and settlements are never held up for long. A finished
     * task of a workflow run (metadata {@code run}, as the workflow module sets it) is kept while a task of the same run in
     * the same queue is still PENDING or RUNNING: the run has not finished, and its engine reads its steps' tasks. The
     * default refuses: a backend without {@link Capability#INSPECTION} keeps every task.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    default int deleteFinished(QueueName queue, Retention retention, int limit) {
        throw unsupported(Capability.INSPECTION, "finished tasks of queue " + queue + " cannot be deleted by retention");
    }

    /** Releases connections and files. Idempotent. */
    @Override
    void close();
}

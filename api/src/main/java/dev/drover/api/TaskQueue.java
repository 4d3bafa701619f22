package dev.drover.api;

import dev.drover.api.codec.Codec;
import dev.drover.spi.Backend;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A typed handle on one queue: push tasks (one, or many atomically; now, at a time, or after a delay) and
 * inspect them. Cheap to create; thread-safe.
 */
public final class TaskQueue<T> {
    private final Backend backend;
    private final QueueName name;
    private final Codec<T> codec;
    private final DroverSettings settings;
    private final DroverInstruments instruments;
    private final java.util.function.Supplier<AmbientTransaction> ambient;

    TaskQueue(Backend backend, QueueName name, Codec<T> codec, DroverSettings settings, DroverInstruments instruments,
              java.util.function.Supplier<AmbientTransaction> ambient) {
        this.backend = backend;
        this.name = name;
        this.codec = codec;
        this.settings = settings;
        this.instruments = instruments;
        this.ambient = ambient;
    }

    public QueueName name() {
        return name;
    }

    public Codec<T> codec() {
        return codec;
    }

    public TaskId push(T payload) {
        return push(payload, TaskOptions.defaults());
    }

    public TaskId push(T payload, TaskOptions options) {
        return pushAll(one(payload), options).getFirst();
    }

    /** Pushes all payloads, or none of them: one transaction. */
    public List<TaskId> pushAll(List<? extends T> payloads) {
        return pushAll(payloads, TaskOptions.defaults());
    }

    /**
     * Pushes all payloads, or none of them: one transaction; the application's, when an {@link AmbientTransaction}
     * bound to the Drover says the calling thread is in one (and there is no unique key). With a unique key ({@link TaskOptions#unique(String)}) the ids
     * are those of the tasks standing for the payloads: a payload whose key was held in scope is not stored and gets the
     * holder's id, and as every payload of one call has the same options, the first one holds the key for the others.
     * {@link #pushAllReporting} says which were stored.
     */
    public List<TaskId> pushAll(List<? extends T> payloads, TaskOptions options) {
        AmbientTransaction joined = ambient.get();
        if (joined != null && (options == null || options.unique() == null)) {
            Connection transaction = joined.current();
            if (transaction != null) {
                try {
                    return pushAll(payloads, options, transaction);
                } finally {
                    joined.release(transaction);
                }
            }
        }
        List<NewTask> tasks = prepare(payloads, options);
        if (options.unique() == null) {
            observed(tasks, t -> {
                backend.push(t);
                return null;
            });
            return tasks.stream().map(NewTask::id).toList();
        }
        return pushAllReporting(tasks).ids();
    }

    /**
     * Pushes all payloads as {@link #pushAll(List, TaskOptions)} does, and says of each whether it was stored or was a
     * duplicate of a task holding its unique key in scope (and which). Without a unique key every payload is stored.
     */
    public PushResult pushAllReporting(List<? extends T> payloads, TaskOptions options) {
        return pushAllReporting(prepare(payloads, options));
    }

    private PushResult pushAllReporting(List<NewTask> tasks) {
        if (tasks.isEmpty()) return new PushResult(List.of());
        return observed(tasks, this::storeReporting);
    }

    private PushResult storeReporting(List<NewTask> tasks) {
        if (tasks.getFirst().unique() == null) {
            backend.push(tasks);
            return new PushResult(tasks.stream().map(t -> new PushResult.Entry(t.id(), true)).toList());
        }
        if (!backend.capabilities().contains(Capability.UNIQUE_TASKS)) {
            throw new UnsupportedCapabilityException(Capability.UNIQUE_TASKS, backend.describe(),
                    "push without a unique key to queue " + name + ", or use a backend with unique tasks");
        }
        List<TaskId> holders = backend.pushReporting(tasks);
        if (holders.size() != tasks.size()) {
            throw new StorageException(backend.describe() + " reported " + holders.size() + " outcome(s) for a push of " + tasks.size()
                    + " task(s) to queue " + name + ": the backend is faulty", false);
        }
        List<PushResult.Entry> entries = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) entries.add(new PushResult.Entry(holders.get(i), holders.get(i).equals(tasks.get(i).id())));
        return new PushResult(entries);
    }

    /**
     * Pushes inside the caller's JDBC transaction on the same database: the tasks exist if and only if the caller
     * commits. Needs a backend with {@link Capability#TRANSACTIONAL_PUSH}.
     */
    public TaskId push(T payload, TaskOptions options, Connection transaction) {
        return pushAll(one(payload), options, transaction).getFirst();
    }

    public List<TaskId> pushAll(List<? extends T> payloads, TaskOptions options, Connection transaction) {
        if (!backend.capabilities().contains(Capability.TRANSACTIONAL_PUSH)) {
            throw new UnsupportedCapabilityException(Capability.TRANSACTIONAL_PUSH, backend.describe(),
                    "push without a Connection, or use a backend that shares the application's JDBC database");
        }
        if (options != null && options.unique() != null) {
            throw new InvalidTaskException("a push to queue " + name + " inside the application's transaction cannot take a unique key (\""
                    + options.unique().key() + "\"): push it without the Connection (the key is then checked and taken in the push's "
                    + "own transaction), or drop the key");
        }
        List<NewTask> tasks = prepare(payloads, options);
        observed(tasks, t -> {
            backend.push(t, transaction);
            return null;
        });
        return tasks.stream().map(NewTask::id).toList();
    }

    /**
     * A task of this queue for a completion to push with it ({@link ResultHandler.Completion}): pushed only if the
     * completion is applied, in the same transaction. Needs a backend with {@link Capability#FOLLOW_UPS}. For a
     * follow-up that waits for other tasks, or is cancelled by one, build a {@link FollowUp} on {@link FollowUp#task()}.
     */
    public FollowUp followUp(T payload, TaskOptions options) {
        if (options != null && options.unique() != null) {
            throw new InvalidTaskException("a follow-up of queue " + name + " cannot take a unique key (\"" + options.unique().key()
                    + "\"): a follow-up is pushed once by its completion already; drop the key");
        }
        return FollowUp.of(prepare(one(payload), options).getFirst());
    }

    public Map<TaskState, Long> counts() {
        return backend.counts(name);
    }

    public Optional<TaskRecord> get(TaskId id) {
        return backend.get(name, id);
    }

    public List<TaskRecord> list(TaskQuery query) {
        if (!query.queue().equals(name)) {
            throw new InvalidTaskException("a listing of queue " + query.queue() + " was asked of queue " + name);
        }
        return backend.list(query);
    }

    /**
     * Cancels the task {@code id} if it has not finished: a PENDING task never runs; a RUNNING one is fenced at once (its
     * outcome can no longer be recorded) and its handler is interrupted within one heartbeat, in whichever process runs it.
     * The result says which, or that the task had already finished (DONE, DEAD, CANCELLED) or is unknown in this queue.
     */
    public CancelResult cancel(TaskId id) {
        CancelResult result = backend.cancel(name, id);
        if (instruments.any()) instruments.all().onCancel(name, id, result);
        return result;
    }

    public boolean requeue(TaskId id) {
        return backend.requeue(name, id);
    }

    /**
     * Pauses this queue in the storage: from the next claim on, no worker of any process starts a task of it (a worker
     * waiting for work notices within one poll interval). Running tasks go on and finish; pushes are still stored.
     */
    public void pause() {
        backend.pause(name, true);
    }

    /** Resumes this queue: workers claim again at once (woken) on a backend with wake-ups, else within one poll interval. */
    public void resume() {
        backend.pause(name, false);
    }

    /** True while this queue is paused (by any process). */
    public boolean isPaused() {
        return backend.control(name).paused();
    }

    /**
     * Sets this queue's queue-wide limits, enforced by every claim in every process: e.g.
     * {@code limit(QueueLimits.none().concurrency(2))} lets at most 2 tasks run at once across all workers. Replaces
     * the limits set before; {@link QueueLimits#none()} removes them. See {@link QueueLimits}.
     */
    public void limit(QueueLimits limits) {
        backend.limit(name, java.util.Objects.requireNonNull(limits, "limits: pass QueueLimits.none() to remove the limits"));
    }

    /** This queue's queue-wide limits as stored now. */
    public QueueLimits limits() {
        return backend.control(name).limits();
    }

    /** This queue's control as stored now: paused or not, and its limits. */
    public QueueControl control() {
        return backend.control(name);
    }

    /**
     * Stores {@code tasks} with {@code store} as the Drover's instrumentations see it: with the metadata they add (ids
     * unchanged), then told how the push ended. {@code store} returns what it reports, or null when every task was stored.
     */
    private PushResult observed(List<NewTask> tasks, java.util.function.Function<List<NewTask>, PushResult> store) {
        if (tasks.isEmpty() || !instruments.any()) return store.apply(tasks);
        dev.drover.api.instrument.PushObservation observation = instruments.all().onPush(name, tasks);
        Map<String, String> added = observation.metadata();
        List<NewTask> toStore = tasks;
        if (!added.isEmpty()) {
            toStore = new ArrayList<>(tasks.size());
            for (NewTask task : tasks) {
                Map<String, String> metadata = new java.util.LinkedHashMap<>(added);
                metadata.putAll(task.metadata());
                toStore.add(task.toBuilder().metadata(metadata).build());
            }
        }
        PushResult result;
        try {
            result = store.apply(toStore);
        } catch (RuntimeException e) {
            observation.failed(e);
            throw e;
        }
        int stored = result == null ? tasks.size() : (int) result.entries().stream().filter(PushResult.Entry::stored).count();
        observation.stored(stored, tasks.size() - stored);
        return result;
    }

    private List<T> one(T payload) {
        if (payload == null) {
            throw new InvalidTaskException("the payload pushed to queue " + name + " is null: push a value (for a task that needs "
                    + "no data, a payload type with an empty value, such as an empty record)");
        }
        return List.of(payload);
    }

    private List<NewTask> prepare(List<? extends T> payloads, TaskOptions options) {
        if (payloads == null) {
            throw new InvalidTaskException("pushAll to queue " + name + " was given null instead of a list: pass a list of payloads "
                    + "(an empty list pushes nothing)");
        }
        if (options == null) {
            throw new InvalidTaskException("the options of a push to queue " + name + " are null: pass TaskOptions.defaults() "
                    + "or leave them out");
        }
        if (payloads.isEmpty()) return List.of();
        Instant now = Instant.now();
        Instant runAt = options.dueTime(now);
        int maxAttempts = options.maxAttempts() != null ? options.maxAttempts() : settings.defaultMaxAttempts();
        List<NewTask> tasks = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            T payload = payloads.get(i);
            if (payload == null) {
                throw new InvalidTaskException("payload " + i + " pushed to queue " + name + " is null: push a value");
            }
            byte[] bytes = codec.encode(payload);
            if (bytes.length > settings.maxPayloadBytes()) {
                throw new InvalidTaskException("payload " + i + " pushed to queue " + name + " is " + bytes.length
                        + " bytes, over the limit of " + settings.maxPayloadBytes()
                        + " bytes: store large data elsewhere and push a reference, or raise DroverSettings.maxPayloadBytes");
            }
            tasks.add(NewTask.builder(name, bytes, codec.name()).priority(options.priority()).runAt(runAt).maxAttempts(maxAttempts)
                    .metadata(options.metadata()).unique(options.unique()).build());
        }
        return tasks;
    }
}

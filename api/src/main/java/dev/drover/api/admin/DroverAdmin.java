package dev.drover.api.admin;

import dev.drover.api.CancelResult;
import dev.drover.api.Drover;
import dev.drover.api.FinishedMinute;
import dev.drover.api.InvalidTaskException;
import dev.drover.api.QueueControl;
import dev.drover.api.QueueName;
import dev.drover.api.Retention;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.spi.Backend;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an operator does with a Drover's storage, on every backend that declares
 * {@link dev.drover.api.Capability#INSPECTION}: what the dashboard, its JSON API and the {@code drover} command-line
 * tool are built on. Queue names are checked as {@link QueueName#of} checks them; a storage failure throws a
 * {@link dev.drover.api.StorageException}. Thread-safe; cheap to create ({@link Drover#admin()}).
 */
public final class DroverAdmin {
    /** Tasks one batch of {@link #requeueAllDead} or {@link #purge} handles: one short transaction each. */
    static final int BATCH = 500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Drover drover;
    private final Backend backend;

    private DroverAdmin(Drover drover) {
        this.drover = Objects.requireNonNull(drover, "drover");
        this.backend = drover.backend();
    }

    /** The administration of {@code drover}'s storage. */
    public static DroverAdmin of(Drover drover) {
        return new DroverAdmin(drover);
    }

    /** The backend, as it describes itself: never with a password or token from its URL. */
    public String describe() {
        return backend.describe();
    }

    /** Every queue of the storage that holds tasks or a control, by name, with its counts and control. */
    public List<QueueSummary> queues() {
        List<QueueSummary> all = new ArrayList<>();
        for (QueueName name : backend.queues()) all.add(summary(name));
        return all;
    }

    /** The queue {@code name}: its counts (0 for a queue without tasks), pause and limits. */
    public QueueSummary queue(String name) {
        return summary(QueueName.of(name));
    }

    private QueueSummary summary(QueueName name) {
        QueueControl control = backend.control(name);
        return new QueueSummary(name, backend.counts(name), control.paused(), control.limits());
    }

    /**
     * Tasks of {@code queue} that finished DONE or DEAD in each of the last {@code minutes} minutes (1 to 1440), oldest
     * first, one entry per minute (0 where none finished); the last is the current minute, on the storage's clock.
     */
    public List<FinishedMinute> throughput(String queue, int minutes) {
        if (minutes < 1 || minutes > 1440) {
            throw new IllegalArgumentException("throughput covers 1 to 1440 minutes (got " + minutes + ")");
        }
        Instant current = backend.now().truncatedTo(ChronoUnit.MINUTES);
        Instant first = current.minus(minutes - 1L, ChronoUnit.MINUTES);
        Map<Instant, FinishedMinute> found = new HashMap<>();
        for (FinishedMinute m : backend.finishedPerMinute(QueueName.of(queue), first)) found.put(m.minute(), m);
        List<FinishedMinute> out = new ArrayList<>(minutes);
        for (int i = 0; i < minutes; i++) {
            Instant minute = first.plus(i, ChronoUnit.MINUTES);
            out.add(found.getOrDefault(minute, new FinishedMinute(minute, 0, 0)));
        }
        return out;
    }

    /** The task {@code id} in whichever queue holds it. */
    public Optional<TaskRecord> find(TaskId id) {
        Objects.requireNonNull(id, "id");
        for (QueueName queue : backend.queues()) {
            Optional<TaskRecord> task = backend.get(queue, id);
            if (task.isPresent()) return task;
        }
        return Optional.empty();
    }

    public Optional<TaskRecord> get(String queue, TaskId id) {
        return backend.get(QueueName.of(queue), Objects.requireNonNull(id, "id"));
    }

    /**
     * A page of {@code queue}'s tasks in id order (creation order), of one state or all ({@code state} null): the first
     * page when {@code after} and {@code before} are null, the page after {@code after}, or the page just before
     * {@code before} (give at most one of them); {@code limit} from 1 to {@value TaskQuery#MAX_LIMIT}.
     */
    public TaskPage tasks(String queue, TaskState state, TaskId after, TaskId before, int limit) {
        QueueName name = QueueName.of(queue);
        List<TaskRecord> page = backend.list(new TaskQuery(name, state, after, limit, before));
        if (page.isEmpty()) return new TaskPage(page, null, null);
        // the neighbours are asked for directly: one task each way, through the same index as the page
        boolean hasPrevious = !backend.list(new TaskQuery(name, state, null, 1, page.getFirst().id())).isEmpty();
        boolean hasNext = !backend.list(new TaskQuery(name, state, page.getLast().id(), 1, null)).isEmpty();
        return new TaskPage(page, hasPrevious ? page.getFirst().id() : null, hasNext ? page.getLast().id() : null);
    }

    /** DEAD or CANCELLED → PENDING, due now, attempts from 1 again; false otherwise. */
    public boolean requeue(String queue, TaskId id) {
        return backend.requeue(QueueName.of(queue), Objects.requireNonNull(id, "id"));
    }

    /** A PENDING task becomes due now; a DEAD or CANCELLED one is requeued, due now; false for RUNNING, DONE or unknown. */
    public boolean retryNow(String queue, TaskId id) {
        return backend.runNow(QueueName.of(queue), Objects.requireNonNull(id, "id"));
    }

    /** Requeues every DEAD task of {@code queue}, a batch at a time; returns how many. */
    public int requeueAllDead(String queue) {
        QueueName name = QueueName.of(queue);
        int requeued = 0;
        TaskId after = null;
        while (true) {
            List<TaskRecord> batch = backend.list(new TaskQuery(name, TaskState.DEAD, after, BATCH));
            for (TaskRecord task : batch) {
                if (backend.requeue(name, task.id())) requeued++;
            }
            if (batch.size() < BATCH) return requeued;
            after = batch.getLast().id();
        }
    }

    public CancelResult cancel(String queue, TaskId id) {
        return backend.cancel(QueueName.of(queue), Objects.requireNonNull(id, "id"));
    }

    /** Deletes the task if it is DONE, DEAD or CANCELLED; false otherwise. */
    public boolean delete(String queue, TaskId id) {
        return backend.delete(QueueName.of(queue), Objects.requireNonNull(id, "id"));
    }

    /**
     * Deletes the tasks of {@code queue} in {@code state} (DONE, DEAD or CANCELLED) that finished longer than
     * {@code olderThan} ago (zero: all of them), a batch at a time; returns how many.
     */
    public int purge(String queue, TaskState state, Duration olderThan) {
        Objects.requireNonNull(state, "state");
        if (state == TaskState.PENDING || state == TaskState.RUNNING) {
            throw new IllegalArgumentException("purge deletes finished tasks (DONE, DEAD or CANCELLED), not " + state
                    + " ones: cancel them first");
        }
        Retention only = Retention.forever().keep(state, olderThan);
        QueueName name = QueueName.of(queue);
        int deleted = 0;
        int batch;
        do {
            batch = backend.deleteFinished(name, only, BATCH);
            deleted += batch;
        } while (batch == BATCH);
        return deleted;
    }

    public void pause(String queue) {
        backend.pause(QueueName.of(queue), true);
    }

    public void resume(String queue) {
        backend.pause(QueueName.of(queue), false);
    }

    /**
     * Pushes {@code json} as it is (checked to be one JSON value) to {@code queue} as a JSON task, as an application's
     * {@code TaskQueue} of that queue would read it.
     */
    public TaskId push(String queue, String json, TaskOptions options) {
        Objects.requireNonNull(json, "json");
        try {
            JSON.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidTaskException("the payload pushed to queue " + queue + " is not JSON (" + e.getOriginalMessage()
                    + "): give one JSON value, such as {\"to\": \"ada@example.com\"}");
        }
        return drover.queue(queue, JsonText.CODEC).push(json, options == null ? TaskOptions.defaults() : options);
    }

    /** A JSON payload given as text: stored as its UTF-8 bytes with the codec name "json". */
    private static final class JsonText {
        static final dev.drover.api.codec.Codec<String> CODEC = new dev.drover.api.codec.Codec<>() {
            @Override
            public String name() {
                return dev.drover.api.codec.JsonCodec.NAME;
            }

            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }
}

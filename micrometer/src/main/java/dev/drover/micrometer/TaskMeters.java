package dev.drover.micrometer;

import dev.drover.api.CancelResult;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.instrument.Instrumentation;
import dev.drover.api.instrument.PushObservation;
import dev.drover.api.instrument.RunOutcome;
import dev.drover.api.instrument.TaskRun;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The instrumentation {@link DroverMetrics} binds: counts what Drover does and times it, on the threads doing the work.
 * Each meter is looked up once per (name, queue, tag) and kept, so an event costs a map lookup and an increment.
 */
final class TaskMeters implements Instrumentation {
    private final MeterSet meters;
    private final DroverMetrics.QueueWatch queues;
    private final WorkerGauges workers;
    private final boolean percentileHistograms;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    /** One meter: its name, queue and one more tag (null when it has none). */
    private record Key(String name, QueueName queue, String tag, String value) { }

    TaskMeters(MeterSet meters, DroverMetrics.QueueWatch queues, WorkerGauges workers, boolean percentileHistograms) {
        this.meters = meters;
        this.queues = queues;
        this.workers = workers;
        this.percentileHistograms = percentileHistograms;
    }

    @Override
    public PushObservation onPush(QueueName queue, List<NewTask> tasks) {
        if (meters.closed()) return PushObservation.NONE;
        queues.watch(queue);
        return new PushObservation() {
            @Override
            public void stored(int stored, int duplicates) {
                if (stored > 0) counter(DroverMetrics.TASKS_PUSHED, queue, null, null).increment(stored);
            }
        };
    }

    @Override
    public void onCancel(QueueName queue, TaskId id, CancelResult result) {
        if (meters.closed()) return;
        if (result instanceof CancelResult.Cancelled cancelled) {
            counter(DroverMetrics.TASKS_CANCELLED, queue, DroverMetrics.TAG_STATE, DroverMetrics.lower(cancelled.was())).increment();
        }
    }

    @Override
    public void onWorkerStarted(Worker<?> worker) {
        if (meters.closed()) return;
        queues.watch(worker.queue());
        workers.started(worker);
    }

    @Override
    public void onWorkerStopped(Worker<?> worker) {
        workers.stopped(worker);
    }

    @Override
    public void onEvent(WorkerEvent event) {
        if (meters.closed()) return;
        QueueName q = event.queue();
        switch (event) {
            case WorkerEvent.TaskStarted e -> {
                counter(DroverMetrics.TASKS_STARTED, q, null, null).increment();
                if (e.dueAt() != null) {
                    long waited = meters.registry().config().clock().wallTime() - e.dueAt().toEpochMilli();
                    timer(DroverMetrics.TASKS_START_DELAY, q, null, null, "From when a task was due to when its handler started")
                            .record(Duration.ofMillis(Math.max(0, waited)));
                }
            }
            case WorkerEvent.TaskCompleted e -> counter(DroverMetrics.TASKS_COMPLETED, q, null, null).increment();
            case WorkerEvent.TaskRetrying e -> counter(DroverMetrics.TASKS_RETRIED, q, null, null).increment();
            case WorkerEvent.TaskDead e -> counter(DroverMetrics.TASKS_DEAD, q, null, null).increment();
            case WorkerEvent.TaskReleased e -> counter(DroverMetrics.TASKS_RELEASED, q, null, null).increment();
            case WorkerEvent.TaskStuck e -> counter(DroverMetrics.TASKS_STUCK, q, null, null).increment();
            case WorkerEvent.LeaseLost e -> counter(DroverMetrics.LEASES_LOST, q, null, null).increment();
            case WorkerEvent.TaskCancelled e -> counter(DroverMetrics.RUNS_CANCELLED, q, null, null).increment();
            case WorkerEvent.StorageFailed e ->
                    counter(DroverMetrics.STORAGE_ERRORS, q, DroverMetrics.TAG_OPERATION, e.operation()).increment();
            case WorkerEvent.StorageRoundTrip e -> timer(DroverMetrics.STORAGE_ROUND_TRIP, q, DroverMetrics.TAG_OPERATION,
                    operation(e), "One round trip of a worker's storage loop: claim, settle (write outcomes), or both at once")
                    .record(e.took());
            case WorkerEvent.HandlerEnded e -> {
                // timed in aroundRun, which also knows the run's outcome
            }
        }
    }

    @Override
    public void aroundRun(TaskRun run) {
        RunOutcome outcome = run.proceed();
        if (meters.closed() || outcome.kind() == RunOutcome.Kind.UNDECODABLE) return; // no handler ran
        timer(DroverMetrics.HANDLER_DURATION, run.task().queue(), DroverMetrics.TAG_OUTCOME, DroverMetrics.lower(outcome.kind()),
                "How long a handler ran, by the outcome the worker decided for the run").record(outcome.duration());
    }

    /** What a storage round trip did: claimed, wrote outcomes, or both in one round trip. */
    static String operation(WorkerEvent.StorageRoundTrip e) {
        if (e.asked() > 0) return e.outcomes() > 0 ? "settle_and_claim" : "claim";
        return "settle";
    }

    private Counter counter(String name, QueueName queue, String tag, String value) {
        return counters.computeIfAbsent(new Key(name, queue, tag, value), k -> {
            Counter.Builder b = Counter.builder(name).tag(DroverMetrics.TAG_QUEUE, queue.value())
                    .description(DroverMetrics.description(name));
            if (tag != null) b.tag(tag, value);
            return meters.add(b.register(meters.registry()));
        });
    }

    private Timer timer(String name, QueueName queue, String tag, String value, String description) {
        return timers.computeIfAbsent(new Key(name, queue, tag, value), k -> {
            Timer.Builder b = Timer.builder(name).tag(DroverMetrics.TAG_QUEUE, queue.value()).description(description);
            if (tag != null) b.tag(tag, value);
            if (percentileHistograms) b.publishPercentileHistogram();
            return meters.add(b.register(meters.registry()));
        });
    }
}

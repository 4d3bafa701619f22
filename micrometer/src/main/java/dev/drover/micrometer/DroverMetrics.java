package dev.drover.micrometer;

import dev.drover.api.Drover;
import dev.drover.api.QueueName;
import dev.drover.api.instrument.Instrumentation;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drover's metrics in a Micrometer {@link MeterRegistry}, bound with one call and removed by closing what it returns:
 *
 * <pre>{@code
 * DroverMetrics metrics = DroverMetrics.bind(drover, registry);   // before or after the workers start
 * ...
 * metrics.close();                                                // removes the meters, stops the gauges' thread
 * }</pre>
 *
 * Names follow Micrometer's conventions (dot-separated, lower case, base units; registries add their own suffixes, such
 * as {@code _total} or {@code _seconds}). Every meter has the tag {@value #TAG_QUEUE}.
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>other tags</th><th>what</th></tr>
 * <tr><td>{@value #TASKS_PUSHED}</td><td>counter</td><td></td><td>tasks stored by pushes through this Drover's queues (duplicates of a unique key not counted)</td></tr>
 * <tr><td>{@value #TASKS_STARTED}</td><td>counter</td><td></td><td>runs started (each attempt)</td></tr>
 * <tr><td>{@value #TASKS_COMPLETED}</td><td>counter</td><td></td><td>tasks DONE</td></tr>
 * <tr><td>{@value #TASKS_RETRIED}</td><td>counter</td><td></td><td>failed attempts scheduled to run again</td></tr>
 * <tr><td>{@value #TASKS_DEAD}</td><td>counter</td><td></td><td>tasks DEAD (attempts exhausted, killed, undecodable)</td></tr>
 * <tr><td>{@value #TASKS_CANCELLED}</td><td>counter</td><td>{@value #TAG_STATE} (pending, running: what the task was)</td><td>cancels through this Drover's queues that cancelled a task</td></tr>
 * <tr><td>{@value #RUNS_CANCELLED}</td><td>counter</td><td></td><td>runs of this Drover's workers whose task was cancelled while they ran (by any process)</td></tr>
 * <tr><td>{@value #TASKS_RELEASED}</td><td>counter</td><td></td><td>tasks given back unfinished at shutdown</td></tr>
 * <tr><td>{@value #TASKS_STUCK}</td><td>counter</td><td></td><td>runs that timed out and ignored their interrupt</td></tr>
 * <tr><td>{@value #LEASES_LOST}</td><td>counter</td><td></td><td>runs whose lease was taken over before their outcome was written</td></tr>
 * <tr><td>{@value #STORAGE_ERRORS}</td><td>counter</td><td>{@value #TAG_OPERATION} (the worker's storage call)</td><td>failed storage calls of workers</td></tr>
 * <tr><td>{@value #HANDLER_DURATION}</td><td>timer</td><td>{@value #TAG_OUTCOME} (completed, retrying, dead, overtaken)</td><td>how long handlers ran</td></tr>
 * <tr><td>{@value #TASKS_START_DELAY}</td><td>timer</td><td></td><td>from a task's due time to the start of its run</td></tr>
 * <tr><td>{@value #STORAGE_ROUND_TRIP}</td><td>timer</td><td>{@value #TAG_OPERATION} (claim, settle, settle_and_claim)</td><td>round trips of workers' storage loops</td></tr>
 * <tr><td>{@value #QUEUE_TASKS}</td><td>gauge</td><td>{@value #TAG_STATE} (pending, running, dead)</td><td>tasks of the queue, read from storage in the background</td></tr>
 * <tr><td>{@value #QUEUE_OLDEST_AGE}</td><td>time gauge</td><td></td><td>how long the oldest due task has waited (0 when none is due)</td></tr>
 * <tr><td>{@value #QUEUE_GAUGES_REFRESH}</td><td>timer</td><td></td><td>what reading the queue's gauges from storage took</td></tr>
 * <tr><td>{@value #WORKER_SLOTS}</td><td>gauge</td><td>{@value #TAG_WORKER}, {@value #TAG_STATE} (busy, free)</td><td>each running worker's slots</td></tr>
 * </table>
 * <p>
 * Queue gauges are kept for the queues this Drover pushes to or runs workers for, and those named in
 * {@link DroverMetricsOptions#queues}; one daemon thread reads them from storage every
 * {@link DroverMetricsOptions#refreshInterval} (never on a scrape). They read NaN until the queue's first refresh. The
 * counts need {@link dev.drover.api.Capability#INSPECTION}, the age {@link dev.drover.api.Capability#OLDEST_DUE}: a
 * backend without one has no such gauge. Timers publish percentile histograms when
 * {@link DroverMetricsOptions#percentileHistograms} is on, or where a MeterFilter turns them on.
 */
public final class DroverMetrics implements AutoCloseable {
    /** Tag: the queue's name. */
    public static final String TAG_QUEUE = "queue";
    /** Tag: a task's state (lower case). */
    public static final String TAG_STATE = "state";
    /** Tag: how a run ended (lower case {@link dev.drover.api.instrument.RunOutcome.Kind}). */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag: what a storage call did. */
    public static final String TAG_OPERATION = "operation";
    /** Tag: a worker's id. */
    public static final String TAG_WORKER = "worker";

    public static final String TASKS_PUSHED = "drover.tasks.pushed";
    public static final String TASKS_STARTED = "drover.tasks.started";
    public static final String TASKS_COMPLETED = "drover.tasks.completed";
    public static final String TASKS_RETRIED = "drover.tasks.retried";
    public static final String TASKS_DEAD = "drover.tasks.dead";
    public static final String TASKS_CANCELLED = "drover.tasks.cancelled";
    public static final String RUNS_CANCELLED = "drover.runs.cancelled";
    public static final String TASKS_RELEASED = "drover.tasks.released";
    public static final String TASKS_STUCK = "drover.tasks.stuck";
    public static final String LEASES_LOST = "drover.leases.lost";
    public static final String STORAGE_ERRORS = "drover.storage.errors";
    public static final String HANDLER_DURATION = "drover.handler.duration";
    public static final String TASKS_START_DELAY = "drover.tasks.start.delay";
    public static final String STORAGE_ROUND_TRIP = "drover.storage.round.trip";
    public static final String QUEUE_TASKS = "drover.queue.tasks";
    public static final String QUEUE_OLDEST_AGE = "drover.queue.oldest.age";
    public static final String QUEUE_GAUGES_REFRESH = "drover.queue.gauges.refresh";
    public static final String WORKER_SLOTS = "drover.worker.slots";

    private final Instrumentation.Binding binding;
    private final QueueGauges queues;
    private final MeterSet meters;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DroverMetrics(Instrumentation.Binding binding, QueueGauges queues, MeterSet meters) {
        this.binding = binding;
        this.queues = queues;
        this.meters = meters;
    }

    /** Binds Drover's metrics with the {@link DroverMetricsOptions#defaults() default options}. */
    public static DroverMetrics bind(Drover drover, MeterRegistry registry) {
        return bind(drover, registry, DroverMetricsOptions.defaults());
    }

    /**
     * Measures {@code drover}'s queues and workers (also those made before) into {@code registry} until the returned
     * object is closed. Bind once per Drover and registry: two bindings would count every event twice.
     */
    public static DroverMetrics bind(Drover drover, MeterRegistry registry, DroverMetricsOptions options) {
        Objects.requireNonNull(drover, "drover");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(options, "options");
        MeterSet meters = new MeterSet(registry);
        QueueGauges queues = options.queueGauges()
                ? new QueueGauges(drover.backend(), meters, options.refreshInterval())
                : null;
        QueueWatch watch = queues == null ? q -> { } : queues::watch;
        for (QueueName q : options.queues()) watch.watch(q);
        TaskMeters taskMeters = new TaskMeters(meters, watch, new WorkerGauges(meters), options.percentileHistograms());
        Instrumentation.Binding binding = drover.instrument(taskMeters);
        return new DroverMetrics(binding, queues, meters);
    }

    /** Unbinds: stops measuring, stops the queue gauges' thread and removes every meter this binding registered. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            binding.close();
        } finally {
            if (queues != null) queues.close();
            meters.close();
        }
    }

    @Override
    public String toString() {
        return "DroverMetrics[" + (closed.get() ? "closed" : "bound") + "]";
    }

    /** What queue gauges to keep; nothing when they are off. */
    @FunctionalInterface
    interface QueueWatch {
        void watch(QueueName queue);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static String description(String counter) {
        return switch (counter) {
            case TASKS_PUSHED -> "Tasks stored by pushes through this Drover's queues";
            case TASKS_STARTED -> "Runs started (each attempt of a task)";
            case TASKS_COMPLETED -> "Tasks completed (DONE)";
            case TASKS_RETRIED -> "Failed attempts scheduled to run again";
            case TASKS_DEAD -> "Tasks that went DEAD: attempts exhausted, killed, or undecodable";
            case TASKS_CANCELLED -> "Tasks cancelled through this Drover's queues";
            case RUNS_CANCELLED -> "Runs whose task was cancelled while they ran";
            case TASKS_RELEASED -> "Tasks given back unfinished at a worker's shutdown";
            case TASKS_STUCK -> "Runs that timed out and ignored their interrupt";
            case LEASES_LOST -> "Runs whose lease was taken over before their outcome was written";
            case STORAGE_ERRORS -> "Failed storage calls of workers (each is retried)";
            default -> null;
        };
    }
}

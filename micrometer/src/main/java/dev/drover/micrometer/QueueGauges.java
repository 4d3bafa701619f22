package dev.drover.micrometer;

import dev.drover.api.Capability;
import dev.drover.api.QueueName;
import dev.drover.api.TaskState;
import dev.drover.spi.Backend;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gauges of each watched queue: its tasks by state ({@value DroverMetrics#QUEUE_TASKS}, state pending, running,
 * dead) and the age of its oldest due task ({@value DroverMetrics#QUEUE_OLDEST_AGE}). Storage is read by one daemon
 * thread every refresh interval (with a fixed delay: a refresh still running is never started again, the next waits),
 * never on a scrape, which reads the last values. Until a queue's first refresh, and after a refresh of it failed, its
 * gauges read NaN (unknown). Counts need {@link Capability#INSPECTION}, the age {@link Capability#OLDEST_DUE}; a backend
 * without one gets no such gauges.
 */
final class QueueGauges implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);

    private final Backend backend;
    private final MeterSet meters;
    private final Duration interval;
    private final boolean counts;
    private final boolean oldestDue;
    private final Map<QueueName, Readings> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    /** The executor's one thread, joined by {@link #close()}: an executor is terminated a moment before its thread ends. */
    private volatile Thread gaugeThread;

    QueueGauges(Backend backend, MeterSet meters, Duration interval) {
        this.backend = backend;
        this.meters = meters;
        this.interval = interval;
        Set<Capability> capabilities = backend.capabilities();
        this.counts = capabilities.contains(Capability.INSPECTION);
        this.oldestDue = capabilities.contains(Capability.OLDEST_DUE);
        if (!counts && !oldestDue) {
            log.info("{} declares neither INSPECTION nor OLDEST_DUE: Drover's metrics have no queue gauges there (counters, timers and "
                    + "worker gauges are kept)", backend.describe());
            thread = null;
        } else {
            thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "drover-metrics-queue-gauges");
                t.setDaemon(true);
                gaugeThread = t;
                return t;
            });
            thread.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Measures {@code queue} (once: a queue watched already is left as it is). Its first reading is taken at once, on
     * the gauges' thread, after any refresh running now; then with every refresh.
     */
    void watch(QueueName queue) {
        if (thread == null || meters.closed() || watched.containsKey(queue)) return;
        boolean[] added = new boolean[1];
        Readings r = watched.computeIfAbsent(queue, q -> {
            added[0] = true;
            return register(q);
        });
        if (added[0]) {
            try {
                thread.execute(() -> read(r));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // unbound meanwhile: nothing to read
            }
        }
    }

    private Readings register(QueueName queue) {
        Readings r = new Readings(queue);
        Tags tags = Tags.of(DroverMetrics.TAG_QUEUE, queue.value());
        if (counts) {
            for (TaskState state : new TaskState[] {TaskState.PENDING, TaskState.RUNNING, TaskState.DEAD}) {
                meters.add(Gauge.builder(DroverMetrics.QUEUE_TASKS, r, x -> x.count(state))
                        .tags(tags).tag(DroverMetrics.TAG_STATE, DroverMetrics.lower(state))
                        .description("Tasks of the queue in the state, as storage had them at the last refresh (pending counts scheduled tasks too)")
                        .strongReference(true)
                        .register(meters.registry()));
            }
        }
        if (oldestDue) {
            Clock clock = meters.registry().config().clock();
            meters.add(TimeGauge.builder(DroverMetrics.QUEUE_OLDEST_AGE, r, TimeUnit.MILLISECONDS, x -> x.ageMillis(clock.wallTime()))
                    .tags(tags)
                    .description("How long the queue's oldest due task has waited since it was due (0 when none is due)")
                    .strongReference(true)
                    .register(meters.registry()));
        }
        r.refreshTimer = meters.add(Timer.builder(DroverMetrics.QUEUE_GAUGES_REFRESH).tags(tags)
                .description("What reading the queue's gauges from storage took, per refresh")
                .register(meters.registry()));
        return r;
    }

    /** One pass over the watched queues, on the gauges' thread. */
    private void refresh() {
        for (Readings r : watched.values()) {
            if (meters.closed()) return;
            read(r);
        }
    }

    /** Reads one queue's gauges from storage, on the gauges' thread. */
    private void read(Readings r) {
        if (meters.closed()) return;
        long start = System.nanoTime();
        try {
            Map<TaskState, Long> byState = counts ? backend.counts(r.queue) : Map.of();
            Optional<Instant> due = oldestDue ? backend.oldestDue(r.queue) : Optional.empty();
            r.last = new Snapshot(byState.getOrDefault(TaskState.PENDING, 0L), byState.getOrDefault(TaskState.RUNNING, 0L),
                    byState.getOrDefault(TaskState.DEAD, 0L), due.map(Instant::toEpochMilli).orElse(Snapshot.NONE_DUE));
            r.refreshTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (r.failing) {
                r.failing = false;
                log.info("Drover metrics: reading the gauges of queue {} works again", r.queue);
            }
        } catch (RuntimeException e) {
            r.last = null; // unknown, rather than stale numbers that look current
            if (!r.failing) {
                r.failing = true;
                log.warn("Drover metrics: could not read the gauges of queue {} from {} (they read NaN until a refresh works; "
                        + "retrying every {}): {}", r.queue, backend.describe(), interval, e.toString(), e);
            } else {
                log.debug("Drover metrics: reading the gauges of queue {} failed again: {}", r.queue, e.toString());
            }
        } catch (Error e) {
            log.error("Drover metrics: reading the gauges of queue {} failed; the queue gauges stop", r.queue, e);
            throw e;
        }
    }

    /** Stops the thread (interrupting a refresh in progress) and waits briefly for it. */
    @Override
    public void close() {
        if (thread == null) return;
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Drover metrics: the queue gauges' refresh of {} did not end within 5 s of the unbinding; it ends with its storage call",
                        backend.describe());
            } else {
                // terminated means no task runs any more; the thread itself ends just after: wait for that too, so an
                // unbound DroverMetrics leaves no thread of its own behind (CI once saw it alive right after close)
                Thread t = gaugeThread;
                if (t != null) t.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one refresh read of a queue, all at once: a scrape never mixes two refreshes. */
    private record Snapshot(long pending, long running, long dead, long oldestDueMillis) {
        static final long NONE_DUE = Long.MIN_VALUE;
    }

    /** The last reading of one queue (null until the first, and after a failed one); written by the gauges' thread, read by scrapes. */
    private static final class Readings {
        final QueueName queue;
        volatile Snapshot last;
        volatile boolean failing;
        Timer refreshTimer;

        Readings(QueueName queue) {
            this.queue = queue;
        }

        double count(TaskState state) {
            Snapshot s = last;
            if (s == null) return Double.NaN;
            return switch (state) {
                case PENDING -> s.pending();
                case RUNNING -> s.running();
                case DEAD -> s.dead();
                default -> Double.NaN;
            };
        }

        double ageMillis(long nowMillis) {
            Snapshot s = last;
            if (s == null) return Double.NaN;
            return s.oldestDueMillis() == Snapshot.NONE_DUE ? 0 : Math.max(0, nowMillis - s.oldestDueMillis());
        }
    }
}

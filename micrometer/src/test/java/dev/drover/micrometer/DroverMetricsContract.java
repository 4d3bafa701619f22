package dev.drover.micrometer;

import dev.drover.api.DoNotRetryException;
import dev.drover.api.Drover;
import dev.drover.api.DroverSettings;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.Await;
import dev.drover.conformance.ForwardingBackend;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link DroverMetrics} measures, on a real backend: known workloads run by real workers, the meters read from a
 * {@link SimpleMeterRegistry}. Each backend's test extends this with the URL of fresh storage.
 */
abstract class DroverMetricsContract {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration REFRESH = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A URL of storage every open reaches (the same for the whole test). */
    abstract String url(Path dir);

    /** A job: "ok" returns, "retry" fails its first attempt, "dead" refuses to be retried, "block" waits for {@link #release}. */
    record Job(String kind, int n) { }

    final CountDownLatch blocking = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
    }

    Drover open(Backend backend) {
        return closeLater(Drover.using(backend, DroverSettings.defaults()));
    }

    Drover open() {
        return closeLater(Drover.open(url(dir)));
    }

    Worker<Job> worker(Drover drover, TaskQueue<Job> queue, int concurrency) {
        return closeLater(drover.worker(queue, task -> {
                    Job job = task.payload();
                    switch (job.kind()) {
                        case "retry" -> {
                            if (task.attempt() == 1) throw new IllegalStateException("first attempt of " + job + " fails");
                        }
                        case "dead" -> throw new DoNotRetryException("job " + job + " is given up");
                        case "block" -> {
                            blocking.countDown();
                            release.await();
                        }
                        default -> { }
                    }
                }).concurrency(concurrency).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(20)))
                .pollInterval(Duration.ofMillis(10), Duration.ofMillis(100)).start());
    }

    @Test
    void countersTimersAndGaugesMeasureAKnownWorkload() throws Exception {
        int n = 20, m = 6, k = 4;
        Drover drover = open();
        // A queue this Drover never pushes to or works on, named in the options; another process fills it.
        QueueName watched = Names.queue();
        DroverMetrics metrics = closeLater(DroverMetrics.bind(drover, registry,
                DroverMetricsOptions.defaults().refreshInterval(REFRESH).queues(watched.value())));
        TaskQueue<Job> jobs = drover.queue(Names.queue().value(), Job.class);
        String q = jobs.name().value();

        List<Job> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) payloads.add(new Job("ok", i));
        for (int i = 0; i < m; i++) payloads.add(new Job("retry", i));
        for (int i = 0; i < k; i++) payloads.add(new Job("dead", i));
        jobs.pushAll(payloads.subList(0, n));
        for (Job job : payloads.subList(n, payloads.size())) jobs.push(job);
        jobs.push(new Job("ok", -1), TaskOptions.defaults().runAt(Instant.now().minusSeconds(60))); // due a minute ago
        int total = n + m + k + 1;
        assertThat(count(DroverMetrics.TASKS_PUSHED, q)).as("pushed").isEqualTo(total);

        Drover other = open();
        other.queue(watched.value(), Job.class).pushAll(List.of(new Job("ok", 1), new Job("ok", 2)));

        awaitGauge(DroverMetrics.QUEUE_TASKS, q, "pending", total);
        awaitGauge(DroverMetrics.QUEUE_TASKS, watched.value(), "pending", 2);
        assertThat(gauge(DroverMetrics.QUEUE_TASKS, q, "running")).isZero();
        assertThat(gauge(DroverMetrics.QUEUE_TASKS, q, "dead")).isZero();
        if (drover.capabilities().contains(dev.drover.api.Capability.OLDEST_DUE)) {
            TimeGauge age = registry.get(DroverMetrics.QUEUE_OLDEST_AGE).tag(DroverMetrics.TAG_QUEUE, q).timeGauge();
            assertThat(age.value(TimeUnit.SECONDS)).as("age of the task due a minute ago").isBetween(59.0, 600.0);
        }

        Worker<Job> worker = worker(drover, jobs, 4);
        awaitMeters(() -> count(DroverMetrics.TASKS_COMPLETED, q) == n + m + 1 && count(DroverMetrics.TASKS_DEAD, q) == k,
                "completed " + (n + m + 1) + " and dead " + k);
        awaitMeters(() -> slots(worker, "busy") == 0 && slots(worker, "free") == 4, "the idle worker has 0 busy and 4 free slots");
        worker.close();
        assertThat(registry.find(DroverMetrics.WORKER_SLOTS).meters()).as("slot gauges of the stopped worker").isEmpty();

        int starts = n + 2 * m + k + 1;
        assertThat(count(DroverMetrics.TASKS_PUSHED, q)).as("pushed").isEqualTo(total);
        assertThat(count(DroverMetrics.TASKS_STARTED, q)).as("started").isEqualTo(starts);
        assertThat(count(DroverMetrics.TASKS_COMPLETED, q)).as("completed").isEqualTo(n + m + 1);
        assertThat(count(DroverMetrics.TASKS_RETRIED, q)).as("retried").isEqualTo(m);
        assertThat(count(DroverMetrics.TASKS_DEAD, q)).as("dead").isEqualTo(k);
        assertThat(count(DroverMetrics.LEASES_LOST, q)).as("leases lost").isZero();
        assertThat(count(DroverMetrics.TASKS_RELEASED, q)).as("released").isZero();
        assertThat(handlerRuns(q, "completed")).as("handler runs that completed").isEqualTo(n + m + 1);
        assertThat(handlerRuns(q, "retrying")).as("handler runs that failed to be retried").isEqualTo(m);
        assertThat(handlerRuns(q, "dead")).as("handler runs that killed their task").isEqualTo(k);
        Timer delay = registry.get(DroverMetrics.TASKS_START_DELAY).tag(DroverMetrics.TAG_QUEUE, q).timer();
        assertThat(delay.count()).as("start delays, one per start").isEqualTo(starts);
        assertThat(delay.max(TimeUnit.SECONDS)).as("the task due a minute ago waited at least that").isGreaterThanOrEqualTo(59.0);

        Collection<Timer> trips = registry.find(DroverMetrics.STORAGE_ROUND_TRIP).tag(DroverMetrics.TAG_QUEUE, q).timers();
        Set<String> operations = trips.stream().map(t -> t.getId().getTag(DroverMetrics.TAG_OPERATION)).collect(Collectors.toSet());
        assertThat(operations).as("storage round trips by operation").contains("claim").isSubsetOf("claim", "settle", "settle_and_claim");
        assertThat(operations).as("outcomes were written, alone or with a claim").containsAnyOf("settle", "settle_and_claim");

        // One refresh reads all three; an earlier one may have seen the last task still running.
        awaitMeters(() -> gauge(DroverMetrics.QUEUE_TASKS, q, "pending") == 0 && gauge(DroverMetrics.QUEUE_TASKS, q, "running") == 0
                && gauge(DroverMetrics.QUEUE_TASKS, q, "dead") == k, "gauges read 0 pending, 0 running, " + k + " dead");
        if (drover.capabilities().contains(dev.drover.api.Capability.OLDEST_DUE)) {
            assertThat(registry.get(DroverMetrics.QUEUE_OLDEST_AGE).tag(DroverMetrics.TAG_QUEUE, q).timeGauge().value(TimeUnit.SECONDS))
                    .as("age with no task due").isZero();
        }

        TaskId cancelled = jobs.push(new Job("ok", 99), TaskOptions.defaults().runAfter(Duration.ofHours(1)));
        jobs.cancel(cancelled);
        assertThat(registry.get(DroverMetrics.TASKS_CANCELLED).tag(DroverMetrics.TAG_QUEUE, q).tag(DroverMetrics.TAG_STATE, "pending")
                .counter().count()).as("cancelled while pending").isEqualTo(1);

        metrics.close();
        assertThat(registry.getMeters()).as("meters after unbinding").isEmpty();
        assertThat(gaugeThreads()).as("the queue gauges' thread after unbinding").isEmpty();
        jobs.push(new Job("ok", 100));
        assertThat(registry.getMeters()).as("meters after a push once unbound").isEmpty();
        metrics.close(); // idempotent
    }

    @Test
    void aLeaseTakenOverWhileTheHandlerRunsIsCountedLost() throws Exception {
        // The worker's heartbeats stop reaching storage (as in a network partition): its lease runs out there, another
        // claimer takes the task over and completes it, and the worker's own completion is refused by the fencing.
        Drover drover = open(new HeartbeatsLost(Backends.open(url(dir))));
        closeLater(DroverMetrics.bind(drover, registry, DroverMetricsOptions.defaults().refreshInterval(REFRESH)));
        TaskQueue<Job> jobs = drover.queue(Names.queue().value(), Job.class);
        String q = jobs.name().value();
        jobs.push(new Job("block", 1));
        Worker<Job> worker = closeLater(drover.worker(jobs, task -> {
            blocking.countDown();
            release.await();
        }).concurrency(1).leaseDuration(Duration.ofSeconds(1)).noTaskTimeout().start());
        assertThat(blocking.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the handler started").isTrue();
        awaitGauge(DroverMetrics.QUEUE_TASKS, q, "running", 1);
        assertThat(slots(worker, "busy")).as("busy slots while the handler runs").isEqualTo(1);

        Backend other = closeLater(Backends.open(url(dir)));
        ClaimedTask taken = Await.value(WAIT, () -> other.claim(jobs.name(), Names.worker("taker"), 1, Duration.ofMinutes(5))
                .stream().findFirst(), "another claimer takes the task over once its lease ran out");
        assertThat(other.settle(List.of(new Settlement.Complete(taken.lease(), null, List.of()))))
                .as("the taker completes it").containsExactly(taken.lease().token());
        release.countDown();

        awaitMeters(() -> count(DroverMetrics.LEASES_LOST, q) == 1, "one lease lost");
        assertThat(count(DroverMetrics.TASKS_STARTED, q)).as("started").isEqualTo(1);
        assertThat(count(DroverMetrics.TASKS_COMPLETED, q)).as("completions recorded by this worker").isZero();
        assertThat(handlerRuns(q, "completed")).as("the handler's run, decided completed though not recorded").isEqualTo(1);
        assertThat(worker.stats().leaseLost()).as("the worker's own count").isEqualTo(1);
        Await.until(WAIT, () -> slots(worker, "busy") == 0, "the slot is free again");
    }

    @Test
    void timersPublishPercentileHistogramsWhenAsked() throws Exception {
        Set<String> withHistograms = java.util.concurrent.ConcurrentHashMap.newKeySet();
        registry.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.distribution.DistributionStatisticConfig configure(Meter.Id id,
                    io.micrometer.core.instrument.distribution.DistributionStatisticConfig config) {
                if (Boolean.TRUE.equals(config.isPercentileHistogram())) withHistograms.add(id.getName());
                return config;
            }
        });
        Drover drover = open();
        closeLater(DroverMetrics.bind(drover, registry, DroverMetricsOptions.defaults().percentileHistograms(true).queueGauges(false)));
        TaskQueue<Job> jobs = drover.queue(Names.queue().value(), Job.class);
        String q = jobs.name().value();
        jobs.pushAll(List.of(new Job("ok", 1), new Job("ok", 2)));
        worker(drover, jobs, 2);
        Await.until(WAIT, () -> count(DroverMetrics.TASKS_COMPLETED, q) == 2, "2 completed");
        assertThat(withHistograms).as("timers configured with a percentile histogram")
                .contains(DroverMetrics.HANDLER_DURATION, DroverMetrics.TASKS_START_DELAY, DroverMetrics.STORAGE_ROUND_TRIP);
        assertThat(registry.find(DroverMetrics.QUEUE_TASKS).meters()).as("queue gauges, switched off").isEmpty();
        assertThat(gaugeThreads()).as("no gauges' thread without queue gauges").isEmpty();
    }

    /** The worker's heartbeats never reach storage; it is told its leases are held. Everything else is the real backend. */
    static final class HeartbeatsLost extends ForwardingBackend {
        HeartbeatsLost(Backend delegate) {
            super(delegate);
        }

        @Override
        public Set<LeaseToken> heartbeat(Collection<Lease> leases, Duration extension) {
            return leases.stream().map(Lease::token).collect(Collectors.toSet());
        }
    }

    // ---- reading the registry ----

    double count(String counter, String queue) {
        Counter c = registry.find(counter).tag(DroverMetrics.TAG_QUEUE, queue).counter();
        return c == null ? 0 : c.count();
    }

    long handlerRuns(String queue, String outcome) {
        Timer t = registry.find(DroverMetrics.HANDLER_DURATION).tag(DroverMetrics.TAG_QUEUE, queue).tag(DroverMetrics.TAG_OUTCOME, outcome).timer();
        return t == null ? 0 : t.count();
    }

    double gauge(String name, String queue, String state) {
        Gauge g = registry.find(name).tag(DroverMetrics.TAG_QUEUE, queue).tag(DroverMetrics.TAG_STATE, state).gauge();
        return g == null ? Double.NaN : g.value();
    }

    void awaitGauge(String name, String queue, String state, double expected) {
        awaitMeters(() -> gauge(name, queue, state) == expected, name + "{queue=" + queue + ", state=" + state + "} reads " + expected);
    }

    /** Awaits {@code condition}; a timeout's failure lists every meter as it is then. */
    void awaitMeters(java.util.function.BooleanSupplier condition, String what) {
        try {
            Await.until(WAIT, condition, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; meters now:" + meters(), e);
        }
    }

    double slots(Worker<?> worker, String state) {
        Gauge g = registry.find(DroverMetrics.WORKER_SLOTS).tag(DroverMetrics.TAG_WORKER, worker.id().value())
                .tag(DroverMetrics.TAG_STATE, state).gauge();
        return g == null ? Double.NaN : g.value();
    }

    String meters() {
        StringBuilder sb = new StringBuilder();
        for (Meter meter : registry.getMeters()) {
            sb.append("\n  ").append(meter.getId()).append(' ');
            meter.measure().forEach(ms -> sb.append(ms.getStatistic()).append('=').append(ms.getValue()).append(' '));
        }
        return sb.toString();
    }

    static List<String> gaugeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter("drover-metrics-queue-gauges"::equals).toList();
    }

    static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(s -> !s.isBlank());
    }

}

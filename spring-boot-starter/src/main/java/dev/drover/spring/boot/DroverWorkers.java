package dev.drover.spring.boot;

import dev.drover.api.Drover;
import dev.drover.api.Schedule;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.api.worker.Scheduler;
import dev.drover.api.worker.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Runs the application's handlers: one worker per {@link DroverHandler} binding, started when the application context
 * starts (after every bean is ready, and after the web server) and stopped gracefully before it closes — running
 * handlers get their queue's drain timeout to finish, then their tasks are released for another worker. Also saves the
 * configured schedules and runs a scheduler while there are any.
 */
public final class DroverWorkers implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(DroverWorkers.class);
    /** Late among the context's lifecycles: starts after the web server, stops before it (and before the DataSource). */
    static final int PHASE = Integer.MAX_VALUE - 2048;
    /** Reads the JSON payloads of configured schedules. */
    private static final tools.jackson.databind.json.JsonMapper SCHEDULE_PAYLOADS = tools.jackson.databind.json.JsonMapper.builder().build();

    private final Drover drover;
    private final DroverQueues queues;
    private final DroverProperties properties;
    private final Supplier<List<HandlerBinding>> scan;
    private volatile List<HandlerBinding> bindings = List.of();
    private final List<Worker<?>> workers = new CopyOnWriteArrayList<>();
    private volatile Scheduler scheduler;
    private volatile boolean running;

    DroverWorkers(Drover drover, DroverQueues queues, DroverProperties properties, Supplier<List<HandlerBinding>> scan) {
        this.drover = drover;
        this.queues = queues;
        this.properties = properties;
        this.scan = scan;
    }

    /** The workers running now, one per bound handler. */
    public List<Worker<?>> workers() {
        return List.copyOf(workers);
    }

    /** How many handlers are bound to queues (whether or not their workers run). */
    public int handlers() {
        return bindings.size();
    }

    @Override
    public void start() {
        bindings = List.copyOf(scan.get());
        saveSchedules();
        if (properties.isWorkersEnabled()) {
            for (HandlerBinding binding : bindings) workers.add(start(binding));
        }
        if (!properties.getSchedules().isEmpty()) scheduler = drover.scheduler().start();
        running = true;
    }

    private Worker<?> start(HandlerBinding binding) {
        @SuppressWarnings("unchecked")
        TaskQueue<Object> queue = (TaskQueue<Object>) queues.get(binding.queue(), binding.payloadType());
        Worker.Builder<Object> builder = drover.worker(queue, binding.handler());
        DroverProperties.Worker settings = properties.getWorkers().get(binding.queue());
        if (settings != null) configure(builder, settings, binding.queue());
        Worker<Object> worker = builder.start();
        LOG.info("drover: {} runs queue {} (worker {})", binding.source(), binding.queue(), worker.id());
        return worker;
    }

    static void configure(Worker.Builder<?> builder, DroverProperties.Worker s, String queue) {
        if (s.getConcurrency() != null) builder.concurrency(s.getConcurrency());
        if (s.getLease() != null) builder.leaseDuration(s.getLease());
        if (s.getTaskTimeout() != null) builder.taskTimeout(s.getTaskTimeout());
        if (s.getDrainTimeout() != null) builder.drainTimeout(s.getDrainTimeout());
        if (s.getMaxBatch() != null) builder.maxBatch(s.getMaxBatch());
        if (s.getPollMin() != null || s.getPollMax() != null) {
            Duration min = s.getPollMin() != null ? s.getPollMin() : Duration.ofMillis(50);
            Duration max = s.getPollMax() != null ? s.getPollMax() : (min.compareTo(Duration.ofSeconds(2)) > 0 ? min : Duration.ofSeconds(2));
            builder.pollInterval(min, max);
        }
        DroverProperties.Retry r = s.getRetry();
        if (r != null && r.getDelay() != null) {
            try {
                builder.retryPolicy(r.getBackoff() == DroverProperties.Retry.Backoff.FIXED ? RetryPolicy.fixed(r.getDelay())
                        : RetryPolicy.exponential(r.getDelay(), r.getMaxDelay(), r.getJitter()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("drover.workers." + queue + ".retry: " + e.getMessage(), e);
            }
        }
    }

    private void saveSchedules() {
        for (Map.Entry<String, DroverProperties.ScheduleEntry> e : properties.getSchedules().entrySet()) {
            DroverProperties.ScheduleEntry s = e.getValue();
            String where = "drover.schedules." + e.getKey();
            if (s.getQueue() == null || s.getCron() == null) {
                throw new IllegalArgumentException(where + " needs a queue and a cron expression (" + where + ".queue, " + where + ".cron)");
            }
            Schedule schedule;
            try {
                schedule = Schedule.cron(s.getCron(), ZoneId.of(s.getZone()));
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(where + ".cron / .zone: " + ex.getMessage(), ex);
            }
            JsonNode payload;
            try {
                payload = SCHEDULE_PAYLOADS.readTree(s.getPayload());
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(where + ".payload is not JSON: " + ex.getMessage(), ex);
            }
            drover.schedule(e.getKey(), schedule, drover.queue(s.getQueue(), JsonNode.class), payload);
            LOG.info("drover: schedule {} pushes to queue {} at {} ({})", e.getKey(), s.getQueue(), s.getCron(), s.getZone());
        }
    }

    @Override
    public void stop() {
        stopAll();
    }

    @Override
    public void stop(Runnable callback) {
        Thread.ofVirtual().name("drover-workers-stop").start(() -> {
            try {
                stopAll();
            } finally {
                callback.run();
            }
        });
    }

    /** Stops every worker at once, each draining for its own timeout; returns when all have stopped. */
    private void stopAll() {
        Scheduler s = scheduler;
        if (s != null) s.close();
        List<Thread> stopping = new ArrayList<>();
        for (Worker<?> worker : workers) {
            stopping.add(Thread.ofVirtual().name("drover-stop-" + worker.queue()).start(() -> {
                if (!worker.shutdown(worker.config().drainTimeout())) {
                    LOG.warn("drover: worker {} of queue {} did not drain in {}; its running tasks were released", worker.id(), worker.queue(),
                            worker.config().drainTimeout());
                }
            }));
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.clear();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}

package dev.drover.micrometer;

import dev.drover.api.worker.Worker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each running worker's busy and free slots ({@value DroverMetrics#WORKER_SLOTS}, tagged by queue, worker and state),
 * read from the worker on each scrape (its own counters, no storage). Registered when a worker starts, removed when it
 * stops.
 */
final class WorkerGauges {
    private final MeterSet meters;
    private final Map<Worker<?>, List<Meter>> byWorker = new ConcurrentHashMap<>();

    WorkerGauges(MeterSet meters) {
        this.meters = meters;
    }

    void started(Worker<?> worker) {
        byWorker.computeIfAbsent(worker, w -> {
            Tags tags = Tags.of(DroverMetrics.TAG_QUEUE, w.queue().value(), DroverMetrics.TAG_WORKER, w.id().value());
            int slots = w.config().concurrency();
            Gauge busy = Gauge.builder(DroverMetrics.WORKER_SLOTS, w, x -> x.stats().running())
                    .tags(tags).tag(DroverMetrics.TAG_STATE, "busy")
                    .description("Slots of the worker running a task or writing its outcome")
                    .register(meters.registry());
            Gauge free = Gauge.builder(DroverMetrics.WORKER_SLOTS, w, x -> Math.max(0, slots - x.stats().running()))
                    .tags(tags).tag(DroverMetrics.TAG_STATE, "free")
                    .description("Slots of the worker free to claim a task")
                    .register(meters.registry());
            return List.of(meters.add(busy), meters.add(free));
        });
    }

    void stopped(Worker<?> worker) {
        List<Meter> gone = byWorker.remove(worker);
        if (gone != null) gone.forEach(meters::remove);
    }
}

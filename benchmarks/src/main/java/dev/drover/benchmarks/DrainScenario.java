package dev.drover.benchmarks;

import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end no-op throughput: N tasks pushed first (not timed), then one worker whose handler only counts; timed
 * from the worker's start until the handler has run N times.
 */
public final class DrainScenario implements Scenario {
    static final int PREPARE_BATCH = 1000;

    @Override
    public String name() {
        return "drain";
    }

    @Override
    public String description(Options o) {
        return "drain: " + o.tasks() + " tasks pushed first (untimed), then one worker (concurrency " + o.concurrency()
                + ", maxBatch " + o.maxBatch() + ") with a no-op handler; timed from worker start until the handler has run "
                + o.tasks() + " times (outcome writes still in flight then are flushed by the shutdown, reported separately)";
    }

    @Override
    public Result run(RunContext ctx) throws Exception {
        Options o = ctx.options();
        TaskQueue<Job> queue = ctx.drover().queue(ctx.newQueueName(), Job.class);
        Progress progress = ctx.progress();
        int n = o.tasks();

        long pushStart = System.nanoTime();
        List<Job> batch = new ArrayList<>(PREPARE_BATCH);
        for (int pushed = 0; pushed < n; ) {
            int size = Math.min(PREPARE_BATCH, n - pushed);
            batch.clear();
            long now = System.nanoTime();
            for (int i = 0; i < size; i++) batch.add(new Job(pushed + i, now));
            queue.pushAll(batch);
            pushed += size;
            int done = pushed;
            progress.tick(() -> String.format("preparing: %,d / %,d pushed", done, n));
        }
        progress.say(String.format("prepared %,d tasks in %.1f s; starting the worker", n, (System.nanoTime() - pushStart) / 1e9));

        AtomicLong handled = new AtomicLong();
        long start = System.nanoTime();
        Worker<Job> worker = ctx.drover().worker(queue, task -> handled.incrementAndGet())
                .concurrency(o.concurrency())
                .maxBatch(o.maxBatch())
                .start();
        double seconds;
        try {
            seconds = CounterWait.until(handled::get, n, start, 10,
                    count -> progress.tick(() -> String.format("%,d / %,d handled (%,.0f tasks/s so far), %,d outcomes recorded",
                            count, n, count / ((System.nanoTime() - start) / 1e9), worker.stats().completed())),
                    count -> "drain stalled: the handler ran " + count + " of " + n + " times; worker stats " + worker.stats());
        } finally {
            long stopStart = System.nanoTime();
            boolean clean = worker.shutdown(Duration.ofSeconds(30));
            double stopSeconds = (System.nanoTime() - stopStart) / 1e9;
            WorkerStats stats = worker.stats();
            progress.say(String.format("worker stopped in %.2f s (%s); stats %s", stopSeconds,
                    clean ? "drained" : "released unfinished tasks", stats));
        }
        WorkerStats stats = worker.stats();
        StringBuilder note = new StringBuilder("queue " + queue.name() + "; at stop " + stats.completed() + " DONE recorded");
        if (handled.get() != n) note.append(", handler ran ").append(handled.get()).append(" times (at-least-once redelivery)");
        if (stats.storageFailures() > 0) note.append(", ").append(stats.storageFailures()).append(" storage failures");
        if (stats.retried() + stats.dead() + stats.leaseLost() > 0) {
            note.append(String.format(", retried %d, dead %d, leases lost %d", stats.retried(), stats.dead(), stats.leaseLost()));
        }
        return Result.of(name(), ctx.run(), n, seconds, null, note.toString());
    }
}

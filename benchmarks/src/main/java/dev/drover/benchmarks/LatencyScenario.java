package dev.drover.benchmarks;

import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerStats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Enqueue-to-start latency with wake-ups: one running worker, single tasks pushed at a fixed rate; each handler
 * records {@code System.nanoTime()} minus the time taken just before its push call began, so the push's own commit
 * is part of the latency. Its memory is two arrays of 8 bytes per task (16 MiB for a million), so it fits the
 * harness's 256 MiB heap at any sensible size.
 */
public final class LatencyScenario implements Scenario {
    @Override
    public String name() {
        return "latency";
    }

    @Override
    public String description(Options o, int tasks) {
        return "latency: one worker (concurrency " + o.concurrency() + ", maxBatch " + o.maxBatch() + "), then single pushes at "
                + o.rate() + "/s for " + String.format("%.1f", tasks / (double) o.rate()) + " s (" + tasks + " tasks) on one thread; latency is from the start of"
                + " each push call (its own commit included) to its handler starting; tasks/s is over first push to last start";
    }

    @Override
    public Measurement run(RunContext ctx) throws Exception {
        Options o = ctx.options();
        TaskQueue<Job> queue = ctx.drover().queue(ctx.newQueueName(), Job.class);
        Progress progress = ctx.progress();
        int n = ctx.tasks();
        AtomicLongArray latencies = new AtomicLongArray(n);
        AtomicLong started = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();

        Worker<Job> worker = ctx.drover().worker(queue, task -> {
            long latency = Math.max(1, System.nanoTime() - task.payload().pushedNanos());
            int seq = (int) task.payload().seq();
            if (latencies.compareAndSet(seq, 0, latency)) {
                started.incrementAndGet();
            } else {
                duplicates.incrementAndGet();
            }
        }).concurrency(o.concurrency()).maxBatch(o.maxBatch()).start();

        long period = 1_000_000_000L / o.rate();
        long maxLag = 0;
        int maxLagAt = 0;
        long start;
        double seconds;
        try {
            start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + i * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                long now = System.nanoTime();
                if (now - due > maxLag) {
                    maxLag = now - due;
                    maxLagAt = i;
                }
                queue.push(new Job(i, now));
                int pushed = i + 1;
                progress.tick(() -> String.format("%,d / %,d pushed, %,d started", pushed, n, started.get()));
            }
            seconds = CounterWait.until(started::get, n, start, 1,
                    count -> progress.tick(() -> String.format("all %,d pushed, %,d started", n, count)),
                    count -> "latency run stalled: " + count + " of " + n + " tasks started; worker stats " + worker.stats());
        } finally {
            worker.shutdown(Duration.ofSeconds(30));
        }
        long[] samples = new long[n];
        int slowest = 0;
        for (int i = 0; i < n; i++) {
            samples[i] = latencies.get(i);
            if (samples[i] > samples[slowest]) slowest = i;
        }
        Latency latency = Latency.ofNanos(samples);
        WorkerStats stats = worker.stats();
        StringBuilder note = new StringBuilder(String.format(
                "queue %s; latency includes the push's own commit; slowest start: task #%d (%.1f ms); max lag behind the push schedule %.1f ms at push #%d",
                queue.name(), slowest, latencies.get(slowest) / 1e6, maxLag / 1e6, maxLagAt));
        if (duplicates.get() > 0) note.append(", ").append(duplicates.get()).append(" duplicate starts");
        if (stats.storageFailures() > 0) note.append(", ").append(stats.storageFailures()).append(" storage failures");
        return Measurement.of(n, seconds, latency, note.toString());
    }
}

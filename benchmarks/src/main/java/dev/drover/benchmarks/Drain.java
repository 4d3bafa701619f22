package dev.drover.benchmarks;

import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/** What the drain-style scenarios share: the untimed push of their tasks, and the timed wait for a worker. */
final class Drain {
    private Drain() {
    }

    /** Pushes {@code n} payloads through {@code pushAll} in batches of {@code batchSize}, with progress lines; not timed. */
    static <T> void prepare(RunContext ctx, TaskQueue<T> queue, int n, int batchSize, LongFunction<T> payload) {
        Progress progress = ctx.progress();
        long start = System.nanoTime();
        List<T> batch = new ArrayList<>(Math.min(batchSize, n));
        for (int pushed = 0; pushed < n; ) {
            int size = Math.min(batchSize, n - pushed);
            batch.clear();
            for (int i = 0; i < size; i++) batch.add(payload.apply(pushed + i));
            queue.pushAll(batch);
            pushed += size;
            int done = pushed;
            progress.tick(() -> String.format("preparing: %,d / %,d pushed", done, n));
        }
        progress.say(String.format("prepared %,d tasks in %.1f s; starting the worker", n, (System.nanoTime() - start) / 1e9));
    }

    /**
     * Waits until {@code counter} reaches {@code n} (failing when it stalls), then shuts the worker down, saying how
     * that went.
     *
     * @param what   what the counter counts, for progress lines ("handled")
     * @param onTick called with the count on every poll besides the progress line (may be null)
     * @return seconds from {@code startNanos} until the counter reached {@code n}
     */
    static double await(RunContext ctx, Worker<?> worker, LongSupplier counter, long n, long startNanos, String what,
                        LongConsumer onTick) throws Exception {
        Progress progress = ctx.progress();
        try {
            return CounterWait.until(counter, n, startNanos, 10,
                    count -> {
                        if (onTick != null) onTick.accept(count);
                        progress.tick(() -> String.format("%,d / %,d %s (%,.0f tasks/s so far), %,d outcomes recorded", count, n, what,
                                count / ((System.nanoTime() - startNanos) / 1e9), worker.stats().completed()));
                    },
                    count -> ctx.scenario() + " stalled: " + count + " of " + n + " " + what + "; worker stats " + worker.stats());
        } finally {
            long stopStart = System.nanoTime();
            boolean clean = worker.shutdown(Duration.ofSeconds(30));
            progress.say(String.format("worker stopped in %.2f s (%s); stats %s", (System.nanoTime() - stopStart) / 1e9,
                    clean ? "drained" : "released unfinished tasks", worker.stats()));
        }
    }

    /** The usual note: the queue, DONE recorded by the stop, and anything unusual in the worker's counters. */
    static String note(TaskQueue<?> queue, WorkerStats stats, long handled, long n) {
        StringBuilder note = new StringBuilder("queue " + queue.name() + "; at stop " + stats.completed() + " DONE recorded");
        if (handled != n) note.append(", handler ran ").append(handled).append(" times (at-least-once redelivery)");
        if (stats.storageFailures() > 0) note.append(", ").append(stats.storageFailures()).append(" storage failures");
        if (stats.retried() + stats.dead() + stats.leaseLost() > 0) {
            note.append(String.format(", retried %d, dead %d, leases lost %d", stats.retried(), stats.dead(), stats.leaseLost()));
        }
        return note.toString();
    }
}

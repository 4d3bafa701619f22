package dev.drover.benchmarks;

import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A million pending tasks in a small heap (the memory target: 1M pending with {@code -Xmx256m}, which the
 * Maven run uses): N tasks (1,000,000) pushed in batches (timed separately, reported in the note), then one no-op
 * worker drains them; tasks/s is the drain's, timed from the worker's start until the handler has run N times. Heap
 * after a full GC is sampled at the drain's start (before the worker starts), its middle (when half have run: that
 * one {@link System#gc()} is inside the timed part) and its end (after the worker stopped); with the run's peak heap
 * they show the heap stays flat however many tasks are pending. An OutOfMemoryError FAILS the run with that message.
 */
public final class MillionScenario implements Scenario {
    @Override
    public String name() {
        return "million";
    }

    @Override
    public String description(Options o, int tasks) {
        return "million: " + tasks + " tasks pushed (timed apart, in the note), then drained by one no-op worker (concurrency "
                + o.concurrency() + ", maxBatch " + o.maxBatch() + ") timed from worker start until the handler has run " + tasks
                + " times; heap after GC sampled at drain start, middle and end; max heap " + Math.round(HeapSampler.maxMiB()) + " MiB";
    }

    @Override
    public Measurement run(RunContext ctx) throws Exception {
        try {
            return measure(ctx);
        } catch (OutOfMemoryError e) {
            throw new RunFailedException("OutOfMemoryError: " + e.getMessage() + " (max heap " + Math.round(HeapSampler.maxMiB())
                    + " MiB) with " + ctx.tasks() + " tasks");
        }
    }

    private Measurement measure(RunContext ctx) throws Exception {
        Options o = ctx.options();
        TaskQueue<Job> queue = ctx.drover().queue(ctx.newQueueName(), Job.class);
        int n = ctx.tasks();
        long pushStart = System.nanoTime();
        Drain.prepare(ctx, queue, n, o.batch(), seq -> new Job(seq, System.nanoTime()));
        double pushSeconds = (System.nanoTime() - pushStart) / 1e9;

        List<Double> heap = new ArrayList<>(3);
        heap.add(HeapSampler.afterGcMiB());
        AtomicLong handled = new AtomicLong();
        long start = System.nanoTime();
        Worker<Job> worker = ctx.drover().worker(queue, task -> handled.incrementAndGet())
                .concurrency(o.concurrency())
                .maxBatch(o.maxBatch())
                .start();
        double seconds = Drain.await(ctx, worker, handled::get, n, start, "handled", count -> {
            if (heap.size() == 1 && count >= n / 2) heap.add(HeapSampler.afterGcMiB());
        });
        if (heap.size() == 1) heap.add(HeapSampler.afterGcMiB()); // the drain was over before the first poll past the middle
        heap.add(HeapSampler.afterGcMiB());
        return new Measurement(n, seconds, null, String.format(
                "pushed in %.1f s (%,.0f tasks/s); heap after GC at drain start %.1f, middle %.1f, end %.1f MiB (max heap %d MiB); %s",
                pushSeconds, n / pushSeconds, heap.get(0), heap.get(1), heap.get(2), Math.round(HeapSampler.maxMiB()),
                Drain.note(queue, worker.stats(), handled.get(), n)), List.copyOf(heap));
    }
}

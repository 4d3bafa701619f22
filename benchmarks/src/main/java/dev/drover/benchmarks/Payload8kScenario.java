package dev.drover.benchmarks;

import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The drain with 8 KiB payloads: N tasks of about 8.2 KiB of JSON pushed first (not timed), then one worker whose
 * handler checks the payload's length and counts; timed from the worker's start until the handler has run N times.
 * Shows what moving and decoding bigger rows costs compared with the drain's 40-byte ones.
 */
public final class Payload8kScenario implements Scenario {
    /** 100 tasks per pushAll: about 0.8 MiB of payloads per batch. */
    static final int PREPARE_BATCH = 100;

    @Override
    public String name() {
        return "payload8k";
    }

    @Override
    public String description(Options o, int tasks) {
        return "payload8k: " + tasks + " tasks of ~8.2 KiB of JSON (an 8 KiB string field) pushed first (untimed), then one worker"
                + " (concurrency " + o.concurrency() + ", maxBatch " + o.maxBatch() + ") whose handler only checks the payload; timed from"
                + " worker start until the handler has run " + tasks + " times";
    }

    @Override
    public Measurement run(RunContext ctx) throws Exception {
        Options o = ctx.options();
        TaskQueue<PaddedJob> queue = ctx.drover().queue(ctx.newQueueName(), PaddedJob.class);
        int n = ctx.tasks();
        Drain.prepare(ctx, queue, n, PREPARE_BATCH, PaddedJob::of);

        AtomicLong handled = new AtomicLong();
        AtomicLong damaged = new AtomicLong();
        long start = System.nanoTime();
        Worker<PaddedJob> worker = ctx.drover().worker(queue, task -> {
            if (task.payload().padding().length() != PaddedJob.PADDING_BYTES) damaged.incrementAndGet();
            handled.incrementAndGet();
        }).concurrency(o.concurrency()).maxBatch(o.maxBatch()).start();
        double seconds = Drain.await(ctx, worker, handled::get, n, start, "handled", null);
        if (damaged.get() > 0) {
            throw new RunFailedException(damaged.get() + " of " + n + " payloads came back with a padding other than "
                    + PaddedJob.PADDING_BYTES + " characters");
        }
        return Measurement.of(n, seconds, null, String.format("%s; %.1f MiB of payload moved",
                Drain.note(queue, worker.stats(), handled.get(), n), n * (PaddedJob.PADDING_BYTES + 50) / (1024.0 * 1024.0)));
    }
}

package dev.drover.benchmarks;

import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;
import dev.drover.benchmarks.peers.Peer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end no-op throughput: N tasks pushed first (not timed), then one worker whose handler only counts; timed
 * from the worker's start until the handler has run N times. A peer does the same through {@link Peer#push} and
 * {@link Peer#startWorkers}, timed from {@code startWorkers} until its {@code ran} callback has been called N times.
 */
public final class DrainScenario implements Scenario {
    static final int PREPARE_BATCH = 1000;

    @Override
    public String name() {
        return "drain";
    }

    @Override
    public String description(Options o, int tasks) {
        return "drain: " + tasks + " tasks pushed first (untimed), then one worker (concurrency " + o.concurrency()
                + ", maxBatch " + o.maxBatch() + "; peers: " + o.concurrency() + " threads) with a no-op handler; timed from worker start"
                + " until the handler has run " + tasks + " times (outcome writes still in flight then are flushed by the shutdown)";
    }

    @Override
    public Measurement run(RunContext ctx) throws Exception {
        Options o = ctx.options();
        TaskQueue<Job> queue = ctx.drover().queue(ctx.newQueueName(), Job.class);
        int n = ctx.tasks();
        Drain.prepare(ctx, queue, n, PREPARE_BATCH, seq -> new Job(seq, System.nanoTime()));

        AtomicLong handled = new AtomicLong();
        long start = System.nanoTime();
        Worker<Job> worker = ctx.drover().worker(queue, task -> handled.incrementAndGet())
                .concurrency(o.concurrency())
                .maxBatch(o.maxBatch())
                .start();
        double seconds = Drain.await(ctx, worker, handled::get, n, start, "handled", null);
        return Measurement.of(n, seconds, null, Drain.note(queue, worker.stats(), handled.get(), n));
    }

    @Override
    public boolean peers() {
        return true;
    }

    @Override
    public Measurement runPeer(RunContext ctx) throws Exception {
        Peer peer = ctx.peer();
        Progress progress = ctx.progress();
        int n = ctx.tasks();
        long pushStart = System.nanoTime();
        peer.push(n, stored -> progress.tick(() -> String.format("preparing: %,d / %,d stored", stored, n)));
        progress.say(String.format("prepared %,d jobs in %.1f s; starting the workers", n, (System.nanoTime() - pushStart) / 1e9));

        AtomicLong ran = new AtomicLong();
        long start = System.nanoTime();
        peer.startWorkers(ctx.options().concurrency(), job -> ran.incrementAndGet());
        double seconds = CounterWait.until(ran::get, n, start, 10,
                count -> progress.tick(() -> String.format("%,d / %,d ran (%,.0f jobs/s so far)", count, n,
                        count / ((System.nanoTime() - start) / 1e9))),
                count -> "drain stalled: " + peer.name() + " ran " + count + " of " + n + " jobs");
        return Measurement.of(n, seconds, null, peer.name() + ": " + peer.configuration()
                + (ran.get() != n ? "; ran " + ran.get() + " times" : "") + "; workers stopped when the run closed it");
    }
}

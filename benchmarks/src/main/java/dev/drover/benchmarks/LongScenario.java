package dev.drover.benchmarks;

import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerStats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tasks that outlive their lease: the worker leases for {@code --lease-ms} (2 s), heartbeats every third of it, and
 * each handler sleeps 2.5 leases (5 s), so every task needs two heartbeats to keep its lease. N tasks (256) are pushed
 * first (not timed); the timing runs from the worker's start until every handler has returned. The run FAILS when a
 * task ran more than once or never, when a lease was lost, or when the stop has not recorded every task DONE: any of
 * those means heartbeats did not keep a running task's lease.
 */
public final class LongScenario implements Scenario {
    /** The handler sleeps this many leases. */
    static final double SLEEP_LEASES = 2.5;

    @Override
    public String name() {
        return "long";
    }

    @Override
    public String description(Options o, int tasks) {
        Duration lease = Duration.ofMillis(o.leaseMillis());
        return "long: " + tasks + " tasks pushed first (untimed), then one worker (concurrency " + o.concurrency() + ", lease "
                + lease.toMillis() + " ms, heartbeat every " + lease.dividedBy(3).toMillis() + " ms) whose handler sleeps "
                + sleep(o).toMillis() + " ms; timed from worker start until every handler returned; fails unless each task ran"
                + " exactly once, no lease was lost and all are DONE";
    }

    private static Duration sleep(Options o) {
        return Duration.ofMillis(Math.round(o.leaseMillis() * SLEEP_LEASES));
    }

    @Override
    public Measurement run(RunContext ctx) throws Exception {
        Options o = ctx.options();
        TaskQueue<Job> queue = ctx.drover().queue(ctx.newQueueName(), Job.class);
        int n = ctx.tasks();
        Duration lease = Duration.ofMillis(o.leaseMillis());
        Duration sleep = sleep(o);
        Drain.prepare(ctx, queue, n, DrainScenario.PREPARE_BATCH, seq -> new Job(seq, System.nanoTime()));

        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        AtomicLong finished = new AtomicLong();
        long start = System.nanoTime();
        Worker<Job> worker = ctx.drover().worker(queue, task -> {
                    runs.incrementAndGet((int) task.payload().seq());
                    Thread.sleep(sleep);
                    finished.incrementAndGet();
                })
                .concurrency(o.concurrency())
                .maxBatch(o.maxBatch())
                .leaseDuration(lease)
                .heartbeatInterval(lease.dividedBy(3))
                .start();
        double seconds = Drain.await(ctx, worker, finished::get, n, start, "finished", null);
        WorkerStats stats = worker.stats();

        int twice = 0, never = 0, firstTwice = -1;
        for (int i = 0; i < n; i++) {
            int r = runs.get(i);
            if (r == 0) never++;
            if (r > 1 && twice++ == 0) firstTwice = i;
        }
        double ideal = o.concurrency() / (sleep.toMillis() / 1000.0);
        String measured = String.format("%,.1f tasks/s (%,.1f at best with concurrency %d and %d ms per task)", n / seconds, ideal,
                o.concurrency(), sleep.toMillis());
        StringBuilder broken = new StringBuilder();
        if (twice > 0) broken.append(twice).append(" tasks ran more than once (first: #").append(firstTwice).append("); ");
        if (never > 0) broken.append(never).append(" tasks never ran; ");
        if (stats.leaseLost() > 0) broken.append(stats.leaseLost()).append(" leases lost; ");
        if (stats.completed() != n) broken.append("the stop recorded ").append(stats.completed()).append(" of ").append(n).append(" DONE; ");
        if (!broken.isEmpty()) {
            throw new RunFailedException("heartbeats did not keep the leases: " + broken + "measured " + measured + "; worker stats " + stats);
        }
        return Measurement.of(n, seconds, null, "every task ran exactly once, no lease lost, " + n + " DONE; " + measured
                + "; queue " + queue.name());
    }
}

package dev.drover.benchmarks;

import dev.drover.api.Capability;
import dev.drover.api.RetryAfterException;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerStats;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A drain with failures: N tasks pushed first (not timed); the 30% whose {@code seq % 10 < 3} throw on their first
 * attempt, asking to be retried after 0 to 10 ms ({@link RetryAfterException}), and succeed on the second. Timed from
 * the worker's start until it has recorded N tasks DONE (retries included). The run FAILS unless every task
 * succeeded exactly once, every planned failure happened exactly once, none went DEAD, and the queue counts N DONE.
 */
public final class RetriesScenario implements Scenario {
    @Override
    public String name() {
        return "retries";
    }

    @Override
    public String description(Options o, int tasks) {
        return "retries: " + tasks + " tasks pushed first (untimed); 30% (seq % 10 < 3) throw on their first attempt and are retried"
                + " after 0-10 ms; one worker (concurrency " + o.concurrency() + ", maxBatch " + o.maxBatch() + "); timed from worker start"
                + " until it recorded " + tasks + " DONE; fails unless each task is DONE exactly once";
    }

    static boolean failsOnce(long seq) {
        return seq % 10 < 3;
    }

    /** The planned failure: no stack trace (it would only fill the stored error), a delay from the task's seq. */
    private static final class PlannedFailure extends RetryAfterException {
        PlannedFailure(long seq) {
            super(Duration.ofMillis(seq % 11), "planned failure of task #" + seq + " on its first attempt");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    @Override
    public Measurement run(RunContext ctx) throws Exception {
        Options o = ctx.options();
        TaskQueue<Job> queue = ctx.drover().queue(ctx.newQueueName(), Job.class);
        int n = ctx.tasks();
        Drain.prepare(ctx, queue, n, DrainScenario.PREPARE_BATCH, seq -> new Job(seq, System.nanoTime()));

        AtomicIntegerArray successes = new AtomicIntegerArray(n);
        AtomicIntegerArray failures = new AtomicIntegerArray(n);
        AtomicLong handled = new AtomicLong();
        long start = System.nanoTime();
        Worker<Job> worker = ctx.drover().worker(queue, task -> {
                    handled.incrementAndGet();
                    int seq = (int) task.payload().seq();
                    if (task.attempt() == 1 && failsOnce(seq)) {
                        failures.incrementAndGet(seq);
                        throw new PlannedFailure(seq);
                    }
                    successes.incrementAndGet(seq);
                })
                .concurrency(o.concurrency())
                .maxBatch(o.maxBatch())
                .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(5))) // not used: each failure names its delay
                .start();
        double seconds = Drain.await(ctx, worker, () -> worker.stats().completed(), n, start, "DONE", null);
        WorkerStats stats = worker.stats();

        long planned = 0;
        int wrongSuccess = 0, wrongFailure = 0, first = -1;
        for (int i = 0; i < n; i++) {
            boolean fails = failsOnce(i);
            if (fails) planned++;
            boolean bad = false;
            if (successes.get(i) != 1) {
                wrongSuccess++;
                bad = true;
            }
            if (failures.get(i) != (fails ? 1 : 0)) {
                wrongFailure++;
                bad = true;
            }
            if (bad && first < 0) first = i;
        }
        StringBuilder broken = new StringBuilder();
        if (wrongSuccess > 0) broken.append(wrongSuccess).append(" tasks did not succeed exactly once; ");
        if (wrongFailure > 0) broken.append(wrongFailure).append(" tasks did not fail exactly as planned; ");
        if (first >= 0) broken.append("first: #").append(first).append(" (succeeded ").append(successes.get(first))
                .append(", failed ").append(failures.get(first)).append("); ");
        if (stats.dead() > 0) broken.append(stats.dead()).append(" went DEAD; ");
        if (stats.retried() != planned) broken.append(stats.retried()).append(" retries recorded, ").append(planned).append(" planned; ");
        String counted = "";
        if (ctx.drover().capabilities().contains(Capability.INSPECTION)) {
            Map<TaskState, Long> counts = queue.counts();
            long done = counts.getOrDefault(TaskState.DONE, 0L);
            if (done != n) broken.append("the queue counts ").append(counts).append(", not ").append(n).append(" DONE; ");
            counted = ", queue counts " + n + " DONE";
        }
        if (!broken.isEmpty()) throw new RunFailedException(broken + "worker stats " + stats);
        return Measurement.of(n, seconds, null, String.format("each task DONE exactly once%s; %,d planned failures retried; "
                + "handler ran %,d times; queue %s", counted, planned, handled.get(), queue.name()));
    }
}

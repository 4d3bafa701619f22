package dev.drover.benchmarks;

import dev.drover.api.Capability;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared-storage path as processes are added: N tasks pushed first (not timed) into a fresh queue, then P worker
 * processes ({@link ProcessWorkerMain}, each a JVM of its own with {@code -Xmx256m}) open the target's URL and each
 * runs one full worker (the drain's concurrency and maxBatch) with a no-op handler. Every child says when it is
 * ready; then all are told to start at once, and the timing runs from that signal until the harness's own Drover
 * counts N tasks DONE in the queue (polled every {@value #POLL_MILLIS} ms through the inspection API). The run FAILS
 * when a child exits early or never gets ready, or when the children's handler runs do not add up to N (a task ran
 * twice, which at-least-once delivery allows but this drain must not need). Registered once per process count
 * ({@link #PROCESS_COUNTS}), as {@code processes-1}, {@code processes-2} and {@code processes-4}, so each has its table.
 * The peak heap column is the harness's (pushing and counting); each child's is in the note.
 */
public final class ProcessesScenario implements Scenario {
    /** The process counts, each a scenario of its own. */
    public static final List<Integer> PROCESS_COUNTS = List.of(1, 2, 4);
    static final String PREFIX = "processes-";
    static final long POLL_MILLIS = 50;
    /** How long a child may take to start its JVM and open Drover, and to stop and report. */
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    private final int processes;

    public ProcessesScenario(int processes) {
        this.processes = processes;
    }

    /** The names of all of them, in order. */
    public static List<String> names() {
        return PROCESS_COUNTS.stream().map(p -> PREFIX + p).toList();
    }

    @Override
    public String name() {
        return PREFIX + processes;
    }

    @Override
    public String description(Options o, int tasks) {
        return name() + ": " + tasks + " tasks pushed first (untimed), then " + processes + " worker process" + (processes == 1 ? "" : "es")
                + " (each a JVM of its own, -Xmx256m, opening the target's URL and running one worker, concurrency " + o.concurrency()
                + ", maxBatch " + o.maxBatch() + ", no-op handler); timed from the common start signal until the queue counts " + tasks
                + " DONE (polled every " + POLL_MILLIS + " ms); fails unless the handlers ran " + tasks
                + " times in all; peak heap is the harness's, the workers' are in the note";
    }

    @Override
    public boolean workerProcesses() {
        return true;
    }

    @Override
    public Measurement run(RunContext ctx) throws Exception {
        if (!ctx.drover().capabilities().contains(Capability.INSPECTION)) {
            throw new RunFailedException(name() + " counts DONE tasks through the inspection API, which " + ctx.drover().backend().describe()
                    + " does not offer");
        }
        TaskQueue<Job> queue = ctx.drover().queue(ctx.newQueueName(), Job.class);
        int n = ctx.tasks();
        Drain.prepare(ctx, queue, n, DrainScenario.PREPARE_BATCH, seq -> new Job(seq, System.nanoTime()));

        List<WorkerProcess> children = new ArrayList<>(processes);
        try {
            long launch = System.nanoTime();
            for (int i = 1; i <= processes; i++) {
                children.add(WorkerProcess.start("worker process " + i + " of " + processes, ctx.droverUrl(), queue.name().value(), ctx.options()));
            }
            for (WorkerProcess child : children) child.awaitReady(CHILD_TIMEOUT);
            ctx.progress().say(String.format("%d worker process%s ready in %.1f s; starting them", processes, processes == 1 ? "" : "es",
                    (System.nanoTime() - launch) / 1e9));

            long start = System.nanoTime();
            for (WorkerProcess child : children) child.start();
            double seconds = awaitDone(ctx, queue, children, n, start);
            for (WorkerProcess child : children) child.stop();
            List<WorkerProcess.Ran> ran = new ArrayList<>(processes);
            for (WorkerProcess child : children) ran.add(child.awaitRan(CHILD_TIMEOUT));
            return Measurement.of(n, seconds, null, checked(queue, ran, n));
        } finally {
            for (WorkerProcess child : children) child.close();
        }
    }

    /** Seconds from {@code start} until the queue counts {@code n} DONE; a child gone meanwhile fails the run. */
    private double awaitDone(RunContext ctx, TaskQueue<Job> queue, List<WorkerProcess> children, int n, long start) throws Exception {
        Progress progress = ctx.progress();
        try {
            return CounterWait.until(() -> {
                        for (WorkerProcess child : children) child.ensureRunning();
                        return queue.counts().getOrDefault(TaskState.DONE, 0L);
                    }, n, start, POLL_MILLIS,
                    count -> progress.tick(() -> String.format("%,d / %,d DONE (%,.0f tasks/s so far)", count, n,
                            count / ((System.nanoTime() - start) / 1e9))),
                    count -> name() + " stalled: the queue counts " + count + " of " + n + " DONE; " + queue.counts());
        } catch (WorkerProcess.ExitedException e) {
            throw new RunFailedException(e.getMessage());
        }
    }

    /** The note: each process's share; fails the run unless the handler runs add up to {@code n}. */
    private static String checked(TaskQueue<Job> queue, List<WorkerProcess.Ran> ran, int n) throws RunFailedException {
        long handled = ran.stream().mapToLong(WorkerProcess.Ran::handled).sum();
        String shares = String.join(" + ", ran.stream().map(r -> String.format("%,d", r.handled())).toList());
        String perProcess = "handler runs per process " + shares + " = " + String.format("%,d", handled) + "; DONE recorded per process "
                + String.join(" + ", ran.stream().map(r -> String.format("%,d", r.completed())).toList()) + "; peak heap per process "
                + String.join(" / ", ran.stream().map(r -> r.peakHeapMiB() + "").toList()) + " MiB";
        if (handled != n) {
            throw new RunFailedException("the handlers ran " + handled + " times for " + n + " tasks ("
                    + (handled > n ? (handled - n) + " duplicate runs" : (n - handled) + " tasks DONE without a run") + "); "
                    + perProcess + "; queue " + queue.name());
        }
        return "queue " + queue.name() + "; each task ran once; " + perProcess;
    }
}

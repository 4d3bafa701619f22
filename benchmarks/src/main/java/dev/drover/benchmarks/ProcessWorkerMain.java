package dev.drover.benchmarks;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker process of the processes scenarios ({@link ProcessesScenario}), started by {@link WorkerProcess}: opens
 * the backend URL it is given with {@code Drover.open}, as a separate application instance on the same storage would,
 * and runs one worker with a no-op handler that counts its runs. It talks to the harness by lines: it prints
 * {@link #READY} once Drover is open, starts its worker when it reads {@link #START}, and on {@link #STOP} shuts the
 * worker down, prints {@link #RAN} with its counts and exits. When its standard input closes (the harness is gone)
 * it exits too, so it never outlives the run. Everything else it prints (logs) goes to standard error.
 * <p>
 * Arguments: {@code URL QUEUE CONCURRENCY MAX_BATCH}.
 */
public final class ProcessWorkerMain {
    static final String READY = "drover-bench-worker ready";
    static final String START = "start";
    static final String STOP = "stop";
    /** Followed by {@code <handler runs> <DONE recorded by this worker> <peak heap MiB>}. */
    static final String RAN = "drover-bench-worker ran ";

    private ProcessWorkerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: ProcessWorkerMain URL QUEUE CONCURRENCY MAX_BATCH (got " + args.length + " arguments)");
            System.exit(2);
        }
        try {
            System.exit(run(args[0], args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3])));
        } catch (Throwable e) {
            e.printStackTrace();
            System.err.println("worker process failed: " + causes(e)); // last, so that the tail the harness shows has it
            System.exit(1);
        }
    }

    /** {@code e} and its causes on one line: the end of a long stack trace may show only the innermost frames. */
    private static String causes(Throwable e) {
        StringBuilder line = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            line.append(" <- caused by ").append(cause);
        }
        return line.toString();
    }

    private static int run(String url, String queueName, int concurrency, int maxBatch) throws IOException {
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        HeapSampler heap = HeapSampler.start();
        try (Drover drover = Drover.open(url)) {
            TaskQueue<Job> queue = drover.queue(queueName, Job.class);
            say(READY);
            if (!awaitLine(parent, START)) {
                System.err.println("the harness closed standard input before saying " + START + "; exiting");
                return 3;
            }
            AtomicLong handled = new AtomicLong();
            Worker<Job> worker = drover.worker(queue, task -> handled.incrementAndGet())
                    .concurrency(concurrency)
                    .maxBatch(maxBatch)
                    .start();
            boolean told = awaitLine(parent, STOP);
            boolean drained = worker.shutdown(Duration.ofSeconds(30));
            if (!told) {
                System.err.println("the harness closed standard input before saying " + STOP + "; stopped the worker and exiting");
                return 3;
            }
            if (!drained) System.err.println("the worker did not drain within 30 s; stats " + worker.stats());
            say(RAN + handled.get() + " " + worker.stats().completed() + " " + Math.round(heap.peakMiB()));
            return 0;
        }
    }

    /** Reads lines until {@code expected}; false when standard input ends first. */
    private static boolean awaitLine(BufferedReader in, String expected) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.strip().equals(expected)) return true;
            System.err.println("ignored a line from the harness: \"" + line + "\" (waiting for " + expected + ")");
        }
        return false;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

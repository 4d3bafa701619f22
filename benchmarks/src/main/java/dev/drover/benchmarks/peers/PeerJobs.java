package dev.drover.benchmarks.peers;

/**
 * The peers' no-op job. Neither library can be handed a closure: db-scheduler resolves a task by its name among the
 * tasks its scheduler was built with, and JobRunr stores a job as a class and static method name found in the enqueue
 * lambda's bytecode. Both end up here, and this calls the run's {@code ran} counter.
 *
 * <p>One registry for the JVM: one peer runs at a time (the harness runs one target after another).
 */
public final class PeerJobs {
    private static final Runnable NOTHING = () -> {
    };
    private static volatile Runnable ran = NOTHING;

    private PeerJobs() {
    }

    /** The job body: db-scheduler's task handler calls it. */
    public static void run() {
        ran.run();
    }

    /**
     * The job body as JobRunr records it (public and static; the class and method name are stored with each job).
     * It takes the stream item, the job's position in its push, as JobRunr's bulk examples do: JobRunr reuses its
     * analysis of the enqueue lambda only when the lambda passes the item on, and parses the lambda's bytecode again
     * for every job otherwise.
     */
    public static void run(Integer seq) {
        ran.run();
    }

    static void onRun(Runnable counter) {
        ran = counter == null ? NOTHING : counter;
    }

    /** Forgets {@code counter} if it is still the registered one (a later peer's is left alone). */
    static void clear(Runnable counter) {
        if (ran == counter) {
            ran = NOTHING;
        }
    }
}

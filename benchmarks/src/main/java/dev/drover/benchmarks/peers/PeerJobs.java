package dev.drover.benchmarks.peers;

import java.util.function.IntConsumer;

/**
 * The peers' no-op job. Neither library can be handed a closure: db-scheduler resolves a task by its name among the
 * tasks its scheduler was built with, and JobRunr stores a job as a class and static method name found in the enqueue
 * lambda's bytecode. Both end up here, and this calls the run's {@code ran} counter.
 *
 * <p>One registry for the JVM: one peer runs at a time (the harness runs one target after another).
 */
public final class PeerJobs {
    private static final IntConsumer NOTHING = job -> {
    };
    private static volatile IntConsumer ran = NOTHING;

    private PeerJobs() {
    }

    /**
     * The job body as JobRunr records it (public and static; the class and method name are stored with each job).
     * It takes the stream item, the job's position in its push, as JobRunr's bulk examples do: JobRunr reuses its
     * analysis of the enqueue lambda only when the lambda passes the item on, and parses the lambda's bytecode again
     * for every job otherwise. db-scheduler's task handler calls it too, with the number in the task instance's id.
     */
    public static void run(Integer seq) {
        ran.accept(seq);
    }

    static void onRun(IntConsumer counter) {
        ran = counter == null ? NOTHING : counter;
    }

    /** Forgets {@code counter} if it is still the registered one (a later peer's is left alone). */
    static void clear(IntConsumer counter) {
        if (ran == counter) {
            ran = NOTHING;
        }
    }
}

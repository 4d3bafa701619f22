package dev.drover.test;

import dev.drover.api.Drover;
import dev.drover.api.TaskHandler;
import dev.drover.api.TaskQueue;

/**
 * Runs a queue's due tasks synchronously, in the calling (test) thread, the way Oban's {@code drain_queue} and River's
 * {@code rivertest} do: claim what is due, run the handler, record the outcome, and again, until nothing is due, so
 * tasks that handlers push for now run too. Tasks scheduled for later, and failed tasks waiting for their retry
 * backoff, are not run: a failure is reported in the {@link DrainReport} instead of retried at once, so a test sees
 * it. The outcomes are recorded exactly as a worker records them (fenced by the claim's lease): DONE, PENDING with the
 * default backoff, or DEAD.
 */
public final class Drain {
    /** At most this many tasks run in one drain, so a handler that always pushes another task cannot loop forever. */
    public static final int DEFAULT_LIMIT = 10_000;

    private Drain() {
    }

    /** Runs every due task of {@code queue} with {@code handler}; see {@link Drain}. */
    public static <T> DrainReport drain(Drover drover, TaskQueue<T> queue, TaskHandler<T> handler) {
        return drain(drover, queue, handler, DEFAULT_LIMIT);
    }

    /**
     * Runs every due task of {@code queue} with {@code handler}, at most {@code limit} of them; throws an
     * {@link AssertionError} when tasks are still due after {@code limit} ran (a handler pushing without end).
     */
    public static <T> DrainReport drain(Drover drover, TaskQueue<T> queue, TaskHandler<T> handler, int limit) {
        if (limit < 1) throw new IllegalArgumentException("drain limit must be at least 1 (got " + limit + ")");
        return new DrainRun<>(drover, queue, handler, limit).run();
    }
}

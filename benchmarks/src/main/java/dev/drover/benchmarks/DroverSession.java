package dev.drover.benchmarks;

import dev.drover.api.Drover;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Drover backend opened for one run. Scenarios name their queues through {@link #newQueueName()}, so that the
 * target's cleanup knows them (PGMQ drops their tables after the run).
 */
public final class DroverSession implements Session {

    /** What a target does after the run's Drover is closed, given the queues the run made. */
    @FunctionalInterface
    public interface Cleanup {
        void after(List<String> queues) throws Exception;
    }

    private final Drover drover;
    private final String url;
    private final Cleanup cleanup;
    private final List<String> queues = new ArrayList<>();
    private final List<AutoCloseable> closeFirst = new ArrayList<>();

    DroverSession(Drover drover, String url, Cleanup cleanup) {
        this.drover = drover;
        this.url = url;
        this.cleanup = cleanup;
    }

    public Drover drover() {
        return drover;
    }

    /** The URL the run's Drover was opened with: another process opening it reaches the same storage. */
    public String url() {
        return url;
    }

    /** {@code bench_} and 8 random lowercase letters: a queue no other run uses. */
    public synchronized String newQueueName() {
        StringBuilder name = new StringBuilder("bench_");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) name.append((char) ('a' + random.nextInt(26)));
        queues.add(name.toString());
        return name.toString();
    }

    @Override
    public String backend() {
        return drover.backend().describe();
    }

    @Override
    public String configuration() {
        return "";
    }

    /** Closes {@code resource} (an instrumentation's binding, say) before the Drover, at the end of the run. */
    synchronized void closeFirst(AutoCloseable resource) {
        closeFirst.add(resource);
    }

    @Override
    public void close() throws Exception {
        try {
            List<AutoCloseable> first;
            synchronized (this) {
                first = List.copyOf(closeFirst);
            }
            try {
                for (AutoCloseable resource : first) resource.close();
            } finally {
                drover.close();
            }
        } finally {
            List<String> made;
            synchronized (this) {
                made = List.copyOf(queues);
            }
            cleanup.after(made);
        }
    }
}

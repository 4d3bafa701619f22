package dev.drover.benchmarks.peers;

import java.util.function.IntConsumer;

/**
 * A job library other than Drover, driven through the same no-op workload on the same database so the harness can
 * put the two side by side. One instance serves one run: it starts with no jobs of its own stored, and
 * {@link #close()} stops its workers and removes what the run stored.
 */
public interface Peer extends AutoCloseable {

    /** For the table's backend column, e.g. {@code db-scheduler/postgresql}. */
    String name();

    /** The library's version and how it is configured (threads, polling, batch sizes, database), one line. */
    String configuration();

    /**
     * Stores {@code n} no-op jobs due now through the library's fastest documented way (its bulk API where it has
     * one) and returns once all are stored. Calls {@code progress} with the number stored so far now and then.
     */
    void push(int n, IntConsumer progress) throws Exception;

    /**
     * Starts the library's workers with {@code threads} worker threads and returns at once; each job run calls
     * {@code ran} once with the job's number (a push of {@code n} jobs into a new peer numbers them 0 to n-1), so a
     * test can tell a job run twice from another never run. The harness times from this call until {@code ran} has
     * been called for every job pushed.
     */
    void startWorkers(int threads, IntConsumer ran) throws Exception;

    /** Stops the workers and removes the jobs and tables (or rows) this run created. */
    @Override
    void close() throws Exception;
}

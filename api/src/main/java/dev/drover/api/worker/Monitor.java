package dev.drover.api.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs several workers as one service and stops them together: on {@link #close()}, or on SIGTERM / Ctrl-C
 * once {@link #stopOnShutdownSignal()} was called. Each worker drains within its own drain timeout; they stop
 * in parallel.
 */
public final class Monitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final List<Worker<?>> workers;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean clean = true;

    private Monitor(List<Worker<?>> workers) {
        this.workers = List.copyOf(workers);
    }

    public static Monitor of(Worker<?>... workers) {
        return new Monitor(List.of(workers));
    }

    public static Monitor of(List<Worker<?>> workers) {
        return new Monitor(workers);
    }

    /** Starts every worker. */
    public Monitor start() {
        workers.forEach(Worker::start);
        return this;
    }

    /** Registers a JVM shutdown hook so SIGTERM or Ctrl-C drains the workers before the process exits. */
    public Monitor stopOnShutdownSignal() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("drover-monitor-shutdown").unstarted(() -> {
            LOG.info("shutdown signal: draining {} worker(s)", workers.size());
            close();
        }));
        return this;
    }

    /** Blocks until the monitor has been closed (by {@link #close()} or a shutdown signal). */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** True when every worker drained without releasing tasks: each one's {@link Worker#shutdown} returned true. */
    public boolean drainedCleanly() {
        return clean;
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        List<Thread> stoppers = new ArrayList<>();
        for (Worker<?> worker : workers) {
            stoppers.add(Thread.ofPlatform().name("drover-stop-" + worker.queue()).start(() -> {
                if (!worker.shutdown(worker.config().drainTimeout())) clean = false;
            }));
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopped.countDown();
    }
}

package dev.drover.api.worker;

import dev.drover.spi.Backend;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes outcomes in batches: whatever has finished while the previous write was under way goes into the next
 * one, so a busy worker makes one storage round trip for many tasks. A failed write is retried with backoff;
 * outcomes are never dropped silently — if the worker must stop while storage is down, each unrecorded outcome
 * is logged as an error (the task runs again once its lease expires).
 */
final class Settler {
    private static final Logger LOG = LoggerFactory.getLogger(Settler.class);

    record Pending(Execution execution, Settlement settlement) { }

    interface Callbacks {
        void settled(List<Pending> batch, Set<LeaseToken> applied);

        /** Outcomes that could not be written before shutdown (each already logged as an error). */
        void abandoned(List<Pending> batch);

        void storageFailed(String operation, RuntimeException error, Duration retryIn);
    }

    private final Backend backend;
    private final int maxBatch;
    private final ReentrantLock storageOrder;
    private final Callbacks callbacks;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long abandonAtNanos = Long.MAX_VALUE;

    Settler(String name, Backend backend, int maxBatch, ReentrantLock storageOrder, Callbacks callbacks) {
        this.backend = backend;
        this.maxBatch = maxBatch;
        this.storageOrder = storageOrder;
        this.callbacks = callbacks;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    void submit(Execution execution, Settlement settlement) {
        queue.add(new Pending(execution, settlement));
    }

    /** Writes what is queued, then stops; gives up on outcomes still unwritten after {@code grace}. */
    boolean stop(Duration grace) throws InterruptedException {
        abandonAtNanos = System.nanoTime() + grace.toNanos();
        stopping = true;
        thread.join(grace.toMillis() + 1000);
        return queue.isEmpty();
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        int failures = 0;
        while (true) {
            if (batch.isEmpty()) {
                Pending first;
                try {
                    first = queue.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    first = null;
                }
                if (first == null) {
                    if (stopping && queue.isEmpty()) return;
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
            }
            try {
                write(batch);
                batch.clear();
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                if (System.nanoTime() > abandonAtNanos) {
                    abandon(batch, e);
                    batch.clear();
                    continue;
                }
                Duration wait = Backoff.storageRetry(failures);
                callbacks.storageFailed("record " + batch.size() + " outcome(s)", e, wait);
                sleep(wait);
            }
        }
    }

    private void write(List<Pending> batch) {
        List<Settlement> settlements = new ArrayList<>(batch.size());
        for (Pending p : batch) settlements.add(p.settlement());
        storageOrder.lock();
        try {
            Set<LeaseToken> applied = backend.settle(settlements);
            for (Pending p : batch) p.execution().settled = true;
            callbacks.settled(List.copyOf(batch), applied);
        } finally {
            storageOrder.unlock();
        }
    }

    private void abandon(List<Pending> batch, RuntimeException error) {
        for (Pending p : batch) {
            LOG.error("could not record the outcome {} of task {} (attempt {}) before shutdown: {}; the task will run again once its lease expires",
                    p.settlement().getClass().getSimpleName(), p.execution().claimed.task().id(), p.execution().attempt(), error.getMessage());
            p.execution().settled = true;
        }
        callbacks.abandoned(List.copyOf(batch));
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

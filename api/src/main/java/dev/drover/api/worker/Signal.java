package dev.drover.api.worker;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A latch that can be raised any number of times and is lowered by the waiter that sees it. */
final class Signal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition raised = lock.newCondition();
    private boolean up;

    void raise() {
        lock.lock();
        try {
            up = true;
            raised.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until raised or {@code timeout} passed; returns whether it was raised, and lowers it. */
    boolean await(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!up && nanos > 0) {
                nanos = raised.awaitNanos(nanos);
            }
            boolean was = up;
            up = false;
            return was;
        } finally {
            lock.unlock();
        }
    }
}

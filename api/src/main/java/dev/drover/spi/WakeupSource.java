package dev.drover.spi;

import dev.drover.api.QueueName;

/**
 * A signal that new work may be due on a queue. It is only ever an optimisation: workers keep polling, so a
 * missed signal delays a task by at most one poll interval.
 */
public interface WakeupSource {
    WakeupSource NONE = (queue, listener) -> () -> { };

    /** Calls {@code listener} (on any thread, quickly) when work may be due on {@code queue}, until the subscription is closed. */
    Subscription subscribe(QueueName queue, Runnable listener);

    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}

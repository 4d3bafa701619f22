package dev.drover.conformance;

import dev.drover.api.QueueName;
import dev.drover.spi.WakeupSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.drover.api.Capability.WAKEUPS;
import static dev.drover.conformance.KitTasks.task;

/**
 * Storage rule S32: wake-ups ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code Wakeups} binds them to the
 * storage of the running test.
 */
abstract class WakeupRules extends StorageRules {
    WakeupRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S32 (optional: WAKEUPS) A wake-up subscription on a queue is called after a push to that queue through another instance on the same storage")
    void optional_S32_pushWakesSubscribers() {
        requires(WAKEUPS, "S32");
        QueueName queue = Names.queue();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch woken = new CountDownLatch(1);
        WakeupSource.Subscription subscription = backend().wakeups().subscribe(queue, () -> {
            calls.incrementAndGet();
            woken.countDown();
        });
        try {
            open().push(List.of(task(queue).build()));
            Await.until(Duration.ofSeconds(5), () -> woken.getCount() == 0, "the subscriber on " + queue + " is woken by a push from another instance");
            int before = calls.get();
            backend().push(List.of(task(queue).build()));
            Await.until(Duration.ofSeconds(5), () -> calls.get() > before, "the subscriber is woken by a push from its own instance");
        } finally {
            subscription.close();
        }
    }
}

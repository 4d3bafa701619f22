package dev.drover.sqlite;

import dev.drover.api.QueueName;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import dev.drover.spi.WakeupSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class InProcessWakeupsTest {
    static final QueueName EMAILS = QueueName.of("emails");
    @TempDir
    Path dir;
    final List<WakeupSource.Subscription> subscriptions = new ArrayList<>();

    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(WakeupSource.Subscription::close);
    }

    @Test
    void aPushThroughAnotherBackendOnTheSameFileWakesSubscribers() {
        Path file = dir.resolve("jobs.db");
        AtomicInteger emails = new AtomicInteger();
        AtomicInteger reports = new AtomicInteger();
        try (SqliteBackend worker = SqliteBackend.open(file);
             SqliteBackend producer = SqliteBackend.open(file)) {
            subscriptions.add(worker.wakeups().subscribe(EMAILS, emails::incrementAndGet));
            subscriptions.add(worker.wakeups().subscribe(QueueName.of("reports"), reports::incrementAndGet));
            producer.push(List.of(Tasks.task("emails", "hi"), Tasks.task("emails", "hello")));

            assertThat(emails).as("one signal per queue per push").hasValue(1);
            assertThat(reports).as("another queue is not woken").hasValue(0);
        }
    }

    @Test
    void aPushToAnotherFileWakesNoOne() {
        AtomicInteger woken = new AtomicInteger();
        try (SqliteBackend one = SqliteBackend.open(dir.resolve("one.db"));
             SqliteBackend two = SqliteBackend.open(dir.resolve("two.db"))) {
            subscriptions.add(one.wakeups().subscribe(EMAILS, woken::incrementAndGet));
            two.push(List.of(Tasks.task("emails", "elsewhere")));
            assertThat(woken).hasValue(0);
        }
    }

    @Test
    void aClosedSubscriptionIsNotCalledAndAFailingOneDoesNotStopOthers() {
        AtomicInteger closedOne = new AtomicInteger();
        AtomicInteger healthy = new AtomicInteger();
        try (SqliteBackend backend = SqliteBackend.open(dir.resolve("jobs.db"))) {
            subscriptions.add(backend.wakeups().subscribe(EMAILS, () -> {
                throw new IllegalStateException("listener bug (expected by this test)");
            }));
            subscriptions.add(backend.wakeups().subscribe(EMAILS, healthy::incrementAndGet));
            WakeupSource.Subscription closed = backend.wakeups().subscribe(EMAILS, closedOne::incrementAndGet);
            closed.close();
            closed.close();

            backend.push(List.of(Tasks.task("emails", "x")));

            assertThat(closedOne).hasValue(0);
            assertThat(healthy).hasValue(1);
        }
    }

    @Test
    void releasesImmediateRetriesAndRequeuesWakeTheQueueButDelayedRetriesDoNot() {
        AtomicInteger woken = new AtomicInteger();
        try (SqliteBackend backend = SqliteBackend.open(dir.resolve("jobs.db"))) {
            backend.push(List.of(Tasks.task("emails", "a"), Tasks.task("emails", "b"), Tasks.task("emails", "c")));
            List<ClaimedTask> claimed = backend.claim(EMAILS, new WorkerId("w"), 3, Duration.ofMinutes(1));
            subscriptions.add(backend.wakeups().subscribe(EMAILS, woken::incrementAndGet));

            backend.settle(List.of(new Settlement.Retry(claimed.get(0).lease(), Duration.ofMinutes(5), "later")));
            assertThat(woken).hasValue(0);

            backend.settle(List.of(new Settlement.Release(claimed.get(1).lease())));
            assertThat(woken).hasValue(1);

            backend.settle(List.of(new Settlement.Retry(claimed.get(2).lease(), Duration.ZERO, "again")));
            assertThat(woken).hasValue(2);

            List<ClaimedTask> again = backend.claim(EMAILS, new WorkerId("w"), 1, Duration.ofMinutes(1));
            backend.settle(List.of(new Settlement.Kill(again.getFirst().lease(), "no")));
            assertThat(woken).as("a kill makes no work").hasValue(2);
            assertThat(backend.requeue(EMAILS, again.getFirst().task().id())).isTrue();
            assertThat(woken).hasValue(3);
        }
    }
}

package dev.drover.conformance;

import dev.drover.api.Drover;
import dev.drover.api.QueueLimits;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.conformance.child.Message;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.drover.api.Capability.WAKEUPS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker rules W21-W23: workers and a paused or limited queue ({@code SPEC.md}). The storage enforces both at the claim
 * (S38-S41); these rules check that real workers, in several Drover instances, behave accordingly.
 */
abstract class QueueControlWorkerRules {
    static final Duration WAIT = WorkerContract.WAIT;
    /** The poll interval of W21/W22's worker: long enough that a resume seen within {@link #WOKEN} was a wake-up. */
    static final Duration POLL = Duration.ofSeconds(3);
    static final Duration WOKEN = Duration.ofMillis(1500);

    final WorkerContract kit;

    QueueControlWorkerRules(WorkerContract kit) {
        this.kit = kit;
    }

    @Test
    @DisplayName("W21 (required) A queue paused through another Drover: its worker starts none of the tasks pushed after the pause, while the handler already running finishes and is recorded; W22 (required) a resume restarts it, at once on a backend with WAKEUPS")
    void required_W21_W22_pauseStopsClaimingAndResumeRestartsIt() {
        TaskQueue<Message> queue = kit.messages(kit.drover());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        AtomicLong firstAfterResume = new AtomicLong();
        EventLog log = new EventLog();
        kit.start(kit.drover().worker(queue, task -> {
                    Message m = task.payload();
                    if (m.text().equals("block")) {
                        started.countDown();
                        letGo.await();
                        return;
                    }
                    firstAfterResume.compareAndSet(0, System.nanoTime());
                    ran.add(m.n());
                })
                .concurrency(4).pollInterval(Duration.ofMillis(20), POLL).listener(log));
        TaskId blocked = queue.push(new Message("block", 0));
        Await.until(WAIT, () -> started.getCount() == 0, "the first handler has started");

        Drover other = kit.openDrover();
        TaskQueue<Message> otherQueue = other.queue(queue.name().value(), Message.class);
        otherQueue.pause();
        assertThat(queue.isPaused()).as("paused, seen through the worker's Drover").isTrue();
        List<TaskId> pushed = new ArrayList<>();
        for (int i = 1; i <= 3; i++) pushed.add(queue.push(new Message("after", i)));
        letGo.countDown();
        Await.until(WAIT, () -> log.completion(blocked).isPresent(), "the handler running at the pause completes (events:" + log + ")");
        // The worker keeps polling (at most every POLL); over more than one poll interval it must start none of them.
        Await.pause(POLL.plus(Duration.ofMillis(500)));
        assertThat(ran).as("tasks run while the queue was paused").isEmpty();

        long resumedAt = System.nanoTime();
        otherQueue.resume();
        assertThat(queue.isPaused()).as("paused after the resume").isFalse();
        Await.until(WAIT, () -> ran.size() == 3, "the worker runs the 3 tasks after the resume (events:" + log + ")");
        for (TaskId id : pushed) Await.until(WAIT, () -> log.completion(id).isPresent(), "task " + id + " completes");
        if (kit.subject().capabilities().contains(WAKEUPS)) {
            assertThat(Duration.ofNanos(firstAfterResume.get() - resumedAt)).as("from the resume to the first start, poll interval %s, "
                    + "on a backend with WAKEUPS", POLL).isLessThan(WOKEN);
        }
    }

    @Test
    @DisplayName("W23 (required) Two Drover instances, each with a worker of concurrency 4, on a queue limited to 2: never more than 2 handlers run at once, and every task runs")
    void required_W23_queueLimitHoldsAcrossWorkers() {
        TaskQueue<Message> queue = kit.messages(kit.drover());
        queue.limit(QueueLimits.none().concurrency(2));
        int tasks = 24;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        List<Drover> drovers = List.of(kit.drover(), kit.openDrover());
        for (Drover d : drovers) {
            TaskQueue<Message> q = d.queue(queue.name().value(), Message.class);
            kit.start(d.worker(q, task -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(20); // the task's work, so that handlers overlap if the limit lets them
                        } finally {
                            running.decrementAndGet();
                        }
                        done.add(task.payload().n());
                    })
                    .concurrency(4).pollInterval(WorkerContract.FAST_POLL_MIN, WorkerContract.FAST_POLL_MAX));
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < tasks; i++) messages.add(new Message("limited", i));
        queue.pushAll(messages);
        Await.until(WAIT, () -> done.size() == tasks, "the two workers run all " + tasks + " tasks");
        assertThat(most.get()).as("the most handlers running at once, two workers of concurrency 4, queue limit 2").isBetween(1, 2);
    }
}

package dev.drover.conformance;

import dev.drover.api.CancelResult;
import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.api.worker.WorkerStats;
import dev.drover.conformance.child.CancelledWorkerMain;
import dev.drover.conformance.child.Message;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.api.Capability.MULTI_PROCESS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker rules W29-W31: a task cancelled while it runs ({@code SPEC.md}). Cancel is an inspection verb, so these rules
 * need {@link dev.drover.api.Capability#INSPECTION}; W31 also needs {@link dev.drover.api.Capability#MULTI_PROCESS}.
 * <p>
 * "Within one heartbeat" is checked as: before a heartbeat interval plus {@link #ALLOWANCE} has passed since the cancel
 * returned, with a lease ({@link #LEASE}) so long that only the heartbeat can have told the worker.
 */
abstract class CancelRunningWorkerRules {
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration HEARTBEAT = Duration.ofMillis(250);
    /** For the scheduling of the heartbeat's timer, its round trip and the interrupt on a busy machine. */
    static final Duration ALLOWANCE = Duration.ofMillis(1250);
    static final Duration WAIT = WorkerContract.WAIT;

    final WorkerContract kit;

    CancelRunningWorkerRules(WorkerContract kit) {
        this.kit = kit;
    }

    private static TaskRecord stored(TaskQueue<?> queue, TaskId id) {
        return queue.get(id).orElseThrow(() -> new AssertionError("task " + id + " of " + queue.name() + " is not stored"));
    }

    /** A handler for {@code block} tasks that sleeps until interrupted, noting when, and ends by throwing; others end at once. */
    private static void blockUntilInterrupted(Message m, CountDownLatch started, AtomicLong interruptedAtNanos) throws InterruptedException {
        if (!m.text().equals("block")) return;
        started.countDown();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            interruptedAtNanos.set(System.nanoTime());
            throw e;
        }
    }

    private static void assertNoFailureCounted(WorkerStats stats, long cancelled) {
        assertThat(stats.cancelled()).as("cancelled in %s", stats).isEqualTo(cancelled);
        assertThat(stats.retried()).as("retried in %s", stats).isZero();
        assertThat(stats.dead()).as("dead in %s", stats).isZero();
        assertThat(stats.leaseLost()).as("leases lost in %s", stats).isZero();
    }

    @Test
    @DisplayName("W29 (optional: INSPECTION) A task cancelled through another Drover while it runs has its handler interrupted within one heartbeat, is reported cancelled, not failed, and the worker goes on with the next task")
    void optional_W29_cancelInterruptsTheHandlerWithinOneHeartbeat() {
        kit.requires(INSPECTION, "W29");
        TaskQueue<Message> queue = kit.messages(kit.drover());
        CountDownLatch started = new CountDownLatch(1);
        AtomicLong interruptedAt = new AtomicLong();
        EventLog log = new EventLog();
        Worker<Message> worker = kit.start(kit.drover().worker(queue, task -> blockUntilInterrupted(task.payload(), started, interruptedAt))
                .concurrency(1).leaseDuration(LEASE).heartbeatInterval(HEARTBEAT)
                .pollInterval(WorkerContract.FAST_POLL_MIN, WorkerContract.FAST_POLL_MAX).listener(log));
        TaskId victim = queue.push(new Message("block", 0));
        Await.until(WAIT, () -> started.getCount() == 0, "the handler has started");

        Drover other = kit.openDrover();
        CancelResult result = other.queue(queue.name().value(), Message.class).cancel(victim);
        long cancelledAt = System.nanoTime();
        assertThat(result).as("cancel of the running task through another Drover").isEqualTo(new CancelResult.Cancelled(victim, TaskState.RUNNING));
        Await.until(WAIT, () -> interruptedAt.get() != 0, "the handler is interrupted (events:" + log + ")");
        assertThat(Duration.ofNanos(interruptedAt.get() - cancelledAt)).as("from the cancel to the interrupt (heartbeat %s, lease %s)", HEARTBEAT, LEASE)
                .isLessThan(HEARTBEAT.plus(ALLOWANCE));
        Await.until(WAIT, () -> !log.of(WorkerEvent.TaskCancelled.class, victim).isEmpty(), "the cancellation is reported (events:" + log + ")");

        TaskId next = queue.push(new Message("next", 1));
        Await.until(WAIT, () -> log.completion(next).isPresent(), "the worker (concurrency 1) completes the next task (events:" + log + ")");
        assertThat(log.of(WorkerEvent.TaskCancelled.class, victim)).extracting(WorkerEvent.TaskCancelled::attempt).containsExactly(1);
        assertThat(log.completion(victim)).as("completion of the cancelled task").isEmpty();
        assertThat(log.of(WorkerEvent.TaskRetrying.class, victim)).as("retries of the cancelled task").isEmpty();
        assertThat(log.death(victim)).as("death of the cancelled task").isEmpty();
        assertThat(log.of(WorkerEvent.LeaseLost.class, victim)).as("lease lost reports of the cancelled task").isEmpty();
        assertNoFailureCounted(worker.stats(), 1);
        TaskRecord r = stored(queue, victim);
        assertThat(r.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(r.attempt()).isEqualTo(1);
        assertThat(r.lastError()).as("error of the cancelled task").isNull();
    }

    @Test
    @DisplayName("W30 (optional: INSPECTION) A cancelled task's outcome is never recorded: handlers that go on after the cancel and return, or throw, before any heartbeat leave it CANCELLED, are reported cancelled, and count as no failure")
    void optional_W30_cancelledOutcomeIsNotRecorded() {
        kit.requires(INSPECTION, "W30");
        TaskQueue<Message> queue = kit.messages(kit.drover());
        CountDownLatch letGo = new CountDownLatch(1);
        Map<TaskId, Boolean> running = new ConcurrentHashMap<>();
        EventLog log = new EventLog();
        // The lease is long and so are the heartbeats: the worker learns of the cancel only when storage refuses the outcome.
        Worker<Message> worker = kit.start(kit.drover().worker(queue, task -> {
                    if (task.payload().text().equals("next")) return;
                    running.put(task.id(), true);
                    while (true) {
                        try {
                            letGo.await();
                            break;
                        } catch (InterruptedException e) {
                            // ignores interrupts: it finishes anyway
                        }
                    }
                    if (task.payload().text().equals("throws")) throw new IllegalStateException("failed after the cancel");
                }).concurrency(2).leaseDuration(LEASE).heartbeatInterval(Duration.ofSeconds(20))
                .pollInterval(WorkerContract.FAST_POLL_MIN, WorkerContract.FAST_POLL_MAX).listener(log));
        TaskId returns = queue.push(new Message("returns", 0));
        TaskId throwing = queue.push(new Message("throws", 1));
        Await.until(WAIT, () -> running.size() == 2, "both handlers have started");
        Drover other = kit.openDrover();
        TaskQueue<Message> elsewhere = other.queue(queue.name().value(), Message.class);
        assertThat(elsewhere.cancel(returns)).isEqualTo(new CancelResult.Cancelled(returns, TaskState.RUNNING));
        assertThat(elsewhere.cancel(throwing)).isEqualTo(new CancelResult.Cancelled(throwing, TaskState.RUNNING));
        letGo.countDown();

        Await.until(WAIT, () -> !log.of(WorkerEvent.TaskCancelled.class, returns).isEmpty() && !log.of(WorkerEvent.TaskCancelled.class, throwing).isEmpty(),
                "both cancellations are reported when their outcomes are refused (events:" + log + ")");
        TaskId next = queue.push(new Message("next", 2));
        Await.until(WAIT, () -> log.completion(next).isPresent(), "the worker completes the next task (events:" + log + ")");
        for (TaskId id : new TaskId[] {returns, throwing}) {
            assertThat(log.completion(id)).as("completion of cancelled task %s", id).isEmpty();
            assertThat(log.of(WorkerEvent.TaskRetrying.class, id)).as("retries of cancelled task %s", id).isEmpty();
            assertThat(log.death(id)).as("death of cancelled task %s", id).isEmpty();
            assertThat(log.of(WorkerEvent.LeaseLost.class, id)).as("lease lost reports of cancelled task %s", id).isEmpty();
            TaskRecord r = stored(queue, id);
            assertThat(r.state()).as("state of cancelled task %s", id).isEqualTo(TaskState.CANCELLED);
            assertThat(r.result()).as("result of cancelled task %s", id).isNull();
            assertThat(r.lastError()).as("error of cancelled task %s", id).isNull();
        }
        assertNoFailureCounted(worker.stats(), 2);
        assertThat(worker.stats().completed()).as("completed in %s: the next task only", worker.stats()).isEqualTo(1);
    }

    @Test
    @DisplayName("W31 (optional: MULTI_PROCESS, INSPECTION) A task cancelled from this process while a worker in another process runs it has its handler interrupted there within one heartbeat; nothing is recorded for it, and that worker goes on with the next task")
    void optional_W31_cancelReachesAnotherProcess() {
        kit.requires(MULTI_PROCESS, "W31");
        kit.requires(INSPECTION, "W31");
        TaskQueue<Message> queue = kit.messages(kit.drover());
        try (ChildJvm child = ChildJvm.start(CancelledWorkerMain.class, kit.kitDir.resolve("children"), kit.url(), queue.name().value(),
                String.valueOf(LEASE.toMillis()), String.valueOf(HEARTBEAT.toMillis()))) {
            kit.children.add(child);
            child.awaitLineStartingWith("WORKER ", Duration.ofSeconds(45));
            TaskId victim = queue.push(new Message("block", 0));
            assertThat(child.awaitLineStartingWith("STARTED ", Duration.ofSeconds(45))).isEqualTo("STARTED " + victim + " 1");
            long cancelledAt = System.nanoTime();
            assertThat(queue.cancel(victim)).as("cancel of the task running in %s", child).isEqualTo(new CancelResult.Cancelled(victim, TaskState.RUNNING));
            child.awaitLineStartingWith("INTERRUPTED ", WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - cancelledAt);
            assertThat(took).as("from the cancel to the child's report of the interrupt (heartbeat %s, lease %s)", HEARTBEAT, LEASE)
                    .isLessThan(HEARTBEAT.plus(ALLOWANCE));
            assertThat(child.awaitLineStartingWith("CANCELLED ", WAIT)).isEqualTo("CANCELLED " + victim);
            TaskId next = queue.push(new Message("next", 1));
            assertThat(child.awaitLineStartingWith("COMPLETED ", WAIT)).as("the child's worker goes on").isEqualTo("COMPLETED " + next);
            for (String event : new String[] {"RETRYING ", "DEAD ", "LEASE_LOST "}) {
                assertThat(child.linesStartingWith(event)).as("%s events of the child%s", event.strip(), child.stderrTail()).isEmpty();
            }
            TaskRecord r = stored(queue, victim);
            assertThat(r.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(r.lastError()).isNull();
            assertThat(stored(queue, next).state()).isEqualTo(TaskState.DONE);
        }
    }
}

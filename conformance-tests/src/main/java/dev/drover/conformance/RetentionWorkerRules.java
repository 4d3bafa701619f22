package dev.drover.conformance;

import dev.drover.api.Retention;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.conformance.child.Message;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.count;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker rule W27: the worker applies its retention in the background ({@code SPEC.md}). It needs
 * {@link dev.drover.api.Capability#INSPECTION}, as retention does.
 * <p>
 * A backend runs it through {@link WorkerContract}, whose nested class {@code RetentionSweeps} binds it to the backend
 * of the running test.
 */
abstract class RetentionWorkerRules {
    final WorkerContract kit;

    RetentionWorkerRules(WorkerContract kit) {
        this.kit = kit;
    }

    @Test
    @DisplayName("W27 (optional: INSPECTION) A worker with retention ZERO for DONE leaves no DONE task behind after draining its queue, within a bounded wait; its DEAD task, kept by the same retention, stays")
    void optional_W27_workerSweepsDoneTasks() {
        kit.requires(INSPECTION, "W27");
        TaskQueue<Message> queue = kit.messages(kit.drover());
        List<TaskId> done = new ArrayList<>();
        for (int i = 0; i < 12; i++) done.add(queue.push(new Message("ok", i)));
        TaskId doomed = queue.push(new Message("fail", 99));
        kit.start(kit.drover().worker(queue, task -> {
                    if (task.payload().text().equals("fail")) throw new dev.drover.api.DoNotRetryException("kit: W27 fails this one");
                })
                .pollInterval(WorkerContract.FAST_POLL_MIN, WorkerContract.FAST_POLL_MAX)
                .retention(Retention.forever().keep(TaskState.DONE, Duration.ZERO).keep(TaskState.DEAD, Duration.ofDays(1)))
                .retentionInterval(Duration.ofMillis(100)));

        Await.until(WorkerContract.WAIT, () -> queue.get(doomed).map(t -> t.state() == TaskState.DEAD).orElse(false), "the failing task is DEAD");
        Await.until(WorkerContract.WAIT, () -> done.stream().allMatch(id -> queue.get(id).isEmpty()),
                "every DONE task of " + queue.name() + " is deleted by the worker's sweep (counts: " + queue.counts() + ")");
        assertThat(count(queue.counts(), TaskState.DONE)).as("DONE tasks counted").isZero();
        assertThat(count(queue.counts(), TaskState.PENDING)).as("PENDING tasks counted").isZero();
        assertThat(queue.get(doomed).map(t -> t.state())).as("the DEAD task, kept a day").contains(TaskState.DEAD);
    }
}

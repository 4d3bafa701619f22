package dev.drover.conformance;

import dev.drover.api.AttemptError;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.child.Message;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.drover.api.Capability.ATTEMPT_HISTORY;
import static dev.drover.api.Capability.INSPECTION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker rule W28: the errors a worker's handler throws reach the task's attempt history ({@code SPEC.md}). It needs
 * {@link dev.drover.api.Capability#INSPECTION} and {@link dev.drover.api.Capability#ATTEMPT_HISTORY}, as S49 does.
 * <p>
 * A backend runs it through {@link WorkerContract}, whose nested class {@code AttemptHistories} binds it to the backend
 * of the running test.
 */
abstract class AttemptHistoryWorkerRules {
    final WorkerContract kit;

    AttemptHistoryWorkerRules(WorkerContract kit) {
        this.kit = kit;
    }

    @Test
    @DisplayName("W28 (optional: INSPECTION, ATTEMPT_HISTORY) A task whose handler fails 3 times and then succeeds is DONE with 3 failed attempts: numbers 1-3, each with its handler's error and the id of the worker that ran it")
    void optional_W28_handlerFailuresReachTheHistory() {
        kit.requires(INSPECTION, "W28");
        kit.requires(ATTEMPT_HISTORY, "W28");
        TaskQueue<Message> queue = kit.messages(kit.drover());
        TaskId id = queue.push(new Message("fails three times", 0), TaskOptions.defaults().maxAttempts(5));
        Worker<Message> worker = kit.start(kit.drover().worker(queue, task -> {
                    if (task.attempt() <= 3) throw new IllegalStateException("kit: W28 fails attempt " + task.attempt());
                })
                .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(20)))
                .pollInterval(WorkerContract.FAST_POLL_MIN, WorkerContract.FAST_POLL_MAX));

        Await.until(WorkerContract.WAIT, () -> queue.get(id).map(t -> t.state() == TaskState.DONE).orElse(false),
                "the task is DONE on its fourth attempt");
        TaskRecord done = queue.get(id).orElseThrow();
        assertThat(done.attempt()).as("the attempt that succeeded").isEqualTo(4);
        assertThat(done.attempts()).extracting(AttemptError::attempt).as("failed attempts, oldest first").containsExactly(1, 2, 3);
        for (AttemptError failure : done.attempts()) {
            assertThat(failure.error()).as("error of attempt %d", failure.attempt()).contains("kit: W28 fails attempt " + failure.attempt());
            assertThat(failure.worker()).as("worker of attempt %d", failure.attempt()).isEqualTo(worker.id().value());
        }
        assertThat(done.attempts()).extracting(AttemptError::at).as("times of the failures").isSorted();
    }
}

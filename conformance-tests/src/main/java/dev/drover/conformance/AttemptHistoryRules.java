package dev.drover.conformance;

import dev.drover.api.AttemptError;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.drover.api.Capability.ATTEMPT_HISTORY;
import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rule S49: each task keeps its failed attempts ({@code SPEC.md}). Read through inspection, so it needs
 * {@link dev.drover.api.Capability#INSPECTION} and the backend's {@link dev.drover.api.Capability#ATTEMPT_HISTORY}.
 */
abstract class AttemptHistoryRules extends StorageRules {
    AttemptHistoryRules(StorageContract kit) {
        super(kit);
    }

    @BeforeEach
    void needsHistory() {
        requires(INSPECTION, "S49");
        requires(ATTEMPT_HISTORY, "S49");
    }

    @Test
    @DisplayName("S49 (optional: INSPECTION, ATTEMPT_HISTORY) A task keeps its last 10 failed attempts in order, each with its number, time, worker and error; a death and a requeue keep the history; a stale retry adds nothing")
    void optional_S49_attemptHistoryKeepsTheLastTenFailures() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).maxAttempts(100).build());
        Instant before = backend().now().minusSeconds(1);
        List<String> workers = new ArrayList<>();
        for (int attempt = 1; attempt <= 12; attempt++) {
            WorkerId worker = Names.worker("s49-" + attempt);
            workers.add(worker.value());
            ClaimedTask claimed = claimOne(backend(), queue, worker, LONG_LEASE);
            assertThat(claimed.task().attempt()).isEqualTo(attempt);
            assertThat(settle(backend(), new Settlement.Retry(claimed.lease(), Duration.ZERO, "failure " + attempt)))
                    .as("retry of attempt %d", attempt).containsExactly(claimed.lease().token());
            if (attempt == 12) {
                assertThat(settle(open(), new Settlement.Retry(claimed.lease(), Duration.ZERO, "stale retry")))
                        .as("a second retry with the same lease").isEmpty();
            }
        }
        TaskRecord after12 = stored(queue, pushed.id());
        assertThat(after12.attempts()).as("history after 12 failed attempts").hasSize(AttemptError.KEPT);
        assertThat(after12.attempts()).extracting(AttemptError::attempt).as("attempt numbers, oldest first")
                .containsExactlyElementsOf(IntStream.rangeClosed(3, 12).boxed().toList());
        assertThat(after12.attempts()).extracting(AttemptError::error)
                .containsExactlyElementsOf(IntStream.rangeClosed(3, 12).mapToObj(i -> "failure " + i).toList());
        assertThat(after12.attempts()).extracting(AttemptError::worker)
                .as("the workers that ran them").containsExactlyElementsOf(workers.subList(2, 12));
        List<Instant> times = after12.attempts().stream().map(AttemptError::at).toList();
        assertThat(times).as("times, on the backend's clock").isSortedAccordingTo(Instant::compareTo)
                .allSatisfy(t -> assertThat(t).isAfter(before).isBefore(backend().now().plusSeconds(1)));
        assertThat(after12.lastError()).isEqualTo("failure 12");

        ClaimedTask last = claimOne(backend(), queue, Names.worker("s49-kill"), LONG_LEASE);
        assertThat(settle(backend(), new Settlement.Kill(last.lease(), "given up"))).containsExactly(last.lease().token());
        TaskRecord dead = stored(queue, pushed.id());
        assertThat(dead.state()).isEqualTo(TaskState.DEAD);
        assertThat(dead.attempts()).extracting(AttemptError::attempt).as("after the death (attempt 13)")
                .containsExactlyElementsOf(IntStream.rangeClosed(4, 13).boxed().toList());
        assertThat(dead.attempts().getLast().error()).isEqualTo("given up");

        assertThat(backend().requeue(queue, pushed.id())).isTrue();
        assertThat(stored(queue, pushed.id()).attempts()).as("a requeue keeps the history").isEqualTo(dead.attempts());
        ClaimedTask again = claimOne(backend(), queue, Names.worker("s49-again"), LONG_LEASE);
        assertThat(settle(backend(), new Settlement.Retry(again.lease(), Duration.ZERO, "after requeue"))).hasSize(1);
        TaskRecord requeued = stored(queue, pushed.id());
        assertThat(requeued.attempts()).extracting(AttemptError::attempt).as("numbers start again at 1 after a requeue")
                .containsExactlyElementsOf(List.of(5, 6, 7, 8, 9, 10, 11, 12, 13, 1));
        assertThat(requeued.attempts().getLast().error()).isEqualTo("after requeue");

        NewTask clean = push(task(queue).build());
        ClaimedTask done = claimOne(backend(), queue, Names.worker("s49-ok"), LONG_LEASE);
        assertThat(done.task().id()).isEqualTo(clean.id());
        settle(backend(), new Settlement.Complete(done.lease(), KitTasks.utf8("ok")));
        assertThat(stored(queue, clean.id()).attempts()).as("a task that never failed").isEmpty();
    }
}

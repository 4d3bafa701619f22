package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.count;
import static dev.drover.conformance.KitTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S20-S23: outcomes ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code Outcomes} binds them to the
 * storage of the running test.
 */
abstract class OutcomeRules extends StorageRules {
    OutcomeRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S20 (required) Complete makes the task DONE with its result kept; it is never claimed again")
    void required_S20_completeIsDone() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).build());
        ClaimedTask c = claimOne(backend(), queue, Names.worker("s20"), LONG_LEASE);
        byte[] result = {0, 1, 2, (byte) 0xff};
        assertThat(settle(backend(), new Settlement.Complete(c.lease(), result))).containsExactly(c.lease().token());
        assertThat(backend().claim(queue, Names.worker("s20b"), 10, LONG_LEASE)).isEmpty();
        if (has(INSPECTION)) {
            TaskRecord s = stored(queue, pushed.id());
            assertThat(s.state()).isEqualTo(TaskState.DONE);
            assertThat(s.result()).isEqualTo(result);
            assertThat(s.attempt()).isEqualTo(1);
            assertThat(s.finishedAt()).as("finishedAt").isNotNull();
        }
    }

    @Test
    @DisplayName("S21 (required) Retry makes the task PENDING with its error kept and its next run_at persisted: it is not claimable before the delay, and is after it")
    void required_S21_retryPersistsTheBackoff() {
        GrowingDelay.check("S21", Duration.ofSeconds(2), this::backoffIsKept);
    }

    /** One try of S21 with a retry of {@code delay}; empty when it could tell, else why it could not. */
    private Optional<String> backoffIsKept(Duration delay) {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).maxAttempts(3).build());
        ClaimedTask c = claimOne(backend(), queue, Names.worker("s21"), LONG_LEASE);
        Backend other = open();
        WorkerId next = Names.worker("s21b");
        Instant before = Instant.now();
        assertThat(settle(backend(), new Settlement.Retry(c.lease(), delay, "boom: first attempt")))
                .containsExactly(c.lease().token());
        Instant dueNoEarlierThan = before.plus(delay).minus(CLOCK_TOLERANCE);

        List<ClaimedTask> early = other.claim(queue, next, 10, LONG_LEASE);
        Instant afterEarly = Instant.now();
        if (!afterEarly.isBefore(dueNoEarlierThan)) {
            return Optional.of("the claim right after the retry came back at " + afterEarly + ", not " + CLOCK_TOLERANCE.toMillis()
                    + " ms before the retried task's due time " + before.plus(delay) + ", too late to tell whether it was held back");
        }
        assertThat(early).as("claim right after the retry was recorded (at %s, due after %s)", afterEarly, before.plus(delay)).isEmpty();
        if (has(INSPECTION)) {
            TaskRecord s = stored(queue, pushed.id());
            assertThat(s.state()).isEqualTo(TaskState.PENDING);
            assertThat(s.attempt()).isEqualTo(1);
            assertThat(s.lastError()).isEqualTo("boom: first attempt");
            assertThat(s.runAt()).as("the persisted run_at").isAfterOrEqualTo(dueNoEarlierThan);
        }
        Instant[] claimedBy = new Instant[1];
        ClaimedTask again = Await.value(WAIT, () -> {
            Optional<ClaimedTask> got = other.claim(queue, next, 10, LONG_LEASE).stream().findFirst();
            claimedBy[0] = Instant.now();
            return got;
        }, "the retried task is claimable after its delay");
        assertThat(claimedBy[0]).as("when the retried task was claimed (retried with %d ms after %s)", delay.toMillis(), before)
                .isAfterOrEqualTo(dueNoEarlierThan);
        assertThat(again.task().id()).isEqualTo(pushed.id());
        assertThat(again.task().attempt()).isEqualTo(2);
        assertThat(again.task().lastError()).as("the error of the previous attempt, seen by the next").isEqualTo("boom: first attempt");
        return Optional.empty();
    }

    @Test
    @DisplayName("S22 (required) Kill makes the task DEAD with its error kept; it is never claimed again")
    void required_S22_killIsDead() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).maxAttempts(10).build());
        ClaimedTask c = claimOne(backend(), queue, Names.worker("s22"), LONG_LEASE);
        String error = "fatal: card declined ✗ (no retry)";
        assertThat(settle(backend(), new Settlement.Kill(c.lease(), error))).containsExactly(c.lease().token());
        assertThat(backend().claim(queue, Names.worker("s22b"), 10, LONG_LEASE)).isEmpty();
        assertThat(open().claim(queue, Names.worker("s22c"), 10, LONG_LEASE)).isEmpty();
        if (has(INSPECTION)) {
            TaskRecord s = stored(queue, pushed.id());
            assertThat(s.state()).isEqualTo(TaskState.DEAD);
            assertThat(s.lastError()).isEqualTo(error);
            assertThat(s.attempt()).isEqualTo(1);
            assertThat(s.finishedAt()).as("finishedAt").isNotNull();
            assertThat(count(backend().counts(queue), TaskState.DEAD)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("S23 (required) Release makes the task PENDING and due at once, and gives back the attempt its claim took")
    void required_S23_releaseGivesTheClaimBack() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).build());
        WorkerId worker = Names.worker("s23");
        ClaimedTask c = claimOne(backend(), queue, worker, LONG_LEASE);
        assertThat(settle(backend(), new Settlement.Release(c.lease()))).containsExactly(c.lease().token());
        if (has(INSPECTION)) {
            TaskRecord s = stored(queue, pushed.id());
            assertThat(s.state()).isEqualTo(TaskState.PENDING);
            assertThat(s.attempt()).as("attempt after release").isZero();
        }
        ClaimedTask again = claimOne(backend(), queue, worker, LONG_LEASE);
        assertThat(again.task().id()).isEqualTo(pushed.id());
        assertThat(again.task().attempt()).as("attempt of the claim after a release").isEqualTo(1);

        // a task on its second attempt: release gives back the second, not the first
        settle(backend(), new Settlement.Retry(again.lease(), Duration.ZERO, "first attempt failed"));
        ClaimedTask second = claimOne(backend(), queue, worker, LONG_LEASE);
        assertThat(second.task().attempt()).isEqualTo(2);
        settle(backend(), new Settlement.Release(second.lease()));
        if (has(INSPECTION)) assertThat(stored(queue, pushed.id()).attempt()).isEqualTo(1);
        assertThat(claimOne(backend(), queue, worker, LONG_LEASE).task().attempt()).isEqualTo(2);
    }
}

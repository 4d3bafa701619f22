package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.Retention;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.count;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Storage rules S46-S48: retention deletes finished tasks by age ({@code SPEC.md}). Retention is an inspection-era verb
 * (what it deletes is seen through get, list and counts), so these rules need {@link dev.drover.api.Capability#INSPECTION}.
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code RetentionOfFinishedTasks} binds them to
 * the storage of the running test.
 */
abstract class RetentionRules extends StorageRules {
    private static final Duration BOUND = Duration.ofSeconds(30);

    RetentionRules(StorageContract kit) {
        super(kit);
    }

    @BeforeEach
    void needsInspection() {
        requires(INSPECTION, "S46-S48");
    }

    /** One task of each state in {@code queue}: pending, running, done, dead, cancelled, in that order. */
    private List<TaskId> oneOfEach(QueueName queue) {
        NewTask done = push(task(queue).build());
        NewTask dead = push(task(queue).build());
        NewTask running = push(task(queue).build());
        ClaimedTask first = claimOne(backend(), queue, Names.worker("retention"), LONG_LEASE);
        ClaimedTask second = claimOne(backend(), queue, Names.worker("retention"), LONG_LEASE);
        ClaimedTask third = claimOne(backend(), queue, Names.worker("retention"), LONG_LEASE);
        assertThat(List.of(first.task().id(), second.task().id(), third.task().id())).as("claim order")
                .containsExactly(done.id(), dead.id(), running.id());
        assertThat(settle(backend(), new Settlement.Complete(first.lease(), utf8("ok")))).hasSize(1);
        assertThat(settle(backend(), new Settlement.Kill(second.lease(), "kit kill"))).hasSize(1);
        NewTask cancelled = push(task(queue).build());
        backend().cancel(queue, cancelled.id());
        NewTask pending = push(task(queue).build());
        return List.of(pending.id(), running.id(), done.id(), dead.id(), cancelled.id());
    }

    private Optional<TaskState> stateOf(QueueName queue, TaskId id) {
        return backend().get(queue, id).map(TaskRecord::state);
    }

    @Test
    @DisplayName("S46 (optional: INSPECTION) Retention deletes finished tasks older than their state's age and keeps younger ones; ZERO deletes at once, keep-forever never; PENDING and RUNNING tasks are never deleted")
    void optional_S46_retentionDeletesByStateAndAge() {
        QueueName queue = Names.queue();
        List<TaskId> ids = oneOfEach(queue);
        TaskId pending = ids.get(0), running = ids.get(1), done = ids.get(2), dead = ids.get(3), cancelled = ids.get(4);

        assertThat(backend().deleteFinished(queue, Retention.forever(), 500)).as("keep forever deletes nothing").isZero();
        assertThat(backend().deleteFinished(queue, Retention.defaults(), 500)).as("defaults, right after finishing: all are younger than days").isZero();
        Retention doneAtOnce = Retention.forever().keep(TaskState.DONE, Duration.ZERO).keep(TaskState.DEAD, Duration.ofDays(1));
        assertThat(backend().deleteFinished(queue, doneAtOnce, 500)).as("DONE at once, DEAD after a day, CANCELLED forever").isEqualTo(1);
        assertThat(stateOf(queue, done)).as("the DONE task").isEmpty();
        assertThat(stateOf(queue, dead)).as("the DEAD task, younger than a day").contains(TaskState.DEAD);
        assertThat(stateOf(queue, cancelled)).as("the CANCELLED task, kept forever").contains(TaskState.CANCELLED);

        // An age that passes during the test, measured on the backend's clock: kept at first, deleted once it passed.
        Retention deadAfterSeconds = Retention.forever().keep(TaskState.DEAD, Duration.ofSeconds(3));
        TaskRecord deadRecord = stored(queue, dead);
        int early = backend().deleteFinished(queue, deadAfterSeconds, 500);
        if (early == 0) assertThat(stateOf(queue, dead)).as("the DEAD task before its 3 seconds passed").contains(TaskState.DEAD);
        Await.until(BOUND, () -> {
            backend().deleteFinished(queue, deadAfterSeconds, 500);
            return stateOf(queue, dead).isEmpty();
        },
                "the DEAD task (finished at " + deadRecord.finishedAt() + ") to be deleted once 3 seconds passed");

        Retention everythingAtOnce = Retention.forever().keep(TaskState.DONE, Duration.ZERO).keep(TaskState.DEAD, Duration.ZERO)
                .keep(TaskState.CANCELLED, Duration.ZERO);
        assertThat(open().deleteFinished(queue, everythingAtOnce, 500)).as("ZERO for every state, through another instance").isEqualTo(1);
        assertThat(stateOf(queue, cancelled)).as("the CANCELLED task").isEmpty();
        assertThat(stateOf(queue, pending)).as("the PENDING task").contains(TaskState.PENDING);
        assertThat(stateOf(queue, running)).as("the RUNNING task").contains(TaskState.RUNNING);
        Map<TaskState, Long> counts = backend().counts(queue);
        assertThat(count(counts, TaskState.DONE) + count(counts, TaskState.DEAD) + count(counts, TaskState.CANCELLED))
                .as("finished tasks counted after the sweep").isZero();
        assertThat(backend().list(TaskQuery.of(queue)).stream().map(TaskRecord::id).toList())
                .as("listed after the sweep").containsExactlyInAnyOrder(pending, running);
    }

    @Test
    @DisplayName("S47 (optional: INSPECTION) Retention deletes at most the limit per call; repeated calls delete the rest, and only the queue's own")
    void optional_S47_retentionBatches() {
        QueueName queue = Names.queue();
        QueueName other = Names.queue();
        List<NewTask> tasks = new ArrayList<>();
        for (int i = 0; i < 7; i++) tasks.add(task(queue).build());
        pushAll(tasks);
        for (int i = 0; i < 7; i++) backend().cancel(queue, tasks.get(i).id());
        NewTask elsewhere = push(task(other).build());
        backend().cancel(other, elsewhere.id());
        Retention cancelledAtOnce = Retention.forever().keep(TaskState.CANCELLED, Duration.ZERO);

        assertThat(backend().deleteFinished(queue, cancelledAtOnce, 3)).as("first batch of 3").isEqualTo(3);
        assertThat(count(backend().counts(queue), TaskState.CANCELLED)).as("left after the first batch").isEqualTo(4);
        assertThat(backend().deleteFinished(queue, cancelledAtOnce, 3)).as("second batch of 3").isEqualTo(3);
        assertThat(backend().deleteFinished(queue, cancelledAtOnce, 3)).as("third batch, not full").isEqualTo(1);
        assertThat(backend().deleteFinished(queue, cancelledAtOnce, 3)).as("nothing left").isZero();
        assertThat(stateOf(other, elsewhere.id())).as("the other queue's cancelled task").contains(TaskState.CANCELLED);
        assertThatThrownBy(() -> backend().deleteFinished(queue, cancelledAtOnce, 0)).as("limit 0")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("S48 (optional: INSPECTION) Retention keeps the finished tasks of a workflow run (metadata \"run\") while a task of that run is PENDING or RUNNING, and deletes them once the run finished")
    void optional_S48_workflowRunsKeepTheirTasks() {
        QueueName queue = Names.queue();
        Map<String, String> run = Map.of("workflow", "kit", "run", "run-" + Names.letters(8));
        NewTask step = push(task(queue).metadata(run).build());
        ClaimedTask claimed = claimOne(backend(), queue, Names.worker("s48"), LONG_LEASE);
        assertThat(settle(backend(), new Settlement.Complete(claimed.lease(), utf8("step done")))).hasSize(1);
        NewTask next = push(task(queue).metadata(run).build());
        NewTask plain = push(task(queue).build());
        backend().cancel(queue, plain.id());
        Retention atOnce = Retention.forever().keep(TaskState.DONE, Duration.ZERO).keep(TaskState.CANCELLED, Duration.ZERO)
                .keep(TaskState.DEAD, Duration.ZERO);

        assertThat(backend().deleteFinished(queue, atOnce, 500)).as("only the task outside the run").isEqualTo(1);
        assertThat(stateOf(queue, step.id())).as("the finished step of the unfinished run").contains(TaskState.DONE);
        backend().cancel(queue, next.id());
        assertThat(backend().deleteFinished(queue, atOnce, 500)).as("the run's two tasks, once none is pending or running").isEqualTo(2);
        assertThat(stateOf(queue, step.id())).isEmpty();
        assertThat(stateOf(queue, next.id())).isEmpty();
    }
}

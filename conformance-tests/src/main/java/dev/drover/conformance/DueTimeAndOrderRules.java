package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.api.Capability.PRIORITY;
import static dev.drover.conformance.KitTasks.count;
import static dev.drover.conformance.KitTasks.dueNow;
import static dev.drover.conformance.KitTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S4-S7: due time and order ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code DueTimeAndOrder} binds them to the
 * storage of the running test.
 */
abstract class DueTimeAndOrderRules extends StorageRules {
    DueTimeAndOrderRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S4 (required) A task is not claimed before its run_at, and is claimed once run_at has come")
    void required_S04_notClaimedBeforeRunAt() {
        GrowingDelay.check("S4", Duration.ofMillis(1500), this::scheduledTaskWaits);
    }

    /** One try of S4 with a task due {@code delay} from now; empty when it could tell, else why it could not. */
    private Optional<String> scheduledTaskWaits(Duration delay) {
        QueueName queue = Names.queue();
        WorkerId worker = Names.worker("s4");
        Instant future = Instant.now().plus(delay).truncatedTo(ChronoUnit.MILLIS);
        NewTask later = push(task(queue).runAt(future).build());
        NewTask now = push(task(queue).build());

        List<ClaimedTask> firstClaim = backend().claim(queue, worker, 10, LONG_LEASE);
        Instant afterFirst = Instant.now();
        assertThat(ids(firstClaim)).as("a task due now is claimed at once").contains(now.id());
        if (!afterFirst.isBefore(future.minus(CLOCK_TOLERANCE))) {
            return Optional.of("the claim right after the push came back at " + afterFirst + ", not " + CLOCK_TOLERANCE.toMillis()
                    + " ms before the scheduled task's due time " + future + ", too late to tell whether it was held back");
        }
        assertThat(ids(firstClaim)).as("the task due at %s, claimed at %s", future, afterFirst).doesNotContain(later.id());
        Instant[] claimedBy = new Instant[1];
        ClaimedTask got = Await.value(WAIT, () -> {
            List<ClaimedTask> c = backend().claim(queue, worker, 10, LONG_LEASE);
            claimedBy[0] = Instant.now();
            return c.stream().findFirst();
        }, "the task due at " + future + " is claimed");
        assertThat(got.task().id()).isEqualTo(later.id());
        assertThat(claimedBy[0]).as("when the scheduled task was claimed (due %s)", future)
                .isAfterOrEqualTo(future.minus(CLOCK_TOLERANCE));
        return Optional.empty();
    }

    @Test
    @DisplayName("S5 (required) Among tasks of equal priority, the earlier run_at is claimed first, and tasks due at the same time in id (push) order")
    void required_S05_earlierRunAtThenFifo() {
        QueueName queue = Names.queue();
        Instant base = dueNow().minusSeconds(10);
        NewTask a = push(task(queue).runAt(base.plusSeconds(3)).build());
        NewTask b = push(task(queue).runAt(base.plusSeconds(1)).build());
        NewTask c = push(task(queue).runAt(base.plusSeconds(2)).build());
        List<NewTask> same = pushAll(List.of(task(queue).runAt(base).build(), task(queue).runAt(base).build(),
                task(queue).runAt(base).build()));
        NewTask g = push(task(queue).runAt(base).build());
        List<TaskId> expected = List.of(same.get(0).id(), same.get(1).id(), same.get(2).id(), g.id(), b.id(), c.id(), a.id());

        WorkerId worker = Names.worker("s5");
        List<TaskId> order = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) order.add(claimOne(backend(), queue, worker, LONG_LEASE).task().id());
        assertThat(order).as("claim order, one at a time").containsExactlyElementsOf(expected);
        assertThat(backend().claim(queue, worker, 10, LONG_LEASE)).isEmpty();

        QueueName batchQueue = Names.queue();
        List<NewTask> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) batch.add(task(batchQueue).runAt(base.plusSeconds(6 - i)).build());
        pushAll(batch);
        assertThat(ids(backend().claim(batchQueue, worker, 3, LONG_LEASE))).as("a claim of 3 takes the 3 best")
                .containsExactlyInAnyOrder(batch.get(5).id(), batch.get(4).id(), batch.get(3).id());
    }

    @Test
    @DisplayName("S6 (optional: PRIORITY) A higher priority is claimed first, before an earlier run_at or a lower id; a task not yet due waits whatever its priority")
    void optional_S06_priorityFirst() {
        requires(PRIORITY, "S6");
        QueueName queue = Names.queue();
        Instant base = dueNow().minusSeconds(10);
        NewTask p0 = push(task(queue).priority(0).runAt(base).build());
        NewTask p5late = push(task(queue).priority(5).runAt(base.plusSeconds(2)).build());
        NewTask p10a = push(task(queue).priority(10).runAt(base.plusSeconds(3)).build());
        NewTask p5early = push(task(queue).priority(5).runAt(base.plusSeconds(1)).build());
        NewTask pMinus = push(task(queue).priority(-1).runAt(base).build());
        NewTask p10b = push(task(queue).priority(10).runAt(base.plusSeconds(3)).build());
        NewTask future = push(task(queue).priority(100).runAt(Instant.now().plusSeconds(3600)).build());

        WorkerId worker = Names.worker("s6");
        List<TaskId> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) order.add(claimOne(backend(), queue, worker, LONG_LEASE).task().id());
        assertThat(order).as("claim order, one at a time")
                .containsExactly(p10a.id(), p10b.id(), p5early.id(), p5late.id(), p0.id(), pMinus.id());
        assertThat(ids(backend().claim(queue, worker, 10, LONG_LEASE))).as("the priority-100 task due in an hour")
                .doesNotContain(future.id()).isEmpty();
    }

    @Test
    @DisplayName("S7 (required) A claim takes tasks of its own queue only, even when another queue's name starts with it")
    void required_S07_queuesAreIsolated() {
        QueueName a = Names.queue();
        QueueName longer = QueueName.of(a.value() + "_b");
        QueueName empty = Names.queue();
        List<NewTask> onA = pushAll(List.of(task(a).build(), task(a).build(), task(a).build()));
        List<NewTask> onLonger = pushAll(List.of(task(longer).build(), task(longer).build()));
        WorkerId worker = Names.worker("s7");

        assertThat(backend().claim(empty, worker, 10, LONG_LEASE)).as("claim on a queue nobody pushed to").isEmpty();
        List<ClaimedTask> fromA = backend().claim(a, worker, 10, LONG_LEASE);
        assertThat(ids(fromA)).containsExactlyInAnyOrderElementsOf(newIds(onA));
        assertThat(fromA).allSatisfy(c -> assertThat(c.task().queue()).isEqualTo(a));
        List<ClaimedTask> fromLonger = backend().claim(longer, worker, 10, LONG_LEASE);
        assertThat(ids(fromLonger)).containsExactlyInAnyOrderElementsOf(newIds(onLonger));
        if (has(INSPECTION)) {
            assertThat(count(backend().counts(empty), TaskState.PENDING)).isZero();
            assertThat(count(backend().counts(a), TaskState.RUNNING)).isEqualTo(3);
            assertThat(count(backend().counts(longer), TaskState.RUNNING)).isEqualTo(2);
        }
    }
}

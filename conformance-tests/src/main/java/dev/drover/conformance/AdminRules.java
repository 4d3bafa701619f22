package dev.drover.conformance;

import dev.drover.api.FinishedMinute;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S54-S57: what operators' tools need of storage ({@code SPEC.md}): the list of queues, throughput per
 * minute, paging back, running a task now and deleting a finished one. All need {@link dev.drover.api.Capability#INSPECTION}.
 */
abstract class AdminRules extends StorageRules {
    AdminRules(StorageContract kit) {
        super(kit);
    }

    @BeforeEach
    void needsInspection() {
        requires(INSPECTION, "S54-S57");
    }

    @Test
    @DisplayName("S54 (optional: INSPECTION) queues() lists every queue that holds a task or a control (a paused empty queue), through any instance")
    void optional_S54_queuesListsEveryQueue() {
        QueueName withTasks = Names.queue();
        QueueName pausedOnly = Names.queue();
        push(task(withTasks).build());
        backend().pause(pausedOnly, true);
        assertThat(open().queues()).as("queues through another instance").contains(withTasks, pausedOnly).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("S55 (optional: INSPECTION) finishedPerMinute counts DONE and DEAD tasks by the minute they finished, from a given time on; other states and older tasks are not counted")
    void optional_S55_finishedPerMinute() {
        QueueName queue = Names.queue();
        Instant before = backend().now().minusSeconds(1);
        List<NewTask> tasks = pushAll(IntStream.range(0, 6).mapToObj(i -> task(queue).build()).toList());
        WorkerId worker = Names.worker("s55");
        List<ClaimedTask> claimed = claimAll(backend(), queue, worker);
        assertThat(claimed).hasSize(6);
        List<Settlement> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ClaimedTask c = claimed.get(i);
            outcomes.add(i < 3 ? new Settlement.Complete(c.lease(), null) : i < 5 ? new Settlement.Kill(c.lease(), "kit: S55") : new Settlement.Release(c.lease()));
        }
        backend().settle(outcomes);
        Instant after = backend().now();
        List<FinishedMinute> minutes = open().finishedPerMinute(queue, before);
        assertThat(minutes.stream().mapToLong(FinishedMinute::done).sum()).as("DONE counted").isEqualTo(3);
        assertThat(minutes.stream().mapToLong(FinishedMinute::dead).sum()).as("DEAD counted").isEqualTo(2);
        for (FinishedMinute m : minutes) {
            assertThat(m.minute()).as("a minute's start").isEqualTo(m.minute().truncatedTo(ChronoUnit.MINUTES))
                    .isBetween(before.truncatedTo(ChronoUnit.MINUTES), after);
        }
        assertThat(minutes).extracting(FinishedMinute::minute).as("oldest first").isSorted();
        assertThat(backend().finishedPerMinute(queue, after.plusSeconds(120))).as("nothing finished after the window's start").isEmpty();
        assertThat(tasks).hasSize(6);
    }

    @Test
    @DisplayName("S56 (optional: INSPECTION) A page before an id holds the tasks just before it in id order, of one state or all: paging back from the end meets every page paging forward met")
    void optional_S56_pagingBack() {
        QueueName queue = Names.queue();
        List<NewTask> tasks = pushAll(IntStream.range(0, 7).mapToObj(i -> task(queue).build()).toList());
        List<TaskId> ids = newIds(tasks).stream().sorted(java.util.Comparator.comparing(TaskId::value)).toList();
        assertThat(backend().list(TaskQuery.of(queue).limit(3).before(ids.get(6))).stream().map(t -> t.id()).toList())
                .as("the 3 before the last").containsExactlyElementsOf(ids.subList(3, 6));
        assertThat(open().list(TaskQuery.of(queue).limit(3).before(ids.get(2))).stream().map(t -> t.id()).toList())
                .as("fewer than a page before the third").containsExactlyElementsOf(ids.subList(0, 2));
        assertThat(backend().list(TaskQuery.of(queue).limit(3).before(ids.get(0)))).as("before the first").isEmpty();
        ClaimedTask running = claimOne(backend(), queue, Names.worker("s56"), LONG_LEASE);
        List<TaskId> pending = new ArrayList<>(ids);
        pending.remove(running.task().id());
        assertThat(backend().list(TaskQuery.of(queue).state(TaskState.PENDING).limit(10).before(ids.get(6))).stream().map(t -> t.id()).toList())
                .as("PENDING tasks before the last").containsExactlyElementsOf(pending.stream().filter(id -> !id.equals(ids.get(6))).toList());
    }

    @Test
    @DisplayName("S57 (optional: INSPECTION) runNow makes a PENDING task due now and requeues a DEAD one, refusing RUNNING, DONE and unknown tasks; delete removes a DONE, DEAD or CANCELLED task and refuses PENDING and RUNNING ones")
    void optional_S57_runNowAndDelete() {
        QueueName queue = Names.queue();
        NewTask later = push(task(queue).runAt(backend().now().plus(Duration.ofHours(1))).build());
        assertThat(backend().claim(queue, Names.worker("s57"), 10, LONG_LEASE)).as("nothing due yet").isEmpty();
        assertThat(open().runNow(queue, later.id())).as("runNow of a PENDING task").isTrue();
        ClaimedTask first = claimOne(backend(), queue, Names.worker("s57"), LONG_LEASE);
        assertThat(first.task().id()).isEqualTo(later.id());
        assertThat(backend().runNow(queue, later.id())).as("runNow of a RUNNING task").isFalse();
        assertThat(backend().delete(queue, later.id())).as("delete of a RUNNING task").isFalse();
        settle(backend(), new Settlement.Kill(first.lease(), "kit: S57"));
        assertThat(backend().runNow(queue, later.id())).as("runNow of a DEAD task").isTrue();
        assertThat(stored(queue, later.id()).state()).isEqualTo(TaskState.PENDING);
        ClaimedTask second = claimOne(backend(), queue, Names.worker("s57"), LONG_LEASE);
        assertThat(second.task().attempt()).as("the requeued task starts again at attempt 1").isEqualTo(1);
        settle(backend(), new Settlement.Complete(second.lease(), null));
        assertThat(backend().runNow(queue, later.id())).as("runNow of a DONE task").isFalse();
        assertThat(backend().runNow(queue, TaskId.of("kit-unknown-task"))).as("runNow of an unknown task").isFalse();
        assertThat(backend().runNow(Names.queue(), later.id())).as("runNow through another queue").isFalse();

        NewTask pending = push(task(queue).build());
        assertThat(backend().delete(queue, pending.id())).as("delete of a PENDING task").isFalse();
        assertThat(backend().delete(Names.queue(), later.id())).as("delete through another queue").isFalse();
        assertThat(open().delete(queue, later.id())).as("delete of a DONE task").isTrue();
        assertThat(backend().get(queue, later.id())).as("the deleted task").isEmpty();
        assertThat(backend().delete(queue, later.id())).as("a second delete").isFalse();
        assertThat(backend().cancel(queue, pending.id())).isInstanceOf(dev.drover.api.CancelResult.Cancelled.class);
        assertThat(backend().delete(queue, pending.id())).as("delete of a CANCELLED task").isTrue();
    }
}

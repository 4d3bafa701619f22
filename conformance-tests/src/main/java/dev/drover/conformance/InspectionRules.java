package dev.drover.conformance;

import dev.drover.api.CancelResult;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.count;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S27-S31: inspection ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code Inspection} binds them to the
 * storage of the running test.
 */
abstract class InspectionRules extends StorageRules {
    InspectionRules(StorageContract kit) {
        super(kit);
    }

    @BeforeEach
    void needsInspection() {
        requires(INSPECTION, "S27-S31");
    }

    @Test
    @DisplayName("S27 (optional: INSPECTION) Counts by state match what happened: pushes, claims, completions, retries, kills and cancellations")
    void optional_S27_countsMatch() {
        QueueName queue = Names.queue();
        List<NewTask> tasks = pushAll(IntStream.range(0, 10).mapToObj(i -> task(queue).build()).toList());
        List<ClaimedTask> claimed = backend().claim(queue, Names.worker("s27"), 6, LONG_LEASE);
        assertThat(claimed).hasSize(6);
        backend().settle(List.of(new Settlement.Complete(claimed.get(0).lease(), null), new Settlement.Complete(claimed.get(1).lease(), null),
                new Settlement.Kill(claimed.get(2).lease(), "killed"),
                new Settlement.Retry(claimed.get(3).lease(), Duration.ofHours(1), "later")));
        Set<TaskId> claimedIds = new HashSet<>(ids(claimed));
        List<NewTask> unclaimed = tasks.stream().filter(t -> !claimedIds.contains(t.id())).toList();
        assertThat(backend().cancel(queue, unclaimed.get(0).id()).cancelled()).isTrue();
        assertThat(backend().cancel(queue, unclaimed.get(1).id()).cancelled()).isTrue();

        Map<TaskState, Long> counts = backend().counts(queue);
        assertThat(count(counts, TaskState.PENDING)).as("PENDING in %s", counts).isEqualTo(3);
        assertThat(count(counts, TaskState.RUNNING)).as("RUNNING in %s", counts).isEqualTo(2);
        assertThat(count(counts, TaskState.DONE)).as("DONE in %s", counts).isEqualTo(2);
        assertThat(count(counts, TaskState.DEAD)).as("DEAD in %s", counts).isEqualTo(1);
        assertThat(count(counts, TaskState.CANCELLED)).as("CANCELLED in %s", counts).isEqualTo(2);
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
        assertThat(backend().counts(Names.queue()).values().stream().mapToLong(Long::longValue).sum())
                .as("counts of a queue nobody used").isZero();
    }

    @Test
    @DisplayName("S28 (optional: INSPECTION) Get returns a task by id and queue from any instance, and nothing for an unknown id or for the right id asked of another queue")
    void optional_S28_getById() {
        QueueName queue = Names.queue();
        QueueName other = Names.queue();
        push(task(other).build());
        NewTask pushed = push(task(queue).payload("hello").priority(3).maxAttempts(4).metadata(Map.of("a", "b")).build());
        for (Backend b : List.of(backend(), open())) {
            TaskRecord r = b.get(queue, pushed.id()).orElseThrow();
            assertThat(r.id()).isEqualTo(pushed.id());
            assertThat(r.queue()).isEqualTo(queue);
            assertThat(r.state()).isEqualTo(TaskState.PENDING);
            assertThat(r.attempt()).isZero();
            assertThat(r.maxAttempts()).isEqualTo(4);
            assertThat(r.priority()).isEqualTo(3);
            assertThat(text(r.payload())).isEqualTo("hello");
            assertThat(r.metadata()).isEqualTo(Map.of("a", "b"));
            assertThat(r.lastError()).isNull();
            assertThat(r.enqueuedAt()).isNotNull();
            assertThat(b.get(other, pushed.id())).as("get of %s's task asked of another queue, %s", queue, other).isEmpty();
        }
        assertThat(backend().get(queue, TaskId.generate())).as("get of an unknown id").isEmpty();
        assertThat(stored(queue, pushed.id()).state()).as("the task after it was asked of another queue").isEqualTo(TaskState.PENDING);
    }

    @Test
    @DisplayName("S29 (optional: INSPECTION) List returns a queue's tasks in id order, in pages continued with afterId, optionally of one state only")
    void optional_S29_listPagesInIdOrder() {
        QueueName queue = Names.queue();
        QueueName neighbour = Names.queue();
        List<TaskId> all = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            all.addAll(newIds(pushAll(IntStream.range(0, round == 2 ? 5 : 10).mapToObj(i -> task(queue).build()).toList())));
            pushAll(List.of(task(neighbour).build()));
        }
        List<ClaimedTask> claimed = backend().claim(queue, Names.worker("s29"), 5, LONG_LEASE);
        backend().settle(claimed.stream().<Settlement>map(c -> new Settlement.Complete(c.lease(), null)).toList());
        List<TaskId> done = ids(claimed).stream().sorted().toList();

        assertThat(pages(TaskQuery.of(queue).limit(10))).as("all tasks, pages of 10").containsExactlyElementsOf(sorted(all));
        assertThat(pages(TaskQuery.of(queue).limit(1000))).as("all tasks, one page").containsExactlyElementsOf(sorted(all));
        assertThat(pages(TaskQuery.of(queue).state(TaskState.DONE).limit(2))).as("DONE tasks, pages of 2").containsExactlyElementsOf(done);
        List<TaskId> pending = sorted(all).stream().filter(id -> !done.contains(id)).toList();
        assertThat(pages(TaskQuery.of(queue).state(TaskState.PENDING).limit(7))).as("PENDING tasks, pages of 7")
                .containsExactlyElementsOf(pending);
        assertThat(backend().list(TaskQuery.of(queue).after(sorted(all).getLast()))).as("the page after the last task").isEmpty();
        assertThat(backend().list(TaskQuery.of(queue).state(TaskState.DEAD))).isEmpty();
        assertThat(backend().list(TaskQuery.of(queue).limit(3))).allSatisfy(r -> assertThat(r.queue()).isEqualTo(queue));
    }

    private List<TaskId> pages(TaskQuery query) {
        List<TaskId> out = new ArrayList<>();
        TaskQuery page = query;
        for (int n = 0; n < 100; n++) {
            List<TaskRecord> got = backend().list(page);
            assertThat(got.size()).as("page size").isLessThanOrEqualTo(query.limit());
            if (query.state() != null) assertThat(got).allSatisfy(r -> assertThat(r.state()).isEqualTo(query.state()));
            got.forEach(r -> out.add(r.id()));
            if (got.size() < query.limit()) return out;
            page = page.after(got.getLast().id());
        }
        throw new AssertionError("more than 100 pages");
    }

    private static List<TaskId> sorted(List<TaskId> ids) {
        return new ArrayList<>(new TreeSet<>(ids));
    }

    @Test
    @DisplayName("S30 (optional: INSPECTION) Cancel turns a PENDING task CANCELLED, never to be claimed, and says so; it changes nothing for a task asked of another queue (unknown there)")
    void optional_S30_cancelPending() {
        QueueName queue = Names.queue();
        QueueName other = Names.queue();
        push(task(other).build());
        NewTask due = push(task(queue).build());
        NewTask scheduled = push(task(queue).runAt(Instant.now().plusSeconds(3600)).build());
        NewTask elsewhere = push(task(queue).build());

        assertThat(backend().cancel(other, elsewhere.id())).as("cancel a pending task of %s asked of another queue, %s", queue, other)
                .isEqualTo(new CancelResult.Unknown(elsewhere.id()));
        TaskRecord untouched = stored(queue, elsewhere.id());
        assertThat(untouched.state()).as("the task asked of another queue").isEqualTo(TaskState.PENDING);
        assertThat(untouched.finishedAt()).as("finishedAt of the task asked of another queue").isNull();

        assertThat(backend().cancel(queue, due.id())).as("cancel a due pending task").isEqualTo(new CancelResult.Cancelled(due.id(), TaskState.PENDING));
        assertThat(backend().cancel(queue, scheduled.id())).as("cancel a scheduled pending task")
                .isEqualTo(new CancelResult.Cancelled(scheduled.id(), TaskState.PENDING));
        for (NewTask t : List.of(due, scheduled)) {
            TaskRecord r = stored(queue, t.id());
            assertThat(r.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(r.finishedAt()).as("finishedAt of a cancelled task").isNotNull();
        }
        assertThat(ids(backend().claim(queue, Names.worker("s30"), 10, LONG_LEASE))).as("claim after cancelling")
                .containsExactly(elsewhere.id());
        assertThat(count(backend().counts(other), TaskState.PENDING)).as("PENDING of %s, whose name was used to cancel", other).isEqualTo(1);
    }

    @Test
    @DisplayName("S31 (optional: INSPECTION) Requeue turns a DEAD or CANCELLED task PENDING, due now, attempt 0, last error kept; it refuses other states, and a task asked of another queue")
    void optional_S31_requeueDeadOrCancelled() {
        QueueName queue = Names.queue();
        QueueName other = Names.queue();
        push(task(other).runAt(Instant.now().plusSeconds(3600)).build());
        NewTask dead = push(task(queue).maxAttempts(1).build());
        ClaimedTask c = claimOne(backend(), queue, Names.worker("s31"), LONG_LEASE);
        settle(backend(), new Settlement.Kill(c.lease(), "poison"));
        NewTask cancelled = push(task(queue).build());
        assertThat(backend().cancel(queue, cancelled.id()).cancelled()).isTrue();
        NewTask pending = push(task(queue).runAt(Instant.now().plusSeconds(3600)).build());

        assertThat(backend().requeue(other, dead.id())).as("requeue a dead task of %s asked of another queue, %s", queue, other).isFalse();
        assertThat(backend().requeue(other, cancelled.id())).as("requeue a cancelled task of %s asked of another queue, %s", queue, other).isFalse();
        TaskRecord stillDead = stored(queue, dead.id());
        assertThat(stillDead.state()).as("the dead task asked of another queue").isEqualTo(TaskState.DEAD);
        assertThat(stillDead.attempt()).isEqualTo(1);
        assertThat(stored(queue, cancelled.id()).state()).as("the cancelled task asked of another queue").isEqualTo(TaskState.CANCELLED);
        assertThat(backend().claim(queue, Names.worker("s31a"), 10, LONG_LEASE)).as("claim after requeues asked of another queue").isEmpty();
        assertThat(backend().claim(other, Names.worker("s31a"), 10, LONG_LEASE)).as("claim on %s, whose name was used to requeue", other).isEmpty();

        assertThat(backend().requeue(queue, dead.id())).as("requeue a dead task").isTrue();
        TaskRecord r = stored(queue, dead.id());
        assertThat(r.state()).isEqualTo(TaskState.PENDING);
        assertThat(r.attempt()).isZero();
        assertThat(r.lastError()).isEqualTo("poison");
        assertThat(backend().requeue(queue, cancelled.id())).as("requeue a cancelled task").isTrue();
        assertThat(stored(queue, cancelled.id()).state()).isEqualTo(TaskState.PENDING);
        assertThat(backend().requeue(queue, pending.id())).as("requeue a pending task").isFalse();
        assertThat(backend().requeue(queue, TaskId.generate())).as("requeue an unknown id").isFalse();

        List<ClaimedTask> again = backend().claim(queue, Names.worker("s31b"), 10, LONG_LEASE);
        assertThat(ids(again)).as("due at once after requeue").containsExactlyInAnyOrder(dead.id(), cancelled.id());
        ClaimedTask revived = again.stream().filter(x -> x.task().id().equals(dead.id())).findFirst().orElseThrow();
        assertThat(revived.task().attempt()).isEqualTo(1);
        assertThat(backend().requeue(queue, dead.id())).as("requeue a running task").isFalse();
        settle(backend(), new Settlement.Complete(revived.lease(), null));
        assertThat(backend().requeue(queue, dead.id())).as("requeue a done task").isFalse();
    }
}

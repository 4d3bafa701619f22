package dev.drover.conformance;

import dev.drover.api.CancelResult;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.text;
import static dev.drover.conformance.KitTasks.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S50-S52: cancelling a running task ({@code SPEC.md}). Cancel is an inspection verb, so these rules
 * need {@link dev.drover.api.Capability#INSPECTION}, as S30 does.
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code CancellingRunningTasks} binds them to
 * the storage of the running test.
 */
abstract class CancelRunningRules extends StorageRules {
    CancelRunningRules(StorageContract kit) {
        super(kit);
    }

    @BeforeEach
    void needsInspection() {
        requires(INSPECTION, "S50-S52");
    }

    @Test
    @DisplayName("S50 (optional: INSPECTION) Cancelling a RUNNING task makes it CANCELLED and fences its lease: its heartbeat holds nothing, its settlements are refused, it is reported cancelled, and it is never claimed again")
    void optional_S50_cancelRunningFencesTheLease() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).maxAttempts(3).build());
        NewTask neighbour = push(task(queue).build());
        Duration lease = Duration.ofSeconds(1);
        ClaimedTask running = claimOne(backend(), queue, Names.worker("s50"), lease);
        assertThat(running.task().id()).isEqualTo(pushed.id());
        ClaimedTask held = claimOne(backend(), queue, Names.worker("s50"), LONG_LEASE);
        assertThat(held.task().id()).isEqualTo(neighbour.id());

        assertThat(open().cancel(queue, pushed.id())).as("cancel of the running task, through another instance")
                .isEqualTo(new CancelResult.Cancelled(pushed.id(), TaskState.RUNNING));

        Lease stale = running.lease();
        assertThat(backend().heartbeat(List.of(stale, held.lease()), LONG_LEASE)).as("heartbeat of the cancelled task's lease and of another held one")
                .containsExactly(held.lease().token());
        assertThat(backend().cancelled(List.of(stale, held.lease()))).as("which of the two leases were cancelled")
                .containsExactly(stale.token());
        assertThat(open().cancelled(List.of(stale))).as("cancelled(...) asked through another instance").containsExactly(stale.token());
        for (Settlement late : List.of(new Settlement.Complete(stale, utf8("late result")), new Settlement.Retry(stale, Duration.ZERO, "late retry"),
                new Settlement.Kill(stale, "late kill"), new Settlement.Release(stale))) {
            assertThat(settle(backend(), late)).as("%s with the cancelled task's token", late.getClass().getSimpleName()).isEmpty();
        }
        TaskRecord cancelled = stored(queue, pushed.id());
        assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(cancelled.result()).as("result after the refused completion").isNull();
        assertThat(cancelled.lastError()).as("error after the refused retry and kill").isNull();
        assertThat(cancelled.finishedAt()).as("finishedAt of the cancelled task").isNotNull();
        assertThat(cancelled.attempt()).as("attempt of the cancelled task").isEqualTo(1);
        assertThat(backend().cancel(queue, pushed.id())).as("cancel it again").isEqualTo(new CancelResult.AlreadyFinished(pushed.id(), TaskState.CANCELLED));

        Instant leaseEnd = stale.expiresAt().plus(CLOCK_TOLERANCE);
        Await.until(WAIT, () -> Instant.now().isAfter(leaseEnd), "the cancelled task's lease would have run out (" + leaseEnd + ")");
        assertThat(backend().claim(queue, Names.worker("s50b"), 10, LONG_LEASE)).as("claim after the cancelled lease's end").isEmpty();
        assertThat(stored(queue, pushed.id()).state()).as("the cancelled task after its lease's end").isEqualTo(TaskState.CANCELLED);

        assertThat(backend().requeue(queue, pushed.id())).as("requeue of the cancelled task").isTrue();
        ClaimedTask again = claimOne(open(), queue, Names.worker("s50c"), LONG_LEASE);
        assertThat(again.task().id()).isEqualTo(pushed.id());
        assertThat(again.lease().token()).as("the new claim's token").isNotEqualTo(stale.token());
        assertThat(backend().heartbeat(List.of(stale), LONG_LEASE)).as("heartbeat of the old token after requeue and claim").isEmpty();
        assertThat(settle(backend(), new Settlement.Complete(stale, utf8("stale")))).as("completion with the old token").isEmpty();
        assertThat(backend().cancelled(List.of(again.lease()))).as("the new lease is not cancelled").isEmpty();
        assertThat(settle(backend(), new Settlement.Complete(again.lease(), utf8("fresh")))).as("completion with the new token")
                .containsExactly(again.lease().token());
        assertThat(text(stored(queue, pushed.id()).result())).isEqualTo("fresh");
        assertThat(backend().cancelled(List.of(again.lease()))).as("a completed lease is not cancelled").isEmpty();
    }

    @Test
    @DisplayName("S51 (optional: INSPECTION) Cancelling a finished task says how it finished (DONE, DEAD, CANCELLED) and changes nothing; an unknown id, or one of another queue, is reported unknown")
    void optional_S51_cancelOfFinishedSaysSo() {
        QueueName queue = Names.queue();
        QueueName other = Names.queue();
        push(task(other).build());
        NewTask done = push(task(queue).build());
        NewTask dead = push(task(queue).build());
        NewTask cancelled = push(task(queue).runAt(Instant.now().plusSeconds(3600)).build());
        List<ClaimedTask> claimed = backend().claim(queue, Names.worker("s51"), 2, LONG_LEASE);
        assertThat(ids(claimed)).containsExactly(done.id(), dead.id());
        assertThat(backend().settle(List.of(new Settlement.Complete(claimed.get(0).lease(), utf8("the result")),
                new Settlement.Kill(claimed.get(1).lease(), "poison")))).hasSize(2);
        assertThat(backend().cancel(queue, cancelled.id())).isEqualTo(new CancelResult.Cancelled(cancelled.id(), TaskState.PENDING));

        List<TaskRecord> before = List.of(stored(queue, done.id()), stored(queue, dead.id()), stored(queue, cancelled.id()));
        assertThat(backend().cancel(queue, done.id())).as("cancel a DONE task").isEqualTo(new CancelResult.AlreadyFinished(done.id(), TaskState.DONE));
        assertThat(open().cancel(queue, dead.id())).as("cancel a DEAD task").isEqualTo(new CancelResult.AlreadyFinished(dead.id(), TaskState.DEAD));
        assertThat(backend().cancel(queue, cancelled.id())).as("cancel a CANCELLED task")
                .isEqualTo(new CancelResult.AlreadyFinished(cancelled.id(), TaskState.CANCELLED));
        TaskId unknown = TaskId.generate();
        assertThat(backend().cancel(queue, unknown)).as("cancel an unknown id").isEqualTo(new CancelResult.Unknown(unknown));
        assertThat(backend().cancel(other, done.id())).as("cancel %s's DONE task asked of another queue, %s", queue, other)
                .isEqualTo(new CancelResult.Unknown(done.id()));
        assertThat(backend().cancel(queue, done.id()).cancelled()).isFalse();

        List<TaskRecord> after = List.of(stored(queue, done.id()), stored(queue, dead.id()), stored(queue, cancelled.id()));
        for (int i = 0; i < before.size(); i++) {
            TaskRecord b = before.get(i);
            TaskRecord a = after.get(i);
            assertThat(a.state()).as("state of %s after the cancels", b.id()).isEqualTo(b.state());
            assertThat(a.result()).as("result of %s after the cancels", b.id()).isEqualTo(b.result());
            assertThat(a.lastError()).as("error of %s after the cancels", b.id()).isEqualTo(b.lastError());
            assertThat(a.finishedAt()).as("finishedAt of %s after the cancels", b.id()).isEqualTo(b.finishedAt());
            assertThat(a.attempt()).as("attempt of %s after the cancels", b.id()).isEqualTo(b.attempt());
        }
        assertThat(text(after.get(0).result())).isEqualTo("the result");
        assertThat(after.get(1).lastError()).isEqualTo("poison");
    }

    @Test
    @DisplayName("S52 (optional: INSPECTION) A cancel and a completion of the same running task at the same moment, through two instances: exactly one of them applies, 40 times over")
    void optional_S52_cancelRacingACompletionHasOneWinner() throws Exception {
        QueueName queue = Names.queue();
        int n = 40;
        List<NewTask> tasks = pushAll(IntStream.range(0, n).mapToObj(i -> task(queue).build()).toList());
        List<ClaimedTask> claimed = claimAll(backend(), queue, Names.worker("s52"));
        assertThat(claimed).hasSize(n);
        Backend completer = open();
        Backend canceller = open();
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<Set<LeaseToken>>> completions = threads.submit(() -> {
                List<Set<LeaseToken>> applied = new ArrayList<>();
                for (ClaimedTask c : claimed) {
                    together.await();
                    applied.add(completer.settle(List.of(new Settlement.Complete(c.lease(), utf8("done " + c.task().id())))));
                }
                return applied;
            });
            Future<List<CancelResult>> cancels = threads.submit(() -> {
                List<CancelResult> results = new ArrayList<>();
                for (ClaimedTask c : claimed) {
                    together.await();
                    results.add(canceller.cancel(queue, c.task().id()));
                }
                return results;
            });
            List<Set<LeaseToken>> applied = completions.get();
            List<CancelResult> results = cancels.get();
            int completedFirst = 0;
            for (int i = 0; i < n; i++) {
                ClaimedTask c = claimed.get(i);
                TaskId id = c.task().id();
                TaskRecord r = stored(queue, id);
                boolean completionApplied = applied.get(i).contains(c.lease().token());
                if (completionApplied) {
                    completedFirst++;
                    assertThat(results.get(i)).as("cancel of %s, whose completion applied", id).isEqualTo(new CancelResult.AlreadyFinished(id, TaskState.DONE));
                    assertThat(r.state()).as("state of %s, whose completion applied", id).isEqualTo(TaskState.DONE);
                    assertThat(text(r.result())).isEqualTo("done " + id);
                } else {
                    assertThat(results.get(i)).as("cancel of %s, whose completion was refused", id).isEqualTo(new CancelResult.Cancelled(id, TaskState.RUNNING));
                    assertThat(r.state()).as("state of %s, whose completion was refused", id).isEqualTo(TaskState.CANCELLED);
                    assertThat(r.result()).as("result of %s, whose completion was refused", id).isNull();
                }
            }
            assertThat(tasks).hasSize(n);
            assertThat(KitTasks.count(backend().counts(queue), TaskState.DONE)).as("DONE tasks: the completions that won").isEqualTo(completedFirst);
            assertThat(KitTasks.count(backend().counts(queue), TaskState.CANCELLED)).as("CANCELLED tasks: the cancels that won").isEqualTo(n - completedFirst);
        } finally {
            threads.shutdownNow();
        }
    }
}

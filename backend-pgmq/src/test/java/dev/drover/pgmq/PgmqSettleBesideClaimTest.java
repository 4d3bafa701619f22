package dev.drover.pgmq;

import dev.drover.api.DroverException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.SettledThenClaimed;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PGMQ runs final settlements (completions without follow-ups, kills) beside the claim, on two connections at once
 * ({@link SettleBesideClaim}); the kit's S35 checks the result is the sequential one. These check what the kit cannot
 * cause: kills beside a claim, and settlements that fail while the claim beside them succeeded.
 */
class PgmqSettleBesideClaimTest {
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final WorkerId WORKER = new WorkerId("beside-claim");

    @Test
    void killsAndCompletionsBesideAClaimLeaveEveryTaskWhereTheSequentialOrderWould() {
        QueueName queue = Names.queue();
        try (Backend backend = Backends.open(PgTestDatabase.plainUrl())) {
            List<TaskId> ids = push(backend, queue, 6);
            List<ClaimedTask> first = backend.claim(queue, WORKER, 3, LEASE);
            SettledThenClaimed cycle = backend.settleThenClaim(List.of(
                    new Settlement.Complete(first.get(0).lease(), null, List.of()),
                    new Settlement.Kill(first.get(1).lease(), "failed for good")), queue, WORKER, 10, LEASE);

            assertThat(cycle.claimFailed()).isNull();
            assertThat(cycle.applied()).containsExactlyInAnyOrder(first.get(0).lease().token(), first.get(1).lease().token());
            assertThat(cycle.claimed()).extracting(t -> t.task().id()).containsExactly(ids.get(3), ids.get(4), ids.get(5));
            assertThat(backend.counts(queue)).containsEntry(TaskState.DONE, 1L).containsEntry(TaskState.DEAD, 1L)
                    .containsEntry(TaskState.RUNNING, 4L).doesNotContainKey(TaskState.PENDING);
        }
    }

    @Test
    void settlementsThatFailBesideASuccessfulClaimGiveTheClaimedTasksBack() {
        QueueName queue = Names.queue();
        try (Backend backend = Backends.open(PgTestDatabase.plainUrl())) {
            List<TaskId> ids = push(backend, queue, 4);
            List<ClaimedTask> first = backend.claim(queue, WORKER, 2, LEASE);
            // PostgreSQL's text cannot hold U+0000: the kill's statement fails on the server, a real failure of the settle
            Settlement unstorable = new Settlement.Kill(first.get(0).lease(), "an error with a \u0000 in it");

            assertThatThrownBy(() -> backend.settleThenClaim(List.of(unstorable), queue, WORKER, 10, LEASE))
                    .isInstanceOf(DroverException.class);

            assertThat(backend.counts(queue)).as("the failed kill changed nothing, and the two tasks the claim beside it took are pending again")
                    .containsEntry(TaskState.RUNNING, 2L).containsEntry(TaskState.PENDING, 2L);
            List<ClaimedTask> again = backend.claim(queue, WORKER, 10, LEASE);
            assertThat(again).extracting(t -> t.task().id()).containsExactly(ids.get(2), ids.get(3));
            assertThat(again).extracting(t -> t.task().attempt()).as("given back with their attempt returned").containsExactly(1, 1);
        }
    }

    private static List<TaskId> push(Backend backend, QueueName queue, int n) {
        List<NewTask> tasks = IntStream.range(0, n)
                .mapToObj(i -> NewTask.builder(queue, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), "json").build()).toList();
        backend.push(tasks);
        return tasks.stream().map(NewTask::id).toList();
    }
}

package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.SettledThenClaimed;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.text;
import static dev.drover.conformance.KitTasks.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rule S35: settle then claim ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code SettleThenClaim} binds them to the
 * storage of the running test.
 */
abstract class SettleThenClaimRules extends StorageRules {
    SettleThenClaimRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S35 settleThenClaim applies the settlements whose lease is held, then claims up to max due tasks: a task it settles is not claimed again unless it released it")
    void S35_settleThenClaim() {
        QueueName queue = Names.queue();
        WorkerId worker = Names.worker("s35");
        List<NewTask> tasks = pushAll(java.util.stream.IntStream.range(0, 4).mapToObj(i -> task(queue).build()).toList());
        List<ClaimedTask> first = backend().claim(queue, worker, 2, LONG_LEASE);
        assertThat(ids(first)).containsExactly(tasks.get(0).id(), tasks.get(1).id());
        Lease held = first.get(0).lease();
        Lease stillRunning = first.get(1).lease();
        Lease forged = new Lease(stillRunning.taskId(), queue, worker, new LeaseToken("not-" + stillRunning.token().value()), stillRunning.expiresAt());

        SettledThenClaimed both = backend().settleThenClaim(List.of(new Settlement.Complete(held, utf8("done"), List.of()),
                new Settlement.Complete(forged, null, List.of())), queue, worker, 10, LONG_LEASE);
        assertThat(both.claimFailed()).isNull();
        assertThat(both.applied()).as("settlements applied").containsExactly(held.token());
        assertThat(ids(both.claimed())).as("claimed after settling: neither the completed task nor the one still leased")
                .containsExactly(tasks.get(2).id(), tasks.get(3).id());

        SettledThenClaimed settleOnly = backend().settleThenClaim(List.of(new Settlement.Complete(stillRunning, null, List.of())),
                queue, worker, 0, LONG_LEASE);
        assertThat(settleOnly.applied()).containsExactly(stillRunning.token());
        assertThat(settleOnly.claimed()).as("max 0 claims nothing").isEmpty();

        SettledThenClaimed claimOnly = backend().settleThenClaim(List.of(), queue, worker, 10, LONG_LEASE);
        assertThat(claimOnly.applied()).isEmpty();
        assertThat(claimOnly.claimed()).as("nothing is due").isEmpty();

        ClaimedTask released = both.claimed().getFirst();
        SettledThenClaimed again = backend().settleThenClaim(List.of(new Settlement.Release(released.lease())), queue, worker, 1, LONG_LEASE);
        assertThat(again.applied()).containsExactly(released.lease().token());
        assertThat(ids(again.claimed())).as("a task released by the call is due for its claim").containsExactly(released.task().id());
        assertThat(again.claimed().getFirst().lease().token()).isNotEqualTo(released.lease().token());

        if (has(INSPECTION)) {
            assertThat(stored(queue, held.taskId()).state()).isEqualTo(TaskState.DONE);
            assertThat(text(stored(queue, held.taskId()).result())).isEqualTo("done");
            assertThat(stored(queue, stillRunning.taskId()).state()).isEqualTo(TaskState.DONE);
        }
    }
}

package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.text;
import static dev.drover.conformance.KitTasks.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S14-S19: leases and fencing ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code Leases} binds them to the
 * storage of the running test.
 */
abstract class LeaseRules extends StorageRules {
    LeaseRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S14 (required) Heartbeats keep a lease past its first expiry: the holder keeps it and no one else can claim the task")
    void required_S14_heartbeatKeepsTheLease() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).build());
        ClaimedTask held = claimOne(backend(), queue, Names.worker("holder"), Duration.ofSeconds(1));
        Backend other = open();
        WorkerId rival = Names.worker("rival");
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int beats = 0;
        while (System.nanoTime() < until) {
            assertThat(backend().heartbeat(List.of(held.lease()), Duration.ofSeconds(2)))
                    .as("heartbeat #%d", beats + 1).containsExactly(held.lease().token());
            beats++;
            assertThat(other.claim(queue, rival, 10, LONG_LEASE)).as("rival's claim after heartbeat #%d", beats).isEmpty();
            Await.pause(Duration.ofMillis(200)); // the holder's pace between heartbeats
        }
        if (has(INSPECTION)) {
            assertThat(stored(queue, pushed.id()).leaseExpiresAt()).as("lease expiry after heartbeats")
                    .isAfter(held.lease().expiresAt().plusSeconds(1));
        }
        assertThat(settle(backend(), new Settlement.Complete(held.lease(), null))).as("complete with the heartbeaten lease")
                .containsExactly(held.lease().token());
    }

    @Test
    @DisplayName("S15 (required) A heartbeat returns the tokens of the leases still held, and not those of tasks completed or released")
    void required_S15_heartbeatReportsOnlyHeldLeases() {
        QueueName queue = Names.queue();
        pushAll(List.of(task(queue).build(), task(queue).build(), task(queue).build()));
        List<ClaimedTask> claimed = backend().claim(queue, Names.worker("s15"), 3, LONG_LEASE);
        assertThat(claimed).hasSize(3);
        ClaimedTask completed = claimed.get(0);
        ClaimedTask released = claimed.get(1);
        ClaimedTask held = claimed.get(2);
        settle(backend(), new Settlement.Complete(completed.lease(), null));
        settle(backend(), new Settlement.Release(released.lease()));
        assertThat(backend().heartbeat(claimed.stream().map(ClaimedTask::lease).toList(), LONG_LEASE))
                .containsExactly(held.lease().token());
        if (has(INSPECTION)) {
            assertThat(stored(queue, completed.task().id()).state()).isEqualTo(TaskState.DONE);
            assertThat(stored(queue, released.task().id()).state()).isEqualTo(TaskState.PENDING);
        }
    }

    @Test
    @DisplayName("S16 (required) When a lease runs out, the task is claimed again, with attempt + 1 and a new token; it is not claimed again before")
    void required_S16_expiredLeaseIsRedelivered() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).build());
        WorkerId crashed = Names.worker("crashed");
        WorkerId next = Names.worker("next");
        // long enough that a redelivery at two thirds of it already falls before the lower bound below
        Duration lease = Duration.ofSeconds(1);
        Instant beforeClaim = Instant.now();
        ClaimedTask first = claimOne(backend(), queue, crashed, lease);
        Instant notBefore = beforeClaim.plus(lease).minus(CLOCK_TOLERANCE);
        Backend other = open();
        Instant[] claimedBy = new Instant[1];
        ClaimedTask again = Await.value(WAIT, () -> {
            List<ClaimedTask> got = other.claim(queue, next, 1, LONG_LEASE);
            claimedBy[0] = Instant.now();
            return got.stream().findFirst();
        }, next + " claims task " + pushed.id() + " after its lease ran out");
        assertThat(again.task().id()).as("the task claimed again").isEqualTo(pushed.id());
        assertThat(claimedBy[0]).as("when task %s was claimed again: its lease of %d ms was taken after %s, so it runs out after %s "
                + "(less %d ms of clock allowance)", pushed.id(), lease.toMillis(), beforeClaim, beforeClaim.plus(lease),
                CLOCK_TOLERANCE.toMillis()).isAfterOrEqualTo(notBefore);
        assertThat(again.task().attempt()).isEqualTo(first.task().attempt() + 1).isEqualTo(2);
        assertThat(again.lease().token()).isNotEqualTo(first.lease().token());
        assertThat(again.lease().owner()).isEqualTo(next);
        assertThat(again.task().leaseOwner()).isEqualTo(next.value());
        assertThat(again.task().state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    @DisplayName("S17 (required) A RUNNING task whose lease runs out on its last attempt goes DEAD with an error, instead of being claimed again")
    void required_S17_expiryOnLastAttemptIsDead() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).maxAttempts(2).build());
        ClaimedTask first = claimOne(backend(), queue, Names.worker("first"), SHORT_LEASE);
        ClaimedTask second = awaitClaim(backend(), queue, Names.worker("second"), SHORT_LEASE, pushed.id());
        assertThat(second.task().attempt()).isEqualTo(2);
        Instant secondExpires = Instant.now().plus(SHORT_LEASE);
        WorkerId third = Names.worker("third");
        Await.until(WAIT, () -> {
            List<ClaimedTask> got = backend().claim(queue, third, 10, LONG_LEASE);
            assertThat(ids(got)).as("claim after the last attempt's lease ran out").doesNotContain(pushed.id());
            if (has(INSPECTION)) return stored(queue, pushed.id()).state() == TaskState.DEAD;
            return Instant.now().isAfter(secondExpires.plusSeconds(1));
        }, "task " + pushed.id() + " is DEAD after its last attempt's lease ran out");
        if (has(INSPECTION)) {
            TaskRecord dead = stored(queue, pushed.id());
            assertThat(dead.lastError()).as("error of the task that died with its lease").isNotBlank();
            assertThat(dead.attempt()).isEqualTo(2);
        }
        assertThat(backend().settle(List.of(new Settlement.Complete(first.lease(), null), new Settlement.Complete(second.lease(), null))))
                .as("late completions of the dead task's lost leases").isEmpty();
        if (has(INSPECTION)) assertThat(stored(queue, pushed.id()).state()).isEqualTo(TaskState.DEAD);
    }

    @Test
    @DisplayName("S18 (required) A stale lease token (lost when the lease ran out and another worker claimed the task) changes nothing: complete, retry, kill, release and heartbeat are refused")
    void required_S18_staleTokenIsFenced() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).payload("original").build());
        WorkerId other = Names.worker("other");
        Takeover t = takeOver(queue, pushed.id(), Names.worker("slow"), other);
        Lease stale = t.stale().lease();
        Lease fresh = t.fresh().lease();
        assertThat(fresh.token()).isNotEqualTo(stale.token());

        assertThat(settle(backend(), new Settlement.Complete(stale, utf8("stale result")))).as("stale complete").isEmpty();
        assertThat(settle(backend(), new Settlement.Retry(stale, Duration.ZERO, "stale retry"))).as("stale retry").isEmpty();
        assertThat(settle(backend(), new Settlement.Kill(stale, "stale kill"))).as("stale kill").isEmpty();
        assertThat(settle(backend(), new Settlement.Release(stale))).as("stale release").isEmpty();
        assertThat(backend().heartbeat(List.of(stale), LONG_LEASE)).as("stale heartbeat").isEmpty();

        assertThat(backend().claim(queue, Names.worker("third"), 10, LONG_LEASE)).as("claim after the stale calls").isEmpty();
        assertThat(backend().heartbeat(List.of(fresh), LONG_LEASE)).as("the fresh lease").containsExactly(fresh.token());
        if (has(INSPECTION)) {
            TaskRecord s = stored(queue, pushed.id());
            assertThat(s.state()).isEqualTo(TaskState.RUNNING);
            assertThat(s.attempt()).isEqualTo(2);
            assertThat(s.leaseOwner()).isEqualTo(other.value());
            assertThat(s.result()).as("result").isNull();
            assertThat(s.lastError()).as("last error").satisfiesAnyOf(e -> assertThat(e).isNull(), e -> assertThat(e).doesNotContain("stale"));
            assertThat(text(s.payload())).isEqualTo("original");
        }
        assertThat(settle(backend(), new Settlement.Complete(fresh, utf8("fresh result")))).containsExactly(fresh.token());
        if (has(INSPECTION)) {
            TaskRecord s = stored(queue, pushed.id());
            assertThat(s.state()).isEqualTo(TaskState.DONE);
            assertThat(text(s.result())).isEqualTo("fresh result");
        }
    }

    @Test
    @DisplayName("S19 (required) A list of settlements applies exactly those whose lease is still held and returns their tokens")
    void required_S19_settleAppliesOnlyHeldLeases() {
        QueueName queue = Names.queue();
        NewTask x = push(task(queue).build());
        WorkerId other = Names.worker("other");
        Takeover t = takeOver(queue, x.id(), Names.worker("slow"), other);
        NewTask y = push(task(queue).build());
        ClaimedTask freshY = claimOne(backend(), queue, other, LONG_LEASE);
        assertThat(freshY.task().id()).isEqualTo(y.id());

        Set<LeaseToken> applied = backend().settle(List.of(new Settlement.Complete(t.stale().lease(), null),
                new Settlement.Complete(freshY.lease(), utf8("y done"))));
        assertThat(applied).containsExactly(freshY.lease().token());
        assertThat(backend().heartbeat(List.of(t.fresh().lease(), freshY.lease()), LONG_LEASE))
                .as("x is still held by its fresh lease; y is done").containsExactly(t.fresh().lease().token());
        if (has(INSPECTION)) {
            assertThat(stored(queue, x.id()).state()).isEqualTo(TaskState.RUNNING);
            assertThat(stored(queue, y.id()).state()).isEqualTo(TaskState.DONE);
        }
    }
}

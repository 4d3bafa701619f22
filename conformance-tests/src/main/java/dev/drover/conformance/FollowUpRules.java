package dev.drover.conformance;

import dev.drover.api.FollowUp;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static dev.drover.api.Capability.FOLLOW_UPS;
import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.dueNow;
import static dev.drover.conformance.KitTasks.retryTransient;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.text;
import static dev.drover.conformance.KitTasks.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S33-S34: follow-ups ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code FollowUps} binds them to the
 * storage of the running test.
 */
abstract class FollowUpRules extends StorageRules {
    FollowUpRules(StorageContract kit) {
        super(kit);
    }

    @BeforeEach
    void needsFollowUps() {
        requires(FOLLOW_UPS, "S33-S34");
    }

    @Test
    @DisplayName("S33 (optional: FOLLOW_UPS) A completion pushes its follow-ups with it: only if applied, only when awaited tasks are DONE, never when the unless task exists, never twice")
    void optional_S33_completionPushesItsFollowUps() {
        QueueName queue = Names.queue();
        WorkerId worker = Names.worker("s33");
        NewTask first = push(task(queue).build());
        NewTask other = push(task(queue).runAt(dueNow().plus(Duration.ofDays(1))).build()); // awaited, never DONE
        ClaimedTask claimed = claimOne(backend(), queue, worker, LONG_LEASE);
        assertThat(claimed.task().id()).isEqualTo(first.id());

        NewTask next = task(queue).payload("next").priority(3).maxAttempts(4).metadata(Map.of("step", "2")).build();
        NewTask blockedByAwait = task(queue).build();
        TaskId marker = TaskId.generate();
        NewTask blockedByMarker = task(queue).build();
        push(task(queue).id(marker).runAt(dueNow().plus(Duration.ofDays(1))).build());
        NewTask existing = task(queue).id(other.id()).payload("impostor").build(); // an id already stored: skipped
        Set<LeaseToken> applied = backend().settle(List.of(new Settlement.Complete(claimed.lease(), utf8("out"), List.of(
                new FollowUp(next, Set.of(first.id()), null),
                new FollowUp(blockedByAwait, Set.of(first.id(), other.id()), null),
                new FollowUp(blockedByMarker, Set.of(), marker),
                FollowUp.of(existing)))));
        assertThat(applied).containsExactly(claimed.lease().token());

        List<ClaimedTask> after = claimAll(open(), queue, worker);
        assertThat(ids(after)).as("tasks due after the completion").containsExactly(next.id());
        TaskRecord pushed = after.getFirst().task();
        assertThat(text(pushed.payload())).isEqualTo("next");
        assertThat(pushed.maxAttempts()).isEqualTo(4);
        assertThat(pushed.metadata()).isEqualTo(Map.of("step", "2"));
        if (has(INSPECTION)) {
            assertThat(backend().get(queue, blockedByAwait.id())).as("a follow-up awaiting a task that is not DONE").isEmpty();
            assertThat(backend().get(queue, blockedByMarker.id())).as("a follow-up whose unless task exists").isEmpty();
            assertThat(text(stored(queue, other.id()).payload())).as("the stored task whose id a follow-up reused").isNotEqualTo("impostor");
        }

        // A stale completion (lease lost) pushes nothing; a second completion of the same lease pushes nothing again.
        NewTask late = push(task(queue).build());
        Takeover takeover = takeOver(queue, late.id(), Names.worker("s33-slow"), Names.worker("s33-fresh"));
        NewTask fromStale = task(queue).build();
        assertThat(settle(backend(), new Settlement.Complete(takeover.stale().lease(), null, List.of(FollowUp.of(fromStale))))).isEmpty();
        NewTask fromFresh = task(queue).build();
        assertThat(settle(backend(), new Settlement.Complete(takeover.fresh().lease(), null, List.of(FollowUp.of(fromFresh))))).hasSize(1);
        assertThat(settle(backend(), new Settlement.Complete(takeover.fresh().lease(), null, List.of(FollowUp.of(task(queue).build()))))).isEmpty();
        List<ClaimedTask> last = claimAll(backend(), queue, worker);
        assertThat(ids(last)).as("follow-ups of a stale and of a repeated completion").containsExactly(fromFresh.id());
    }

    @Test
    @DisplayName("S34 (optional: FOLLOW_UPS) Concurrent completions awaiting each other push their shared follow-up exactly once")
    void optional_S34_concurrentJoinPushesOnce() throws Exception {
        int inputs = 6;
        for (int round = 0; round < 5; round++) {
            QueueName queue = Names.queue();
            List<NewTask> tasks = pushAll(java.util.stream.IntStream.range(0, inputs).mapToObj(i -> task(queue).build()).toList());
            Set<TaskId> awaited = new HashSet<>(newIds(tasks));
            List<Backend> instances = new ArrayList<>();
            List<ClaimedTask> claims = new ArrayList<>();
            for (int i = 0; i < inputs; i++) {
                Backend b = open();
                instances.add(b);
                claims.add(claimOne(b, queue, Names.worker("s34-" + i), LONG_LEASE));
            }
            TaskId joinId = TaskId.generate();
            CyclicBarrier start = new CyclicBarrier(inputs);
            ExecutorService pool = Executors.newFixedThreadPool(inputs);
            try {
                List<Future<Set<LeaseToken>>> done = new ArrayList<>();
                for (int i = 0; i < inputs; i++) {
                    Backend b = instances.get(i);
                    ClaimedTask c = claims.get(i);
                    done.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return KitTasks.retryTransient(() -> b.settle(List.of(new Settlement.Complete(c.lease(), null,
                                List.of(new FollowUp(task(queue).id(joinId).payload("join").build(), awaited, null))))), new AtomicInteger());
                    }));
                }
                for (Future<Set<LeaseToken>> f : done) assertThat(f.get(60, TimeUnit.SECONDS)).hasSize(1);
            } finally {
                pool.shutdownNow();
                // each round's instances are closed with it: kept to the end, five rounds of six instances held
                // some 90 PostgreSQL connections, near the server's default limit of 100
                                closeInstances(instances);
            }
            List<ClaimedTask> joins = claimAll(backend(), queue, Names.worker("s34-join"));
            assertThat(ids(joins)).as("round %d: the join follow-up of %d concurrent completions", round, inputs).containsExactly(joinId);
        }
    }
}

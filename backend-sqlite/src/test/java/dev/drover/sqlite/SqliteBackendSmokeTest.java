package dev.drover.sqlite;

import dev.drover.api.CancelResult;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQLite backend end to end on a real file: push, claim, heartbeat, settle, inspect. The conformance kit checks the rules in depth. */
class SqliteBackendSmokeTest {
    static final QueueName EMAILS = QueueName.of("emails");
    static final WorkerId WORKER = new WorkerId("worker-1");
    static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    TestClock clock;
    SqliteBackend backend;

    @BeforeEach
    void open() {
        clock = TestClock.startingNow();
        backend = SqliteBackend.open(dir.resolve("jobs.db"), SqliteOptions.defaults(), clock);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void pushClaimCompleteStoresEverythingAndBatchesTheSettles() {
        Instant now = clock.instant();
        NewTask low = NewTask.builder(EMAILS, bytes("low"), "text").runAt(now).maxAttempts(3).metadata(Map.of("tenant", "acme", "ü", "ünïcode")).build();
        NewTask high = NewTask.builder(EMAILS, new byte[] {0, -1, 7}, "bytes").priority(5).runAt(now).maxAttempts(3).build();
        NewTask later = NewTask.builder(EMAILS, bytes("later"), "text").priority(9).runAt(now.plusSeconds(60)).maxAttempts(3).build();
        backend.push(List.of(low, high, later));

        List<ClaimedTask> claimed = backend.claim(EMAILS, WORKER, 10, LEASE);

        assertThat(claimed).extracting(c -> c.task().id()).containsExactly(high.id(), low.id());
        TaskRecord first = claimed.getFirst().task();
        assertThat(first.state()).isEqualTo(TaskState.RUNNING);
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.payload()).containsExactly(0, -1, 7);
        assertThat(first.leaseOwner()).isEqualTo(WORKER.value());
        assertThat(first.leaseExpiresAt()).isEqualTo(Instant.ofEpochMilli(now.toEpochMilli()).plus(LEASE));
        assertThat(claimed.get(1).task().metadata()).isEqualTo(Map.of("tenant", "acme", "ü", "ünïcode"));
        assertThat(claimed.get(0).lease().token()).isNotEqualTo(claimed.get(1).lease().token());

        Set<LeaseToken> applied = backend.settle(List.of(
                new Settlement.Complete(claimed.get(0).lease(), bytes("sent")),
                new Settlement.Complete(claimed.get(1).lease(), null)));

        assertThat(applied).containsExactlyInAnyOrder(claimed.get(0).lease().token(), claimed.get(1).lease().token());
        TaskRecord done = backend.get(EMAILS, high.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(TaskState.DONE);
        assertThat(done.result()).isEqualTo(bytes("sent"));
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.leaseExpiresAt()).isNull();
        assertThat(done.leaseOwner()).as("kept as who ran it last").isEqualTo(WORKER.value());
        assertThat(backend.counts(EMAILS)).containsEntry(TaskState.DONE, 2L).containsEntry(TaskState.PENDING, 1L);
    }

    @Test
    void aStaleTokenChangesNothingAndAnExpiredLastAttemptGoesDead() {
        backend.push(List.of(Tasks.task("emails", "once", 0, clock.instant(), 1), Tasks.task("emails", "twice", 0, clock.instant(), 2)));
        List<ClaimedTask> first = backend.claim(EMAILS, WORKER, 2, LEASE);
        assertThat(first).hasSize(2);

        clock.advance(LEASE.plusSeconds(1));
        List<ClaimedTask> second = backend.claim(EMAILS, new WorkerId("worker-2"), 10, LEASE);

        ClaimedTask twice = first.stream().filter(c -> c.task().maxAttempts() == 2).findFirst().orElseThrow();
        ClaimedTask once = first.stream().filter(c -> c.task().maxAttempts() == 1).findFirst().orElseThrow();
        assertThat(second).extracting(c -> c.task().id()).containsExactly(twice.task().id());
        assertThat(second.getFirst().task().attempt()).isEqualTo(2);
        TaskRecord dead = backend.get(EMAILS, once.task().id()).orElseThrow();
        assertThat(dead.state()).isEqualTo(TaskState.DEAD);
        assertThat(dead.lastError()).isEqualTo("lease of worker worker-1 expired on the last attempt (1 of 1); the worker probably died");

        assertThat(backend.heartbeat(List.of(twice.lease()), LEASE)).as("the first worker lost the lease").isEmpty();
        assertThat(backend.settle(List.of(new Settlement.Complete(twice.lease(), null)))).isEmpty();
        assertThat(backend.heartbeat(List.of(second.getFirst().lease()), LEASE)).containsExactly(second.getFirst().lease().token());
        assertThat(backend.get(EMAILS, twice.task().id()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void retryKillReleaseAndInspection() {
        List<NewTask> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) tasks.add(Tasks.task("emails", "t" + i, 0, clock.instant(), 5));
        backend.push(tasks);
        List<ClaimedTask> claimed = backend.claim(EMAILS, WORKER, 3, LEASE);

        Set<LeaseToken> applied = backend.settle(List.of(
                new Settlement.Release(claimed.get(0).lease()),
                new Settlement.Retry(claimed.get(1).lease(), Duration.ofSeconds(10), "smtp down"),
                new Settlement.Kill(claimed.get(2).lease(), "bad address")));

        assertThat(applied).hasSize(3);
        TaskRecord released = backend.get(EMAILS, claimed.get(0).task().id()).orElseThrow();
        assertThat(released.state()).isEqualTo(TaskState.PENDING);
        assertThat(released.attempt()).as("a release gives the attempt back").isZero();
        TaskRecord retried = backend.get(EMAILS, claimed.get(1).task().id()).orElseThrow();
        assertThat(retried.state()).isEqualTo(TaskState.PENDING);
        assertThat(retried.runAt()).isEqualTo(clock.instant().plusSeconds(10));
        assertThat(retried.lastError()).isEqualTo("smtp down");
        TaskRecord killed = backend.get(EMAILS, claimed.get(2).task().id()).orElseThrow();
        assertThat(killed.state()).isEqualTo(TaskState.DEAD);
        assertThat(killed.lastError()).isEqualTo("bad address");

        assertThat(backend.cancel(EMAILS, tasks.get(3).id())).isEqualTo(new CancelResult.Cancelled(tasks.get(3).id(), TaskState.PENDING));
        assertThat(backend.cancel(EMAILS, tasks.get(3).id())).isEqualTo(new CancelResult.AlreadyFinished(tasks.get(3).id(), TaskState.CANCELLED));
        assertThat(backend.requeue(EMAILS, killed.id())).isTrue();
        TaskRecord requeued = backend.get(EMAILS, killed.id()).orElseThrow();
        assertThat(requeued.state()).isEqualTo(TaskState.PENDING);
        assertThat(requeued.attempt()).isZero();
        assertThat(requeued.lastError()).isEqualTo("bad address");
        assertThat(backend.requeue(EMAILS, killed.id())).isFalse();

        List<TaskRecord> page1 = backend.list(TaskQuery.of(EMAILS).limit(2));
        List<TaskRecord> page2 = backend.list(TaskQuery.of(EMAILS).after(page1.getLast().id()).limit(2));
        assertThat(page1).extracting(TaskRecord::id).containsExactly(tasks.get(0).id(), tasks.get(1).id());
        assertThat(page2).extracting(TaskRecord::id).containsExactly(tasks.get(2).id(), tasks.get(3).id());
        assertThat(backend.list(TaskQuery.of(EMAILS).state(TaskState.CANCELLED))).extracting(TaskRecord::id).containsExactly(tasks.get(3).id());
        assertThat(backend.counts(EMAILS)).isEqualTo(Map.of(TaskState.PENDING, 3L, TaskState.CANCELLED, 1L));
    }

    @Test
    void aBulkPushWithOneBadTaskStoresNone() {
        NewTask good = Tasks.task("emails", "good");
        NewTask clash = NewTask.builder(EMAILS, bytes("same id"), "text").id(good.id()).runAt(clock.instant()).maxAttempts(3).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.push(List.of(good, clash)))
                .isInstanceOf(dev.drover.api.StorageException.class)
                .hasMessageContaining("refused the write");
        assertThat(backend.counts(EMAILS)).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

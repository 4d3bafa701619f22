package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.api.UniqueKey;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.api.Capability.UNIQUE_TASKS;
import static dev.drover.conformance.KitTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S42-S43: unique tasks ({@code SPEC.md}), through {@link Backend#pushReporting}. The scopes are checked
 * through the states the other verbs lead to (claim, settle; cancel and requeue where the backend has
 * {@link dev.drover.api.Capability#INSPECTION}). A period is checked on the backend's clock with a bounded wait.
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code UniqueTasks} binds them to the storage
 * of the running test.
 */
abstract class UniqueTaskRules extends StorageRules {
    /** Long enough for a push, a claim and a completion on a busy machine, short enough to wait out. */
    static final Duration PERIOD = Duration.ofSeconds(3);

    UniqueTaskRules(StorageContract kit) {
        super(kit);
    }

    @BeforeEach
    void needsUniqueTasks() {
        requires(UNIQUE_TASKS, "S42-S43");
    }

    /** Pushes one task through {@code backend} and returns the id standing for it. */
    static TaskId pushOne(Backend backend, NewTask task) {
        List<TaskId> ids = backend.pushReporting(List.of(task));
        assertThat(ids).as("pushReporting of one task").hasSize(1);
        return ids.getFirst();
    }

    private void assertStored(NewTask task, TaskId standing, String what) {
        assertThat(standing).as("%s: the id returned is the new task's own", what).isEqualTo(task.id());
        if (has(INSPECTION)) assertThat(backend().get(task.queue(), task.id())).as("%s: stored", what).isPresent();
    }

    private void assertDuplicate(NewTask task, TaskId standing, TaskId holder, String what) {
        assertThat(standing).as("%s: the id returned is the holder's", what).isEqualTo(holder);
        if (has(INSPECTION)) assertThat(backend().get(task.queue(), task.id())).as("%s: nothing stored", what).isEmpty();
    }

    private static NewTask keyed(QueueName queue, UniqueKey key) {
        return task(queue).unique(key).build();
    }

    @Test
    @DisplayName("S42 (optional: UNIQUE_TASKS) Active scope: a push with a key held by a PENDING or RUNNING task of the queue stores nothing and returns the holder's id; once the holder is DONE, DEAD or CANCELLED the key is free; keys are per queue")
    void optional_S42_activeScope() {
        QueueName queue = Names.queue();
        UniqueKey key = UniqueKey.active("report-" + Names.letters(6));
        NewTask holder = keyed(queue, key);
        assertStored(holder, pushOne(backend(), holder), "first push");
        NewTask second = keyed(queue, key);
        assertDuplicate(second, pushOne(open(), second), holder.id(), "push while the holder is PENDING, through another instance");
        NewTask otherQueue = keyed(Names.queue(), key);
        assertStored(otherQueue, pushOne(backend(), otherQueue), "the same key on another queue");

        ClaimedTask running = claimOne(backend(), queue, Names.worker("s42"), LONG_LEASE);
        assertThat(running.task().id()).isEqualTo(holder.id());
        NewTask third = keyed(queue, key);
        assertDuplicate(third, pushOne(backend(), third), holder.id(), "push while the holder is RUNNING");
        NewTask plain = task(queue).build();
        backend().push(List.of(keyed(queue, key), plain));
        assertThat(claimAll(backend(), queue, Names.worker("s42b"))).as("push(List) applies the key too: only the task without one is due")
                .extracting(c -> c.task().id()).containsExactly(plain.id());

        assertThat(settle(backend(), new Settlement.Complete(running.lease(), null))).hasSize(1);
        NewTask afterDone = keyed(queue, key).toBuilder().maxAttempts(1).build();
        assertStored(afterDone, pushOne(backend(), afterDone), "push after the holder is DONE");

        ClaimedTask dying = claimOne(backend(), queue, Names.worker("s42c"), LONG_LEASE);
        assertThat(settle(backend(), new Settlement.Kill(dying.lease(), "poison"))).hasSize(1);
        NewTask afterDead = keyed(queue, key);
        assertStored(afterDead, pushOne(backend(), afterDead), "push after the holder is DEAD");

        if (has(INSPECTION)) {
            assertThat(backend().cancel(queue, afterDead.id()).cancelled()).isTrue();
            NewTask afterCancel = keyed(queue, key);
            assertStored(afterCancel, pushOne(open(), afterCancel), "push after the holder is CANCELLED");
        }
    }

    @Test
    @DisplayName("S42 (optional: UNIQUE_TASKS) Period scope: a push with a key pushed within the period is a duplicate whatever the holder's state (DONE too); after the period, by the backend's clock, the key is free")
    void optional_S42_periodScope() {
        QueueName queue = Names.queue();
        UniqueKey key = UniqueKey.forPeriod("sync-" + Names.letters(6), PERIOD);
        Instant before = Instant.now();
        NewTask holder = keyed(queue, key);
        assertStored(holder, pushOne(backend(), holder), "first push");
        ClaimedTask running = claimOne(backend(), queue, Names.worker("s42p"), LONG_LEASE);
        assertThat(settle(backend(), new Settlement.Complete(running.lease(), null))).hasSize(1);
        NewTask again = keyed(queue, key);
        TaskId standing = pushOne(open(), again);
        assertThat(Instant.now()).as("the duplicate push came within the period (else the machine is too slow for this rule)")
                .isBefore(before.plus(PERIOD).minus(CLOCK_TOLERANCE));
        assertDuplicate(again, standing, holder.id(), "push within the period, the holder DONE");

        List<NewTask> tries = new ArrayList<>();
        Instant freeAt = Await.value(WAIT.plus(PERIOD), () -> {
            NewTask attempt = keyed(queue, key);
            tries.add(attempt);
            return pushOne(backend(), attempt).equals(attempt.id()) ? java.util.Optional.of(Instant.now()) : java.util.Optional.empty();
        }, "the key of the period push to be free after " + PERIOD);
        assertThat(freeAt).as("the key is free only once the period is over").isAfterOrEqualTo(before.plus(PERIOD).minus(CLOCK_TOLERANCE));
        if (has(INSPECTION)) {
            for (NewTask t : tries.subList(0, tries.size() - 1)) {
                assertThat(backend().get(queue, t.id())).as("a push refused while waiting for the period's end").isEmpty();
            }
        }
    }

    @Test
    @DisplayName("S42 (optional: UNIQUE_TASKS) Until-done scope: a DEAD holder keeps the key (also once requeued, until it is DONE); a DONE holder frees it; a CANCELLED one frees it")
    void optional_S42_untilDoneScope() {
        QueueName queue = Names.queue();
        UniqueKey key = UniqueKey.untilDone("import-" + Names.letters(6));
        NewTask holder = keyed(queue, key).toBuilder().maxAttempts(1).build();
        assertStored(holder, pushOne(backend(), holder), "first push");
        ClaimedTask dying = claimOne(backend(), queue, Names.worker("s42u"), LONG_LEASE);
        assertThat(settle(backend(), new Settlement.Kill(dying.lease(), "poison"))).hasSize(1);
        NewTask whileDead = keyed(queue, key);
        assertDuplicate(whileDead, pushOne(open(), whileDead), holder.id(), "push while the holder is DEAD");

        TaskId doneHolder = holder.id();
        if (has(INSPECTION)) {
            assertThat(backend().requeue(queue, holder.id())).isTrue();
            NewTask whileRequeued = keyed(queue, key);
            assertDuplicate(whileRequeued, pushOne(backend(), whileRequeued), holder.id(), "push while the requeued holder is PENDING");
        } else {
            NewTask fresh = keyed(queue, key);
            assertDuplicate(fresh, pushOne(backend(), fresh), holder.id(), "push while the holder is DEAD, again");
            return; // without requeue a DEAD task never becomes DONE
        }
        ClaimedTask running = claimOne(backend(), queue, Names.worker("s42u2"), LONG_LEASE);
        assertThat(running.task().id()).isEqualTo(doneHolder);
        assertThat(settle(backend(), new Settlement.Complete(running.lease(), null))).hasSize(1);
        NewTask afterDone = keyed(queue, key);
        assertStored(afterDone, pushOne(backend(), afterDone), "push after the holder is DONE");

        assertThat(backend().cancel(queue, afterDone.id()).cancelled()).isTrue();
        NewTask afterCancel = keyed(queue, key);
        assertStored(afterCancel, pushOne(backend(), afterCancel), "push after the holder is CANCELLED");
    }

    @Test
    @DisplayName("S42 (optional: UNIQUE_TASKS) One push of several tasks reports each: stored (its own id) or a duplicate (the holder's id), duplicates within the push collapsing to the first task with the key; all in one transaction")
    void optional_S42_pushReportsDuplicates() {
        QueueName queue = Names.queue();
        UniqueKey held = UniqueKey.active("held-" + Names.letters(6));
        UniqueKey fresh = UniqueKey.active("fresh-" + Names.letters(6));
        NewTask holder = keyed(queue, held);
        pushOne(backend(), holder);
        NewTask a = keyed(queue, fresh);
        NewTask b = keyed(queue, fresh);
        NewTask c = keyed(queue, held);
        NewTask d = task(queue).build();
        NewTask e = keyed(queue, UniqueKey.forPeriod(fresh.key(), PERIOD));
        assertThat(open().pushReporting(List.of(a, b, c, d, e))).as("ids standing for a, b (same key as a), c (key held), d (no key), e (a's key)")
                .containsExactly(a.id(), a.id(), holder.id(), d.id(), a.id());
        assertThat(claimAll(backend(), queue, Names.worker("s42r"))).extracting(x -> x.task().id())
                .containsExactlyInAnyOrder(holder.id(), a.id(), d.id());
        if (has(INSPECTION)) {
            assertThat(backend().counts(queue).getOrDefault(TaskState.RUNNING, 0L)).as("tasks stored").isEqualTo(3);
        }
    }

    @Test
    @DisplayName("S43 (optional: UNIQUE_TASKS) Concurrent pushes of the same keys from several instances and threads store exactly one task per key, and every push returns that task's id")
    void optional_S43_concurrentPushesStoreOne() throws Exception {
        QueueName queue = Names.queue();
        int keys = 15;
        int threads = 6;
        List<Backend> instances = List.of(backend(), open(), open());
        String prefix = "k-" + Names.letters(6) + "-";
        ConcurrentHashMap<String, Set<TaskId>> standing = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<TaskId> pushed = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Backend instance = instances.get(t % instances.size());
                int offset = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < keys; i++) {
                        String k = prefix + ((i + offset) % keys);
                        NewTask task = keyed(queue, UniqueKey.active(k));
                        pushed.add(task.id());
                        TaskId id = KitTasks.retryTransient(() -> pushOne(instance, task), new java.util.concurrent.atomic.AtomicInteger());
                        standing.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(id);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(WAIT.toSeconds() * 6, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(standing).as("keys pushed").hasSize(keys);
        standing.forEach((k, ids) -> assertThat(ids).as("ids returned for key %s", k).hasSize(1));
        Set<TaskId> holders = new HashSet<>();
        standing.values().forEach(holders::addAll);
        List<TaskId> stored = ids(claimAll(backend(), queue, Names.worker("s43")));
        assertThat(stored).as("tasks stored for %d keys pushed %d times each", keys, threads).hasSize(keys)
                .containsExactlyInAnyOrderElementsOf(holders);
        assertThat(pushed).as("the stored tasks are pushed ones").containsAll(holders);
    }
}

package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.conformance.child.ClaimerMain;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.api.Capability.MULTI_PROCESS;
import static dev.drover.conformance.KitTasks.count;
import static dev.drover.conformance.KitTasks.retryTransient;
import static dev.drover.conformance.KitTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Storage rules S8-S13: claiming ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code Claiming} binds them to the
 * storage of the running test.
 */
abstract class ClaimingRules extends StorageRules {
    ClaimingRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S8 (required) A claim leases at most max tasks, fewer when fewer are due")
    void required_S08_claimRespectsMax() {
        QueueName queue = Names.queue();
        pushAll(IntStream.range(0, 5).mapToObj(i -> task(queue).build()).toList());
        WorkerId worker = Names.worker("s8");
        assertThat(backend().claim(queue, worker, 1, LONG_LEASE)).hasSize(1);
        assertThat(backend().claim(queue, worker, 3, LONG_LEASE)).hasSize(3);
        assertThat(backend().claim(queue, worker, 10, LONG_LEASE)).hasSize(1);
        assertThat(backend().claim(queue, worker, 10, LONG_LEASE)).isEmpty();
    }

    @Test
    @DisplayName("S9 (required) A claimed task is RUNNING, its attempt has grown by one, and its lease names the worker and expires lease-duration from now")
    void required_S09_claimLeasesTheTask() {
        QueueName queue = Names.queue();
        NewTask pushed = push(task(queue).build());
        WorkerId worker = Names.worker("s9");
        Duration lease = Duration.ofSeconds(60);
        Instant before = Instant.now();
        ClaimedTask claimed = claimOne(backend(), queue, worker, lease);
        Instant after = Instant.now();

        TaskRecord task = claimed.task();
        assertThat(task.id()).isEqualTo(pushed.id());
        assertThat(task.state()).isEqualTo(TaskState.RUNNING);
        assertThat(task.attempt()).as("attempt after the first claim").isEqualTo(1);
        assertThat(task.leaseOwner()).isEqualTo(worker.value());
        assertThat(task.startedAt()).as("startedAt").isNotNull();
        assertThat(task.enqueuedAt()).as("enqueuedAt").isNotNull();
        Lease l = claimed.lease();
        assertThat(l.taskId()).isEqualTo(pushed.id());
        assertThat(l.owner()).isEqualTo(worker);
        assertThat(l.queue()).isEqualTo(queue);
        assertThat(l.token().value()).isNotBlank();
        assertThat(l.expiresAt()).isBetween(before.plus(lease).minus(CLOCK_TOLERANCE), after.plus(lease).plus(CLOCK_TOLERANCE));
        assertThat(task.leaseExpiresAt()).as("the record's lease expiry").isCloseTo(l.expiresAt(), within(1, ChronoUnit.MILLIS));
        if (has(INSPECTION)) {
            TaskRecord s = stored(queue, pushed.id());
            assertThat(s.state()).isEqualTo(TaskState.RUNNING);
            assertThat(s.attempt()).isEqualTo(1);
            assertThat(s.leaseOwner()).isEqualTo(worker.value());
            assertThat(s.leaseExpiresAt()).isCloseTo(l.expiresAt(), within(1, ChronoUnit.MILLIS));
        }
    }

    @Test
    @DisplayName("S10 (required) Every claim gives a new lease token, different from every earlier one, even for the same task")
    void required_S10_everyClaimHasANewToken() {
        QueueName queue = Names.queue();
        pushAll(List.of(task(queue).build(), task(queue).build(), task(queue).build()));
        WorkerId worker = Names.worker("s10");
        List<ClaimedTask> claimed = backend().claim(queue, worker, 3, LONG_LEASE);
        assertThat(claimed).hasSize(3);
        Set<LeaseToken> seen = new HashSet<>();
        for (ClaimedTask c : claimed) assertThat(seen.add(c.lease().token())).as("token %s is new", c.lease().token()).isTrue();
        ClaimedTask first = claimed.getFirst();
        for (int round = 0; round < 3; round++) {
            ClaimedTask current = round == 0 ? first : claimOne(backend(), queue, worker, LONG_LEASE);
            assertThat(settle(backend(), new Settlement.Release(current.lease()))).contains(current.lease().token());
            ClaimedTask again = claimOne(backend(), queue, worker, LONG_LEASE);
            assertThat(again.task().id()).isEqualTo(first.task().id());
            assertThat(seen.add(again.lease().token())).as("token of claim again #%d: %s", round + 1, again.lease().token()).isTrue();
            settle(backend(), new Settlement.Release(again.lease()));
        }
    }

    @Test
    @DisplayName("S11 (required) While its lease holds, a task is not claimed by anyone else, through any instance")
    void required_S11_heldLeaseIsNotClaimedAgain() {
        QueueName queue = Names.queue();
        push(task(queue).build());
        claimOne(backend(), queue, Names.worker("holder"), LONG_LEASE);
        Backend other = open();
        WorkerId rival = Names.worker("rival");
        assertThat(backend().claim(queue, rival, 10, LONG_LEASE)).as("same instance").isEmpty();
        assertThat(other.claim(queue, rival, 10, LONG_LEASE)).as("another instance").isEmpty();
    }

    @Test
    @DisplayName("S12 (required) Eight threads, each with its own instance, claiming 2000 tasks at once: every task is claimed exactly once, none is lost")
    void required_S12_leasesAreExclusiveAcrossThreads() throws Exception {
        QueueName queue = Names.queue();
        int tasks = 2000;
        int threads = 8;
        List<NewTask> all = IntStream.range(0, tasks).mapToObj(i -> task(queue).build()).toList();
        pushAll(all);

        Map<TaskId, List<String>> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger notApplied = new AtomicInteger();
        AtomicInteger transientFailures = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "thread-" + t;
                done.add(pool.submit(() -> {
                    Backend mine = open();
                    WorkerId me = Names.worker(name);
                    ready.countDown();
                    go.await();
                    while (true) {
                        List<ClaimedTask> got = retryTransient(() -> mine.claim(queue, me, 10, LONG_LEASE), transientFailures);
                        if (got.isEmpty()) return null;
                        List<Settlement> completions = new ArrayList<>();
                        for (ClaimedTask c : got) {
                            claimedBy.computeIfAbsent(c.task().id(), k -> new CopyOnWriteArrayList<>()).add(name);
                            completions.add(new Settlement.Complete(c.lease(), null));
                        }
                        Set<LeaseToken> applied = retryTransient(() -> mine.settle(completions), transientFailures);
                        notApplied.addAndGet(got.size() - applied.size());
                        Await.pause(WORK_PAUSE); // the batch's work, which lets the other claimers in
                    }
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all claimers opened their backend").isTrue();
            go.countDown();
            for (Future<?> f : done) f.get(45, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        for (ClaimedTask late : claimAll(backend(), queue, Names.worker("sweep"))) {
            claimedBy.computeIfAbsent(late.task().id(), k -> new CopyOnWriteArrayList<>()).add("sweep");
        }
        Map<TaskId, List<String>> twice = claimedBy.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(twice).as("tasks claimed more than once (by whom); %d transient failures were retried", transientFailures.get())
                .isEmpty();
        assertThat(claimedBy.keySet()).as("the claimed tasks are the pushed ones").containsExactlyInAnyOrderElementsOf(newIds(all));
        assertThat(notApplied.get()).as("completions refused under leases just claimed").isZero();
        if (has(INSPECTION)) assertThat(count(backend().counts(queue), TaskState.DONE)).isEqualTo(tasks);
    }

    @Test
    @DisplayName("S13 (optional: MULTI_PROCESS) Two child JVMs and this one claiming 3000 tasks at once: every task is claimed exactly once, none is lost")
    void optional_S13_leasesAreExclusiveAcrossProcesses() {
        requires(MULTI_PROCESS, "S13");
        QueueName queue = Names.queue();
        int tasks = 3000;
        List<NewTask> all = IntStream.range(0, tasks).mapToObj(i -> task(queue).build()).toList();
        pushAll(all);

        Map<TaskId, List<String>> claimedBy = new HashMap<>();
        List<String> refused = new ArrayList<>();
        AtomicInteger transientFailures = new AtomicInteger();
        Path logs = kitDir().resolve("children");
        List<ChildJvm> claimers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                ChildJvm child = ChildJvm.start(ClaimerMain.class, logs, url(), queue.value(), String.valueOf(LONG_LEASE.toMillis()), "10",
                        String.valueOf(WORK_PAUSE.toMillis()));
                children().add(child);
                claimers.add(child);
            }
            for (ChildJvm child : claimers) child.awaitLineStartingWith("READY", Duration.ofSeconds(45));
            for (ChildJvm child : claimers) child.send("GO");

            Backend mine = backend();
            WorkerId me = Names.worker("parent");
            while (true) {
                List<ClaimedTask> got = retryTransient(() -> mine.claim(queue, me, 10, LONG_LEASE), transientFailures);
                if (got.isEmpty()) break;
                List<Settlement> completions = new ArrayList<>();
                for (ClaimedTask c : got) {
                    claimedBy.computeIfAbsent(c.task().id(), k -> new ArrayList<>()).add("parent");
                    completions.add(new Settlement.Complete(c.lease(), null));
                }
                Set<LeaseToken> applied = retryTransient(() -> mine.settle(completions), transientFailures);
                for (ClaimedTask c : got) if (!applied.contains(c.lease().token())) refused.add("parent: " + c.task().id());
                Await.pause(WORK_PAUSE); // the batch's work, which lets the other claimers in
            }
            for (ChildJvm child : claimers) {
                assertThat(child.awaitExit(Duration.ofSeconds(45))).as("exit code of %s%s", child, child.stderrTail()).isZero();
                for (String line : child.lines()) {
                    if (line.startsWith("CLAIMED ")) {
                        for (String id : line.substring("CLAIMED ".length()).split(" ")) {
                            claimedBy.computeIfAbsent(TaskId.of(id), k -> new ArrayList<>()).add(child.name());
                        }
                    } else if (line.startsWith("NOTAPPLIED ")) {
                        refused.add(child.name() + ": " + line.substring("NOTAPPLIED ".length()));
                    }
                }
            }
        } finally {
            claimers.forEach(ChildJvm::close);
        }
        for (ClaimedTask late : claimAll(backend(), queue, Names.worker("sweep"))) {
            claimedBy.computeIfAbsent(late.task().id(), k -> new ArrayList<>()).add("sweep");
        }
        Map<String, Long> perClaimer = claimedBy.values().stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
        Map<TaskId, List<String>> twice = claimedBy.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(twice).as("tasks claimed more than once (by whom); claims per process: %s", perClaimer).isEmpty();
        assertThat(claimedBy.keySet()).as("the claimed tasks are the pushed ones; claims per process: %s", perClaimer)
                .containsExactlyInAnyOrderElementsOf(newIds(all));
        assertThat(refused).as("completions refused under leases just claimed").isEmpty();
        if (has(INSPECTION)) assertThat(count(backend().counts(queue), TaskState.DONE)).isEqualTo(tasks);
    }
}

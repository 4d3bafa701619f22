package dev.drover.conformance;

import dev.drover.api.Drover;
import dev.drover.api.DroverException;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.conformance.child.ClaimerMain;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.Capability;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.DroverUrl;
import dev.drover.spi.FollowUp;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.NewTask;
import dev.drover.spi.Settlement;
import dev.drover.spi.SettledThenClaimed;
import dev.drover.spi.TransactionalPush;
import dev.drover.spi.WakeupSource;
import dev.drover.spi.WorkerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.drover.conformance.KitTasks.count;
import static dev.drover.conformance.KitTasks.dueNow;
import static dev.drover.conformance.KitTasks.retryTransient;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.text;
import static dev.drover.conformance.KitTasks.utf8;
import static dev.drover.spi.Capability.DURABLE;
import static dev.drover.spi.Capability.FOLLOW_UPS;
import static dev.drover.spi.Capability.INSPECTION;
import static dev.drover.spi.Capability.MULTI_PROCESS;
import static dev.drover.spi.Capability.PRIORITY;
import static dev.drover.spi.Capability.WAKEUPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The storage rules of {@code SPEC.md} (S1 to S36), checked through the SPI ({@link Backend}) alone.
 * <p>
 * A backend module extends this class and writes one method, {@link #storageUrl(Path)}:
 * <pre>{@code
 * class SqliteStorageConformanceTest extends StorageContract {
 *     @Override
 *     protected String storageUrl(Path tempDir) {
 *         return "sqlite:" + tempDir.resolve("kit.db");
 *     }
 * }
 * }</pre>
 * Backends are opened with {@link Backends#open(String)}, so the backend must be registered for
 * {@link java.util.ServiceLoader}. Every test uses queues of its own ({@link Names#queue()}), so a server backend
 * may hand every test the same database. A rule that needs a {@link Capability} the backend does not declare is
 * skipped with the reason.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract non-sealed class StorageContract extends BackendContract {
    /** Long enough that no lease of this length runs out during a test. */
    static final Duration LONG_LEASE = Duration.ofMinutes(5);
    /** Short enough to wait for, long enough that a claim followed at once by another sees it still held. */
    static final Duration SHORT_LEASE = Duration.ofMillis(300);
    static final Duration WAIT = Duration.ofSeconds(10);
    /** What a claimer in the exclusivity rules "works" on each batch before claiming the next. */
    static final Duration WORK_PAUSE = Duration.ofMillis(2);

    private Backend first;
    private final List<Backend> opened = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeBackends() {
        try {
            closeAll(opened, "backend");
        } finally {
            opened.clear();
        }
    }

    // ---- what the rules use ----

    /** The backend this test works with, opened on first use. */
    protected final Backend backend() {
        if (first == null) first = open();
        return first;
    }

    /** Another backend instance on the same storage; closed after the test. */
    protected final Backend open() {
        Backend backend = Backends.open(url());
        assertThat(backend).as("Backends.open(%s)", url()).isNotNull();
        opened.add(backend);
        return backend;
    }

    @Override
    final Backend subject() {
        return backend();
    }

    private NewTask push(NewTask task) {
        backend().push(List.of(task));
        return task;
    }

    private List<NewTask> pushAll(List<NewTask> tasks) {
        backend().push(tasks);
        return tasks;
    }

    private TaskRecord stored(QueueName queue, TaskId id) {
        return backend().get(queue, id).orElseThrow(() -> new AssertionError("task " + id + " of " + queue + " is not stored (get returned empty)"));
    }

    private static ClaimedTask claimOne(Backend backend, QueueName queue, WorkerId worker, Duration lease) {
        List<ClaimedTask> got = backend.claim(queue, worker, 1, lease);
        assertThat(got).as("claim(%s, max 1) by %s", queue, worker).hasSize(1);
        return got.getFirst();
    }

    private static List<TaskId> ids(List<ClaimedTask> claimed) {
        return claimed.stream().map(c -> c.task().id()).toList();
    }

    private static List<TaskId> newIds(List<NewTask> tasks) {
        return tasks.stream().map(NewTask::id).toList();
    }

    private static Set<LeaseToken> settle(Backend backend, Settlement settlement) {
        return backend.settle(List.of(settlement));
    }

    /** Claims everything due on {@code queue} (long leases), until a claim comes back empty. */
    private static List<ClaimedTask> claimAll(Backend backend, QueueName queue, WorkerId worker) {
        List<ClaimedTask> all = new ArrayList<>();
        while (true) {
            List<ClaimedTask> got = backend.claim(queue, worker, 100, LONG_LEASE);
            if (got.isEmpty()) return all;
            all.addAll(got);
        }
    }

    /** Waits until {@code worker} claims {@code expected} from {@code queue} (its earlier lease having run out). */
    private static ClaimedTask awaitClaim(Backend backend, QueueName queue, WorkerId worker, Duration lease, TaskId expected) {
        ClaimedTask got = Await.value(WAIT, () -> backend.claim(queue, worker, 1, lease).stream().findFirst(),
                worker + " claims task " + expected + " after its lease ran out");
        assertThat(got.task().id()).as("the task claimed again").isEqualTo(expected);
        return got;
    }

    /** A task claimed under a short lease (stale, now lost) and then claimed again by another worker (fresh). */
    private record Takeover(ClaimedTask stale, ClaimedTask fresh) {
    }

    private Takeover takeOver(QueueName queue, TaskId id, WorkerId slow, WorkerId other) {
        ClaimedTask stale = claimOne(backend(), queue, slow, SHORT_LEASE);
        assertThat(stale.task().id()).isEqualTo(id);
        ClaimedTask fresh = awaitClaim(open(), queue, other, LONG_LEASE, id);
        return new Takeover(stale, fresh);
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Storage rules S1-S3: opening and setup")
    class Setup {

        @Test
        @DisplayName("S1 (required) Backends.open(url) finds the backend through ServiceLoader; it describes itself, declares its capabilities and closes idempotently")
        void required_S01_backendIsDiscoveredByUrlScheme() {
            String scheme = DroverUrl.parse(url()).scheme();
            assertThat(Backends.providers()).as("BackendProviders on the class path")
                    .anySatisfy(p -> assertThat(p.schemes()).contains(scheme));
            Backend backend = open();
            assertThat(backend.describe()).as("describe()").isNotBlank();
            Set<Capability> declared = backend.capabilities();
            String who = backend.describe();
            assertThat(declared).as("capabilities() of %s", who).isNotNull();
            // the kit decides which optional rules apply on one instance: every instance must say the same
            assertThat(backend.capabilities()).as("capabilities() of %s, asked again", who).isEqualTo(declared);
            assertThat(open().capabilities()).as("capabilities() of another instance on %s", who).isEqualTo(declared);
            if (declared.contains(Capability.TRANSACTIONAL_PUSH)) {
                assertThat(backend).as("%s declares TRANSACTIONAL_PUSH, so it implements TransactionalPush", who)
                        .isInstanceOf(TransactionalPush.class);
            }
            if (declared.contains(WAKEUPS)) {
                assertThat(backend.wakeups()).as("wakeups() of %s, which declares WAKEUPS", who).isNotNull().isNotSameAs(WakeupSource.NONE);
            }
            backend.close();
            backend.close(); // idempotent
            try (Drover drover = Drover.open(url())) {
                assertThat(drover.backend().describe()).isNotBlank();
                assertThat(drover.backend().capabilities()).as("capabilities() of the backend Drover.open opened").isEqualTo(declared);
            }
        }

        @Test
        @DisplayName("S2 (required) Opening the same storage several times, at once or one after another, sets it up once and every instance works on the same data")
        void required_S02_setupIsIdempotent() throws Exception {
            QueueName queue = Names.queue();
            int racers = 4;
            CyclicBarrier together = new CyclicBarrier(racers);
            List<NewTask> pushed = new CopyOnWriteArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    done.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        Backend backend = open(); // first-time setup, racing the others
                        NewTask task = task(queue).build();
                        backend.push(List.of(task));
                        pushed.add(task);
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            Set<TaskId> expected = new HashSet<>(newIds(pushed));
            // one after another: open, push, close, three times, while the racers' instances stay open
            for (int i = 0; i < 3; i++) {
                Backend again = Backends.open(url());
                try {
                    NewTask task = task(queue).build();
                    again.push(List.of(task));
                    expected.add(task.id());
                } finally {
                    again.close();
                    again.close();
                }
            }
            assertThat(ids(claimAll(open(), queue, Names.worker("setup"))))
                    .as("every task pushed through every instance, seen by a new instance")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }

        @Test
        @DisplayName("S3 (optional: DURABLE) Tasks, their states, payloads and unexpired leases survive closing every instance and reopening the storage")
        void optional_S03_tasksSurviveReopen() {
            requires(DURABLE, "S3");
            QueueName queue = Names.queue();
            byte[] binary = new byte[256];
            for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
            NewTask done = push(task(queue).build());
            NewTask running = push(task(queue).build());
            NewTask pending = push(task(queue).payload(binary).metadata(Map.of("k", "v")).build());
            WorkerId worker = Names.worker("before-reopen");
            ClaimedTask first = claimOne(backend(), queue, worker, LONG_LEASE);
            assertThat(first.task().id()).isEqualTo(done.id());
            assertThat(settle(backend(), new Settlement.Complete(first.lease(), null))).contains(first.lease().token());
            ClaimedTask second = claimOne(backend(), queue, worker, LONG_LEASE);
            assertThat(second.task().id()).isEqualTo(running.id());

            for (Backend b : opened) b.close();
            Backend reopened = open();

            List<ClaimedTask> after = claimAll(reopened, queue, Names.worker("after-reopen"));
            assertThat(ids(after)).as("due after reopening: only the pending task (the done one is done, the running one still leased)")
                    .containsExactly(pending.id());
            assertThat(after.getFirst().task().payload()).isEqualTo(binary);
            assertThat(after.getFirst().task().metadata()).isEqualTo(Map.of("k", "v"));
            assertThat(reopened.heartbeat(List.of(second.lease()), LONG_LEASE)).as("the lease held before reopening")
                    .containsExactly(second.lease().token());
            if (reopened.capabilities().contains(INSPECTION)) {
                assertThat(reopened.get(queue, done.id()).orElseThrow().state()).isEqualTo(TaskState.DONE);
                assertThat(reopened.get(queue, running.id()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
            }
        }
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Storage rules S4-S7: due time and order")
    class DueTimeAndOrder {

        @Test
        @DisplayName("S4 (required) A task is not claimed before its run_at, and is claimed once run_at has come")
        void required_S04_notClaimedBeforeRunAt() {
            GrowingDelay.check("S4", Duration.ofMillis(1500), this::scheduledTaskWaits);
        }

        /** One try of S4 with a task due {@code delay} from now; empty when it could tell, else why it could not. */
        private Optional<String> scheduledTaskWaits(Duration delay) {
            QueueName queue = Names.queue();
            WorkerId worker = Names.worker("s4");
            Instant future = Instant.now().plus(delay).truncatedTo(ChronoUnit.MILLIS);
            NewTask later = push(task(queue).runAt(future).build());
            NewTask now = push(task(queue).build());

            List<ClaimedTask> firstClaim = backend().claim(queue, worker, 10, LONG_LEASE);
            Instant afterFirst = Instant.now();
            assertThat(ids(firstClaim)).as("a task due now is claimed at once").contains(now.id());
            if (!afterFirst.isBefore(future.minus(CLOCK_TOLERANCE))) {
                return Optional.of("the claim right after the push came back at " + afterFirst + ", not " + CLOCK_TOLERANCE.toMillis()
                        + " ms before the scheduled task's due time " + future + ", too late to tell whether it was held back");
            }
            assertThat(ids(firstClaim)).as("the task due at %s, claimed at %s", future, afterFirst).doesNotContain(later.id());
            Instant[] claimedBy = new Instant[1];
            ClaimedTask got = Await.value(WAIT, () -> {
                List<ClaimedTask> c = backend().claim(queue, worker, 10, LONG_LEASE);
                claimedBy[0] = Instant.now();
                return c.stream().findFirst();
            }, "the task due at " + future + " is claimed");
            assertThat(got.task().id()).isEqualTo(later.id());
            assertThat(claimedBy[0]).as("when the scheduled task was claimed (due %s)", future)
                    .isAfterOrEqualTo(future.minus(CLOCK_TOLERANCE));
            return Optional.empty();
        }

        @Test
        @DisplayName("S5 (required) Among tasks of equal priority, the earlier run_at is claimed first, and tasks due at the same time in id (push) order")
        void required_S05_earlierRunAtThenFifo() {
            QueueName queue = Names.queue();
            Instant base = dueNow().minusSeconds(10);
            NewTask a = push(task(queue).runAt(base.plusSeconds(3)).build());
            NewTask b = push(task(queue).runAt(base.plusSeconds(1)).build());
            NewTask c = push(task(queue).runAt(base.plusSeconds(2)).build());
            List<NewTask> same = pushAll(List.of(task(queue).runAt(base).build(), task(queue).runAt(base).build(),
                    task(queue).runAt(base).build()));
            NewTask g = push(task(queue).runAt(base).build());
            List<TaskId> expected = List.of(same.get(0).id(), same.get(1).id(), same.get(2).id(), g.id(), b.id(), c.id(), a.id());

            WorkerId worker = Names.worker("s5");
            List<TaskId> order = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) order.add(claimOne(backend(), queue, worker, LONG_LEASE).task().id());
            assertThat(order).as("claim order, one at a time").containsExactlyElementsOf(expected);
            assertThat(backend().claim(queue, worker, 10, LONG_LEASE)).isEmpty();

            QueueName batchQueue = Names.queue();
            List<NewTask> batch = new ArrayList<>();
            for (int i = 0; i < 6; i++) batch.add(task(batchQueue).runAt(base.plusSeconds(6 - i)).build());
            pushAll(batch);
            assertThat(ids(backend().claim(batchQueue, worker, 3, LONG_LEASE))).as("a claim of 3 takes the 3 best")
                    .containsExactlyInAnyOrder(batch.get(5).id(), batch.get(4).id(), batch.get(3).id());
        }

        @Test
        @DisplayName("S6 (optional: PRIORITY) A higher priority is claimed first, before an earlier run_at or a lower id; a task not yet due waits whatever its priority")
        void optional_S06_priorityFirst() {
            requires(PRIORITY, "S6");
            QueueName queue = Names.queue();
            Instant base = dueNow().minusSeconds(10);
            NewTask p0 = push(task(queue).priority(0).runAt(base).build());
            NewTask p5late = push(task(queue).priority(5).runAt(base.plusSeconds(2)).build());
            NewTask p10a = push(task(queue).priority(10).runAt(base.plusSeconds(3)).build());
            NewTask p5early = push(task(queue).priority(5).runAt(base.plusSeconds(1)).build());
            NewTask pMinus = push(task(queue).priority(-1).runAt(base).build());
            NewTask p10b = push(task(queue).priority(10).runAt(base.plusSeconds(3)).build());
            NewTask future = push(task(queue).priority(100).runAt(Instant.now().plusSeconds(3600)).build());

            WorkerId worker = Names.worker("s6");
            List<TaskId> order = new ArrayList<>();
            for (int i = 0; i < 6; i++) order.add(claimOne(backend(), queue, worker, LONG_LEASE).task().id());
            assertThat(order).as("claim order, one at a time")
                    .containsExactly(p10a.id(), p10b.id(), p5early.id(), p5late.id(), p0.id(), pMinus.id());
            assertThat(ids(backend().claim(queue, worker, 10, LONG_LEASE))).as("the priority-100 task due in an hour")
                    .doesNotContain(future.id()).isEmpty();
        }

        @Test
        @DisplayName("S7 (required) A claim takes tasks of its own queue only, even when another queue's name starts with it")
        void required_S07_queuesAreIsolated() {
            QueueName a = Names.queue();
            QueueName longer = QueueName.of(a.value() + "_b");
            QueueName empty = Names.queue();
            List<NewTask> onA = pushAll(List.of(task(a).build(), task(a).build(), task(a).build()));
            List<NewTask> onLonger = pushAll(List.of(task(longer).build(), task(longer).build()));
            WorkerId worker = Names.worker("s7");

            assertThat(backend().claim(empty, worker, 10, LONG_LEASE)).as("claim on a queue nobody pushed to").isEmpty();
            List<ClaimedTask> fromA = backend().claim(a, worker, 10, LONG_LEASE);
            assertThat(ids(fromA)).containsExactlyInAnyOrderElementsOf(newIds(onA));
            assertThat(fromA).allSatisfy(c -> assertThat(c.task().queue()).isEqualTo(a));
            List<ClaimedTask> fromLonger = backend().claim(longer, worker, 10, LONG_LEASE);
            assertThat(ids(fromLonger)).containsExactlyInAnyOrderElementsOf(newIds(onLonger));
            if (has(INSPECTION)) {
                assertThat(count(backend().counts(empty), TaskState.PENDING)).isZero();
                assertThat(count(backend().counts(a), TaskState.RUNNING)).isEqualTo(3);
                assertThat(count(backend().counts(longer), TaskState.RUNNING)).isEqualTo(2);
            }
        }
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Storage rules S8-S13: claiming")
    class Claiming {

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
            Path logs = kitDir.resolve("children");
            List<ChildJvm> claimers = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    ChildJvm child = ChildJvm.start(ClaimerMain.class, logs, url(), queue.value(), String.valueOf(LONG_LEASE.toMillis()), "10",
                            String.valueOf(WORK_PAUSE.toMillis()));
                    children.add(child);
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

    // ======================================================================================================
    @Nested
    @DisplayName("Storage rules S14-S19: leases and fencing")
    class Leases {

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

    // ======================================================================================================
    @Nested
    @DisplayName("Storage rules S20-S23: outcomes")
    class Outcomes {

        @Test
        @DisplayName("S20 (required) Complete makes the task DONE with its result kept; it is never claimed again")
        void required_S20_completeIsDone() {
            QueueName queue = Names.queue();
            NewTask pushed = push(task(queue).build());
            ClaimedTask c = claimOne(backend(), queue, Names.worker("s20"), LONG_LEASE);
            byte[] result = {0, 1, 2, (byte) 0xff};
            assertThat(settle(backend(), new Settlement.Complete(c.lease(), result))).containsExactly(c.lease().token());
            assertThat(backend().claim(queue, Names.worker("s20b"), 10, LONG_LEASE)).isEmpty();
            if (has(INSPECTION)) {
                TaskRecord s = stored(queue, pushed.id());
                assertThat(s.state()).isEqualTo(TaskState.DONE);
                assertThat(s.result()).isEqualTo(result);
                assertThat(s.attempt()).isEqualTo(1);
                assertThat(s.finishedAt()).as("finishedAt").isNotNull();
            }
        }

        @Test
        @DisplayName("S21 (required) Retry makes the task PENDING with its error kept and its next run_at persisted: it is not claimable before the delay, and is after it")
        void required_S21_retryPersistsTheBackoff() {
            GrowingDelay.check("S21", Duration.ofSeconds(2), this::backoffIsKept);
        }

        /** One try of S21 with a retry of {@code delay}; empty when it could tell, else why it could not. */
        private Optional<String> backoffIsKept(Duration delay) {
            QueueName queue = Names.queue();
            NewTask pushed = push(task(queue).maxAttempts(3).build());
            ClaimedTask c = claimOne(backend(), queue, Names.worker("s21"), LONG_LEASE);
            Backend other = open();
            WorkerId next = Names.worker("s21b");
            Instant before = Instant.now();
            assertThat(settle(backend(), new Settlement.Retry(c.lease(), delay, "boom: first attempt")))
                    .containsExactly(c.lease().token());
            Instant dueNoEarlierThan = before.plus(delay).minus(CLOCK_TOLERANCE);

            List<ClaimedTask> early = other.claim(queue, next, 10, LONG_LEASE);
            Instant afterEarly = Instant.now();
            if (!afterEarly.isBefore(dueNoEarlierThan)) {
                return Optional.of("the claim right after the retry came back at " + afterEarly + ", not " + CLOCK_TOLERANCE.toMillis()
                        + " ms before the retried task's due time " + before.plus(delay) + ", too late to tell whether it was held back");
            }
            assertThat(early).as("claim right after the retry was recorded (at %s, due after %s)", afterEarly, before.plus(delay)).isEmpty();
            if (has(INSPECTION)) {
                TaskRecord s = stored(queue, pushed.id());
                assertThat(s.state()).isEqualTo(TaskState.PENDING);
                assertThat(s.attempt()).isEqualTo(1);
                assertThat(s.lastError()).isEqualTo("boom: first attempt");
                assertThat(s.runAt()).as("the persisted run_at").isAfterOrEqualTo(dueNoEarlierThan);
            }
            Instant[] claimedBy = new Instant[1];
            ClaimedTask again = Await.value(WAIT, () -> {
                Optional<ClaimedTask> got = other.claim(queue, next, 10, LONG_LEASE).stream().findFirst();
                claimedBy[0] = Instant.now();
                return got;
            }, "the retried task is claimable after its delay");
            assertThat(claimedBy[0]).as("when the retried task was claimed (retried with %d ms after %s)", delay.toMillis(), before)
                    .isAfterOrEqualTo(dueNoEarlierThan);
            assertThat(again.task().id()).isEqualTo(pushed.id());
            assertThat(again.task().attempt()).isEqualTo(2);
            assertThat(again.task().lastError()).as("the error of the previous attempt, seen by the next").isEqualTo("boom: first attempt");
            return Optional.empty();
        }

        @Test
        @DisplayName("S22 (required) Kill makes the task DEAD with its error kept; it is never claimed again")
        void required_S22_killIsDead() {
            QueueName queue = Names.queue();
            NewTask pushed = push(task(queue).maxAttempts(10).build());
            ClaimedTask c = claimOne(backend(), queue, Names.worker("s22"), LONG_LEASE);
            String error = "fatal: card declined ✗ (no retry)";
            assertThat(settle(backend(), new Settlement.Kill(c.lease(), error))).containsExactly(c.lease().token());
            assertThat(backend().claim(queue, Names.worker("s22b"), 10, LONG_LEASE)).isEmpty();
            assertThat(open().claim(queue, Names.worker("s22c"), 10, LONG_LEASE)).isEmpty();
            if (has(INSPECTION)) {
                TaskRecord s = stored(queue, pushed.id());
                assertThat(s.state()).isEqualTo(TaskState.DEAD);
                assertThat(s.lastError()).isEqualTo(error);
                assertThat(s.attempt()).isEqualTo(1);
                assertThat(s.finishedAt()).as("finishedAt").isNotNull();
                assertThat(count(backend().counts(queue), TaskState.DEAD)).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("S23 (required) Release makes the task PENDING and due at once, and gives back the attempt its claim took")
        void required_S23_releaseGivesTheClaimBack() {
            QueueName queue = Names.queue();
            NewTask pushed = push(task(queue).build());
            WorkerId worker = Names.worker("s23");
            ClaimedTask c = claimOne(backend(), queue, worker, LONG_LEASE);
            assertThat(settle(backend(), new Settlement.Release(c.lease()))).containsExactly(c.lease().token());
            if (has(INSPECTION)) {
                TaskRecord s = stored(queue, pushed.id());
                assertThat(s.state()).isEqualTo(TaskState.PENDING);
                assertThat(s.attempt()).as("attempt after release").isZero();
            }
            ClaimedTask again = claimOne(backend(), queue, worker, LONG_LEASE);
            assertThat(again.task().id()).isEqualTo(pushed.id());
            assertThat(again.task().attempt()).as("attempt of the claim after a release").isEqualTo(1);

            // a task on its second attempt: release gives back the second, not the first
            settle(backend(), new Settlement.Retry(again.lease(), Duration.ZERO, "first attempt failed"));
            ClaimedTask second = claimOne(backend(), queue, worker, LONG_LEASE);
            assertThat(second.task().attempt()).isEqualTo(2);
            settle(backend(), new Settlement.Release(second.lease()));
            if (has(INSPECTION)) assertThat(stored(queue, pushed.id()).attempt()).isEqualTo(1);
            assertThat(claimOne(backend(), queue, worker, LONG_LEASE).task().attempt()).isEqualTo(2);
        }
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Storage rules S24-S26: pushing and payloads")
    class Pushing {

        @Test
        @DisplayName("S24 (required) A push stores all of its list or none of it: a list with an id already stored, or twice in the list, fails and stores nothing")
        void required_S24_bulkPushIsAllOrNothing() {
            QueueName queue = Names.queue();
            NewTask existing = push(task(queue).payload("original").build());
            List<NewTask> withClash = List.of(task(queue).build(), task(queue).build(),
                    task(queue).id(existing.id()).payload("impostor").build(), task(queue).build());
            assertThatThrownBy(() -> backend().push(withClash)).as("push of a list holding a stored id")
                    .isInstanceOf(DroverException.class);

            QueueName other = Names.queue();
            TaskId twice = TaskId.generate();
            List<NewTask> withInnerClash = List.of(task(other).build(), task(other).id(twice).build(), task(other).id(twice).build());
            assertThatThrownBy(() -> backend().push(withInnerClash)).as("push of a list holding one id twice")
                    .isInstanceOf(DroverException.class);

            List<ClaimedTask> onQueue = claimAll(backend(), queue, Names.worker("s24"));
            assertThat(ids(onQueue)).as("tasks stored on %s after the failed push", queue).containsExactly(existing.id());
            assertThat(text(onQueue.getFirst().task().payload())).isEqualTo("original");
            assertThat(claimAll(backend(), other, Names.worker("s24"))).as("tasks stored on %s after the failed push", other).isEmpty();
            if (has(INSPECTION)) {
                for (NewTask t : withClash) if (!t.id().equals(existing.id())) assertThat(backend().get(queue, t.id())).isEmpty();
                for (NewTask t : withInnerClash) assertThat(backend().get(other, t.id())).isEmpty();
            }

            List<NewTask> good = pushAll(List.of(task(other).build(), task(other).build()));
            assertThat(ids(claimAll(backend(), other, Names.worker("s24")))).as("a good push after the failed ones")
                    .containsExactlyInAnyOrderElementsOf(newIds(good));
        }

        @Test
        @DisplayName("S25 (required) Payload bytes come back exactly as pushed: every byte value, unicode JSON, 512 KiB of random bytes, and an empty payload")
        void required_S25_payloadBytesRoundTrip() {
            QueueName queue = Names.queue();
            byte[] everyByte = new byte[256];
            for (int i = 0; i < 256; i++) everyByte[i] = (byte) i;
            byte[] unicode = utf8("{\"text\":\"héllo wörld — ünïcødé ✓ 日本語 עברית 🚀👩‍👩‍👧\",\"nul\":\"\\u0000\"}");
            byte[] large = new byte[512 * 1024];
            new Random(42).nextBytes(large);
            byte[] empty = new byte[0];
            Map<TaskId, byte[]> expected = new LinkedHashMap<>();
            for (byte[] payload : List.of(everyByte, unicode, large, empty)) {
                NewTask t = push(task(queue).payload(payload).build());
                expected.put(t.id(), payload);
            }
            Map<TaskId, byte[]> viaGet = new HashMap<>();
            if (has(INSPECTION)) for (TaskId id : expected.keySet()) viaGet.put(id, stored(queue, id).payload());
            List<ClaimedTask> claimed = claimAll(open(), queue, Names.worker("s25"));
            assertThat(ids(claimed)).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (ClaimedTask c : claimed) {
                byte[] want = expected.get(c.task().id());
                assertThat(c.task().payload()).as("claimed payload of %d bytes", want.length).isEqualTo(want);
                if (viaGet.containsKey(c.task().id())) {
                    assertThat(viaGet.get(c.task().id())).as("payload of %d bytes from get", want.length).isEqualTo(want);
                }
            }
        }

        @Test
        @DisplayName("S26 (required) Metadata, codec name, priority, max attempts and run_at come back as pushed")
        void required_S26_taskFieldsRoundTrip() {
            QueueName queue = Names.queue();
            Instant runAt = dueNow().minusSeconds(5);
            Map<String, String> meta = Map.of("trace-id", "4bf92f3577b34da6", "ünïcødé ключ", "值 🚀", "empty", "", "quote\"s", "a=b&c");
            NewTask rich = push(task(queue).metadata(meta).codec("json").priority(7).maxAttempts(9).runAt(runAt).build());
            NewTask plain = push(task(queue).codec("kit.custom-codec.v2").priority(-3).maxAttempts(1).runAt(runAt.plusMillis(1)).build());
            Map<TaskId, NewTask> pushed = Map.of(rich.id(), rich, plain.id(), plain);

            List<TaskRecord> seen = new ArrayList<>(claimAll(backend(), queue, Names.worker("s26")).stream().map(ClaimedTask::task).toList());
            assertThat(seen).hasSize(2);
            if (has(INSPECTION)) seen.addAll(List.of(stored(queue, rich.id()), stored(queue, plain.id())));
            for (TaskRecord r : seen) {
                NewTask p = pushed.get(r.id());
                assertThat(r.queue()).isEqualTo(queue);
                assertThat(r.metadata()).isEqualTo(p.metadata());
                assertThat(r.codec()).isEqualTo(p.codec());
                assertThat(r.priority()).isEqualTo(p.priority());
                assertThat(r.maxAttempts()).isEqualTo(p.maxAttempts());
                assertThat(r.runAt()).as("run_at (millisecond precision)").isEqualTo(p.runAt());
            }
        }
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Storage rules S27-S31: inspection")
    class Inspection {

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
            assertThat(backend().cancel(queue, unclaimed.get(0).id())).isTrue();
            assertThat(backend().cancel(queue, unclaimed.get(1).id())).isTrue();

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
        @DisplayName("S30 (optional: INSPECTION) Cancel turns a PENDING task CANCELLED, never to be claimed; it refuses a running, finished, cancelled or unknown task, and one asked of another queue")
        void optional_S30_cancelOnlyPending() {
            QueueName queue = Names.queue();
            QueueName other = Names.queue();
            push(task(other).build());
            NewTask running = push(task(queue).build());
            ClaimedTask claimed = claimOne(backend(), queue, Names.worker("s30"), LONG_LEASE);
            NewTask due = push(task(queue).build());
            NewTask scheduled = push(task(queue).runAt(Instant.now().plusSeconds(3600)).build());
            NewTask elsewhere = push(task(queue).build());

            assertThat(backend().cancel(other, elsewhere.id())).as("cancel a pending task of %s asked of another queue, %s", queue, other).isFalse();
            TaskRecord untouched = stored(queue, elsewhere.id());
            assertThat(untouched.state()).as("the task asked of another queue").isEqualTo(TaskState.PENDING);
            assertThat(untouched.finishedAt()).as("finishedAt of the task asked of another queue").isNull();

            assertThat(backend().cancel(queue, due.id())).as("cancel a due pending task").isTrue();
            assertThat(backend().cancel(queue, scheduled.id())).as("cancel a scheduled pending task").isTrue();
            assertThat(stored(queue, due.id()).state()).isEqualTo(TaskState.CANCELLED);
            assertThat(stored(queue, scheduled.id()).state()).isEqualTo(TaskState.CANCELLED);
            assertThat(backend().cancel(queue, due.id())).as("cancel it again").isFalse();
            assertThat(backend().cancel(queue, running.id())).as("cancel a running task").isFalse();
            assertThat(stored(queue, running.id()).state()).isEqualTo(TaskState.RUNNING);
            assertThat(backend().cancel(queue, TaskId.generate())).as("cancel an unknown id").isFalse();
            assertThat(ids(backend().claim(queue, Names.worker("s30b"), 10, LONG_LEASE))).as("claim after cancelling")
                    .containsExactly(elsewhere.id());
            assertThat(count(backend().counts(other), TaskState.PENDING)).as("PENDING of %s, whose name was used to cancel", other).isEqualTo(1);

            assertThat(settle(backend(), new Settlement.Complete(claimed.lease(), null))).as("the running task completes as usual")
                    .containsExactly(claimed.lease().token());
            assertThat(backend().cancel(queue, running.id())).as("cancel a done task").isFalse();
            assertThat(stored(queue, running.id()).state()).isEqualTo(TaskState.DONE);
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
            assertThat(backend().cancel(queue, cancelled.id())).isTrue();
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

    // ======================================================================================================
    @Nested
    @DisplayName("Storage rule S32: wake-ups")
    class Wakeups {

        @Test
        @DisplayName("S32 (optional: WAKEUPS) A wake-up subscription on a queue is called after a push to that queue through another instance on the same storage")
        void optional_S32_pushWakesSubscribers() {
            requires(WAKEUPS, "S32");
            QueueName queue = Names.queue();
            AtomicInteger calls = new AtomicInteger();
            CountDownLatch woken = new CountDownLatch(1);
            WakeupSource.Subscription subscription = backend().wakeups().subscribe(queue, () -> {
                calls.incrementAndGet();
                woken.countDown();
            });
            try {
                open().push(List.of(task(queue).build()));
                Await.until(Duration.ofSeconds(5), () -> woken.getCount() == 0, "the subscriber on " + queue + " is woken by a push from another instance");
                int before = calls.get();
                backend().push(List.of(task(queue).build()));
                Await.until(Duration.ofSeconds(5), () -> calls.get() > before, "the subscriber is woken by a push from its own instance");
            } finally {
                subscription.close();
            }
        }
    }


    // ======================================================================================================
    @Nested
    @DisplayName("Storage rules S33-S34: follow-ups")
    class FollowUps {

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
                    opened.removeAll(instances);
                    closeAll(instances, "backend");
                }
                List<ClaimedTask> joins = claimAll(backend(), queue, Names.worker("s34-join"));
                assertThat(ids(joins)).as("round %d: the join follow-up of %d concurrent completions", round, inputs).containsExactly(joinId);
            }
        }
    }

    @Nested
    @DisplayName("Storage rule S35: settle then claim")
    class SettleThenClaim {

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

    @Nested
    @DisplayName("Storage rule S36: queue names")
    class QueueNames {

        /** Valid names at the edges of {@link QueueName}'s one rule, each made unique to this test by random letters. */
        private static List<QueueName> edgeNames() {
            String r = Names.letters(8);
            String longest = "q" + r;
            longest = longest + "9_".repeat(QueueName.MAX_LENGTH).substring(0, QueueName.MAX_LENGTH - longest.length());
            return List.of(
                    QueueName.of(longest),                  // the longest name, ending in _ or a digit
                    QueueName.of(r + "0123456789"),         // digits
                    QueueName.of(r + "__x__"),              // runs of underscores
                    QueueName.of(r + "_dlq_x"),             // the dead-letter suffix inside a name
                    QueueName.of("dlq_" + r),
                    QueueName.of("select_" + r),            // an SQL keyword
                    QueueName.of(r),                        // a name and ...
                    QueueName.of("a_" + r),                 // ... the same name behind PGMQ's archive prefix
                    QueueName.of("q_" + r));                // ... and behind its queue prefix
        }

        @Test
        @DisplayName("S36 (required) Every name QueueName accepts works on every backend: push, claim, settle and inspection on the longest name, digits, runs of underscores, _dlq inside a name, an SQL keyword, and names that differ only by a backend's table prefix, each queue isolated from the others")
        void required_S36_everyValidQueueNameWorks() {
            List<QueueName> queues = edgeNames();
            Map<QueueName, List<NewTask>> pushed = new LinkedHashMap<>();
            for (QueueName queue : queues) {
                pushed.put(queue, pushAll(List.of(task(queue).build(), task(queue).build())));
            }
            WorkerId worker = Names.worker("s36");
            for (QueueName queue : queues) {
                List<ClaimedTask> claimed = backend().claim(queue, worker, 10, LONG_LEASE);
                assertThat(ids(claimed)).as("the tasks claimed from queue %s", queue)
                        .containsExactlyInAnyOrderElementsOf(newIds(pushed.get(queue)));
                assertThat(claimed).allSatisfy(c -> assertThat(c.task().queue()).isEqualTo(queue));
                Set<LeaseToken> applied = backend().settle(List.of(
                        new Settlement.Complete(claimed.get(0).lease(), utf8("done"), List.of()),
                        new Settlement.Kill(claimed.get(1).lease(), "killed on " + queue)));
                assertThat(applied).as("settlements on queue %s", queue).hasSize(2);
                if (has(INSPECTION)) {
                    Map<TaskState, Long> counts = backend().counts(queue);
                    assertThat(count(counts, TaskState.DONE)).as("DONE on %s", queue).isEqualTo(1);
                    assertThat(count(counts, TaskState.DEAD)).as("DEAD on %s", queue).isEqualTo(1);
                    assertThat(stored(queue, claimed.get(1).task().id()).lastError()).isEqualTo("killed on " + queue);
                    assertThat(backend().list(TaskQuery.of(queue))).as("list of %s", queue).hasSize(2);
                    assertThat(backend().requeue(queue, claimed.get(1).task().id())).as("requeue on %s", queue).isTrue();
                    assertThat(ids(backend().claim(queue, worker, 10, LONG_LEASE))).containsExactly(claimed.get(1).task().id());
                }
            }
        }
    }
}

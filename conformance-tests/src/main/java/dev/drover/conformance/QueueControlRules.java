package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueControl;
import dev.drover.api.QueueLimits;
import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.conformance.child.LimitedClaimerMain;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.api.Capability.MULTI_PROCESS;
import static dev.drover.conformance.KitTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S38-S41: pausing a queue and queue-wide limits ({@code SPEC.md}), enforced by the claim in the storage.
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code QueueControl} binds them to the storage
 * of the running test. The limits are checked from the claimers' side: a task counts as running from the moment its claim
 * returned until its settlement is sent, an interval inside the one the storage holds it RUNNING, so more than n counted
 * at once means more than n RUNNING in the storage; a start counts between the call of its claim and its return.
 */
abstract class QueueControlRules extends StorageRules {
    QueueControlRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S38 (required) A pause is persisted and seen by another instance: its claims take nothing while pushes are stored and a running task heartbeats and completes; a resume makes the queue claimable again")
    void required_S38_pauseAndResume() {
        QueueName queue = Names.queue();
        QueueName other = Names.queue();
        push(task(queue).build());
        NewTask second = push(task(queue).build());
        push(task(other).build());
        assertThat(backend().control(queue)).as("control of a queue never set").isEqualTo(QueueControl.DEFAULT);
        ClaimedTask running = claimOne(backend(), queue, Names.worker("s38"), LONG_LEASE);

        backend().pause(queue, true);
        Backend another = open();
        assertThat(another.control(queue).paused()).as("paused, read through another instance").isTrue();
        assertThat(another.claim(queue, Names.worker("s38-other"), 10, LONG_LEASE)).as("claim of the paused queue, another instance").isEmpty();
        assertThat(backend().settleThenClaim(List.of(), queue, Names.worker("s38"), 10, LONG_LEASE).claimed())
                .as("settleThenClaim of the paused queue").isEmpty();
        NewTask pushedWhilePaused = task(queue).build();
        another.push(List.of(pushedWhilePaused));
        assertThat(another.claim(other, Names.worker("s38-other"), 10, LONG_LEASE)).as("claim of another queue, not paused").hasSize(1);
        assertThat(backend().heartbeat(List.of(running.lease()), LONG_LEASE)).as("heartbeat of a task running when the queue was paused")
                .containsExactly(running.lease().token());
        assertThat(settle(backend(), new Settlement.Complete(running.lease(), null))).as("completion of that task")
                .containsExactly(running.lease().token());
        if (has(INSPECTION)) {
            assertThat(stored(queue, running.task().id()).state()).isEqualTo(TaskState.DONE);
            assertThat(stored(queue, pushedWhilePaused.id()).state()).as("task pushed while paused").isEqualTo(TaskState.PENDING);
        }
        assertThat(backend().claim(queue, Names.worker("s38"), 10, LONG_LEASE)).as("claim of the paused queue after a completion").isEmpty();

        another.pause(queue, false);
        assertThat(backend().control(queue).paused()).as("paused after the resume").isFalse();
        List<ClaimedTask> after = claimAll(backend(), queue, Names.worker("s38"));
        assertThat(ids(after)).as("claimed after the resume").containsExactlyInAnyOrder(second.id(), pushedWhilePaused.id());
    }

    @Test
    @DisplayName("S39 (required) A concurrency limit of n: claims never leave more than n RUNNING, from many threads on several instances; a completion or an expired lease frees a slot")
    void required_S39_concurrencyLimit() throws Exception {
        QueueName queue = Names.queue();
        pushAll(IntStream.range(0, 6).mapToObj(i -> task(queue).build()).toList());
        backend().limit(queue, QueueLimits.none().concurrency(2));
        Backend another = open();
        assertThat(another.control(queue).limits().maxRunning()).as("the limit read through another instance").hasValue(2);

        List<ClaimedTask> first = backend().claim(queue, Names.worker("s39"), 10, LONG_LEASE);
        assertThat(first).as("a claim of 10 under a limit of 2").hasSize(2);
        assertThat(another.claim(queue, Names.worker("s39-other"), 10, LONG_LEASE)).as("a claim while 2 run, another instance").isEmpty();
        settle(backend(), new Settlement.Complete(first.getFirst().lease(), null));
        assertThat(another.claim(queue, Names.worker("s39-other"), 10, SHORT_LEASE)).as("a claim after one of the 2 completed").hasSize(1);
        assertThat(backend().claim(queue, Names.worker("s39"), 10, LONG_LEASE)).as("a claim while 2 run again").isEmpty();
        // the task claimed under the short lease is abandoned: once its lease runs out it no longer counts, and is due again
        Await.until(WAIT, () -> backend().claim(queue, Names.worker("s39"), 10, LONG_LEASE).size() == 1,
                "a claim takes one task once the short lease ran out");
        backend().limit(queue, QueueLimits.none());
        claimAll(backend(), queue, Names.worker("s39-clean"));

        // many claimers at once
        QueueName busy = Names.queue();
        int limit = 3;
        int tasks = 60;
        pushAll(IntStream.range(0, tasks).mapToObj(i -> task(busy).build()).toList());
        backend().limit(busy, QueueLimits.none().concurrency(limit));
        List<Backend> instances = List.of(backend(), open(), open());
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                Backend b = instances.get(t % instances.size());
                WorkerId w = Names.worker("s39-" + t);
                futures.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (done.get() < tasks && System.nanoTime() < deadline) {
                        List<ClaimedTask> got = retrying(() -> b.claim(busy, w, 2, LONG_LEASE));
                        if (got.isEmpty()) {
                            Await.pause(WORK_PAUSE);
                            continue;
                        }
                        int now = inFlight.addAndGet(got.size());
                        most.accumulateAndGet(now, Math::max);
                        Await.pause(Duration.ofMillis(5));
                        inFlight.addAndGet(-got.size());
                        List<Settlement> settlements = got.stream().<Settlement>map(c -> new Settlement.Complete(c.lease(), null)).toList();
                        done.addAndGet(retrying(() -> b.settle(settlements)).size());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(done.get()).as("tasks completed by the claimers").isEqualTo(tasks);
        assertThat(most.get()).as("the most tasks held at once under a limit of %d", limit).isBetween(1, limit);
    }

    @Test
    @DisplayName("S40 (required) A rate limit of n per interval: no window of that length holds more than n starts, from several claimers; once the window has passed, claims start tasks again")
    void required_S40_rateLimit() throws Exception {
        QueueName queue = Names.queue();
        int n = 3;
        Duration interval = Duration.ofMillis(700);
        pushAll(IntStream.range(0, 40).mapToObj(i -> task(queue).build()).toList());
        backend().limit(queue, QueueLimits.none().rate(n, interval));
        assertThat(open().control(queue).limits().maxStarts()).as("the rate read through another instance").hasValue(n);

        record Start(long calledNanos, long returnedNanos, int count) {
        }
        List<Start> starts = Collections.synchronizedList(new ArrayList<>());
        List<Backend> instances = List.of(backend(), open());
        long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Backend b = instances.get(t % instances.size());
                WorkerId w = Names.worker("s40-" + t);
                futures.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long called = System.nanoTime();
                        List<ClaimedTask> got = retrying(() -> b.claim(queue, w, 5, LONG_LEASE));
                        long returned = System.nanoTime();
                        if (!got.isEmpty()) {
                            starts.add(new Start(called, returned, got.size()));
                            List<Settlement> settlements = got.stream().<Settlement>map(c -> new Settlement.Complete(c.lease(), null)).toList();
                            retrying(() -> b.settle(settlements));
                        }
                        Await.pause(WORK_PAUSE);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        List<Start> all = new ArrayList<>(starts);
        assertThat(all).as("claims that started tasks in 2.5 s under a rate of %d per %s", n, interval).isNotEmpty();
        // claims whose whole call lies inside a window shorter than the interval started their tasks inside it
        for (Start from : all) {
            int inWindow = 0;
            for (Start s : all) {
                if (s.calledNanos() >= from.calledNanos() && s.returnedNanos() - from.calledNanos() < interval.toNanos()) inWindow += s.count();
            }
            assertThat(inWindow).as("starts within %s after a claim called at +%d ms", interval,
                    Duration.ofNanos(from.calledNanos() - all.getFirst().calledNanos()).toMillis()).isLessThanOrEqualTo(n);
        }
        int total = all.stream().mapToInt(Start::count).sum();
        assertThat(total).as("starts in 2.5 s: the window slides on, so more than one interval's worth").isGreaterThan(n);
    }

    @Test
    @DisplayName("S41 (optional: MULTI_PROCESS) Two child JVMs and this one claiming a queue with a concurrency limit of 2: never more than 2 hold tasks at once")
    void optional_S41_concurrencyLimitAcrossProcesses() throws Exception {
        requires(MULTI_PROCESS, "S41");
        QueueName queue = Names.queue();
        int limit = 2;
        int tasks = 40;
        pushAll(IntStream.range(0, tasks).mapToObj(i -> task(queue).build()).toList());
        backend().limit(queue, QueueLimits.none().concurrency(limit));
        Path logs = kitDir().resolve("children");
        List<ChildJvm> claimers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChildJvm child = ChildJvm.start(LimitedClaimerMain.class, logs, url(), queue.value(), "2", "15");
            children().add(child);
            claimers.add(child);
        }
        for (ChildJvm child : claimers) child.awaitLineStartingWith("READY", Duration.ofSeconds(45));
        for (ChildJvm child : claimers) child.send("GO");
        for (ChildJvm child : claimers) {
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as("exit of %s: %s", child, child.stderrTail()).isZero();
        }
        // events: +count at the claim's return, -count at the settlement's call; at equal milliseconds the end goes first
        List<long[]> events = new ArrayList<>();
        int held = 0;
        for (ChildJvm child : claimers) {
            for (String line : child.linesStartingWith("HELD")) {
                String[] f = line.split(" ");
                int count = Integer.parseInt(f[3]);
                held += count;
                events.add(new long[] {Long.parseLong(f[1]), 1, count});
                events.add(new long[] {Long.parseLong(f[2]), 0, -count});
            }
        }
        assertThat(held).as("tasks held by the three processes").isEqualTo(tasks);
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int most = 0;
        for (long[] e : events) {
            now += (int) e[2];
            most = Math.max(most, now);
        }
        assertThat(most).as("the most tasks held at once across the processes, under a limit of %d", limit).isBetween(1, limit);
    }

    private static <T> T retrying(Supplier<T> call) {
        for (int failures = 1; ; failures++) {
            try {
                return call.get();
            } catch (StorageException e) {
                if (!e.isTransient() || failures > 200) throw e;
                Await.pause(Duration.ofMillis(5L * Math.min(failures, 20)));
            }
        }
    }
}

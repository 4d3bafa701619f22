package dev.drover.conformance;

import dev.drover.api.Capability;
import dev.drover.api.DoNotRetryException;
import dev.drover.api.Drover;
import dev.drover.api.ResultHandler;
import dev.drover.api.RetryAfterException;
import dev.drover.api.Task;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.codec.BytesCodec;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.conformance.child.BlockingWorkerMain;
import dev.drover.conformance.child.Message;
import dev.drover.conformance.child.MonitorWorkerMain;
import dev.drover.conformance.child.PusherMain;
import dev.drover.spi.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.api.Capability.MULTI_PROCESS;
import static dev.drover.api.Capability.WAKEUPS;
import static dev.drover.conformance.KitTasks.count;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker rules of {@code SPEC.md} (W1 to W27, and W29 to W31): the real {@link Worker} runtime, end to end, on the backend under
 * test, opened with {@link Drover#open(String)}.
 * <p>
 * A backend module extends this class and writes one method, {@link #storageUrl(Path)}, exactly as for
 * {@link StorageContract}. Where a rule's outcome is a stored state, it is read back when the backend declares
 * {@link Capability#INSPECTION}; the worker's events are checked on every backend.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract non-sealed class WorkerContract extends BackendContract {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration FAST_POLL_MIN = Duration.ofMillis(20);
    static final Duration FAST_POLL_MAX = Duration.ofMillis(200);

    private Drover first;
    private final List<Drover> drovers = new CopyOnWriteArrayList<>();
    private final List<Worker<?>> workers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() {
        List<Worker<?>> started = new ArrayList<>(workers);
        Collections.reverse(started);
        for (Worker<?> worker : started) worker.shutdown(Duration.ofMillis(500));
        closeAll(drovers, "Drover");
    }

    // ---- what the rules use ----

    /** The Drover this test works with, opened on first use. */
    protected final Drover drover() {
        if (first == null) first = openDrover();
        return first;
    }

    /** Another Drover (another backend instance) on the same storage, as a second application instance would have. */
    protected final Drover openDrover() {
        Drover drover = Drover.open(url());
        drovers.add(drover);
        return drover;
    }

    @Override
    final Backend subject() {
        return drover().backend();
    }

    /** A queue of {@link Message}s (JSON) with a name of its own. */
    protected final TaskQueue<Message> messages(Drover drover) {
        return drover.queue(Names.queue().value(), Message.class);
    }

    /** Starts the worker the builder describes and stops it after the test. */
    protected final <T> Worker<T> start(Worker.Builder<T> builder) {
        Worker<T> worker = builder.build();
        workers.add(worker);
        return worker.start();
    }

    private static TaskRecord stored(TaskQueue<?> queue, TaskId id) {
        return queue.get(id).orElseThrow(() -> new AssertionError("task " + id + " of " + queue.name() + " is not stored"));
    }

    private static List<Message> numbered(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Message("task " + i, i)).toList();
    }

    private static void awaitCompleted(EventLog log, TaskId id, String what) {
        Await.until(WAIT, () -> log.completion(id).isPresent(), what + " (events:" + log + ")");
    }

    private static void awaitDead(EventLog log, TaskId id, String what) {
        Await.until(WAIT, () -> log.death(id).isPresent(), what + " (events:" + log + ")");
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Worker rules W1-W4: running tasks")
    class Running {

        @Test
        @DisplayName("W1 (required) Every pushed task runs once and ends DONE: 500 tasks on a worker of concurrency 4")
        void required_W01_everyTaskRunsAndEndsDone() {
            TaskQueue<Message> queue = messages(drover());
            List<TaskId> ids = queue.pushAll(numbered(500));
            Map<TaskId, AtomicInteger> runs = new ConcurrentHashMap<>();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> runs.computeIfAbsent(task.id(), k -> new AtomicInteger()).incrementAndGet())
                    .concurrency(4).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            Await.until(Duration.ofSeconds(40), () -> log.completedIds().size() >= ids.size(),
                    "all " + ids.size() + " tasks are completed");
            assertThat(log.completedIds()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(runs.entrySet()).as("tasks run more than once").noneMatch(e -> e.getValue().get() != 1);
            if (has(INSPECTION)) {
                Map<TaskState, Long> counts = queue.counts();
                assertThat(count(counts, TaskState.DONE)).as("DONE in %s", counts).isEqualTo(ids.size());
            }
        }

        @Test
        @DisplayName("W2 (required) A handler sees its task as pushed: id, queue, decoded payload, attempt 1, max attempts, priority, metadata, enqueue time")
        void required_W02_handlerSeesTheTask() {
            TaskQueue<Message> queue = messages(drover());
            Instant before = Instant.now();
            TaskId id = queue.push(new Message("héllo ✓", 42),
                    TaskOptions.defaults().priority(4).maxAttempts(6).metadata("tenant", "acme").metadata("trace", "t-1"));
            AtomicReference<Task<Message>> seen = new AtomicReference<>();
            EventLog log = new EventLog();
            start(drover().worker(queue, seen::set).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            awaitCompleted(log, id, "the task is completed");
            Task<Message> task = seen.get();
            assertThat(task.id()).isEqualTo(id);
            assertThat(task.queue()).isEqualTo(queue.name());
            assertThat(task.payload()).isEqualTo(new Message("héllo ✓", 42));
            assertThat(task.attempt()).isEqualTo(1);
            assertThat(task.maxAttempts()).isEqualTo(6);
            assertThat(task.isLastAttempt()).isFalse();
            assertThat(task.priority()).isEqualTo(4);
            assertThat(task.metadata()).isEqualTo(Map.of("tenant", "acme", "trace", "t-1"));
            assertThat(task.enqueuedAt()).isBetween(before.minus(CLOCK_TOLERANCE), Instant.now().plus(CLOCK_TOLERANCE));
        }

        @Test
        @DisplayName("W3 (required) A worker runs at most its concurrency of tasks at once")
        void required_W03_concurrencyIsBounded() {
            TaskQueue<Message> queue = messages(drover());
            List<TaskId> ids = queue.pushAll(numbered(30));
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> {
                int now = running.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(100); // the task's work
                } finally {
                    running.decrementAndGet();
                }
            }).concurrency(3).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            Await.until(WAIT, () -> log.completedIds().size() >= ids.size(), "all tasks are completed");
            assertThat(most.get()).as("most handlers running at once, concurrency 3").isLessThanOrEqualTo(3).isGreaterThanOrEqualTo(2);
        }

        @Test
        @DisplayName("W4 (required) A task not yet due is not started before its run_at")
        void required_W04_scheduledTaskWaitsForItsTime() {
            TaskQueue<Message> queue = messages(drover());
            Instant pushedAt = Instant.now();
            TaskId later = queue.push(new Message("later", 1), TaskOptions.defaults().runAfter(Duration.ofMillis(1200)));
            TaskId now = queue.push(new Message("now", 2));
            Map<TaskId, Instant> startedAt = new ConcurrentHashMap<>();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> startedAt.put(task.id(), Instant.now()))
                    .pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            awaitCompleted(log, later, "the scheduled task is completed");
            awaitCompleted(log, now, "the due task is completed");
            assertThat(startedAt.get(later)).as("start of the task due 1200 ms after %s", pushedAt)
                    .isAfterOrEqualTo(pushedAt.plusMillis(1200).minus(CLOCK_TOLERANCE));
            assertThat(startedAt.get(now)).as("the due task starts first").isBefore(startedAt.get(later));
        }
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Worker rules W5-W9 and W17-W19: failures")
    class Failures {

        @Test
        @DisplayName("W5 (required) A failing handler is retried with attempts 1 to max attempts, then the task is DEAD with the last error kept")
        void required_W05_failuresAreRetriedThenDead() {
            TaskQueue<Message> queue = messages(drover());
            TaskId id = queue.push(new Message("always fails", 0), TaskOptions.defaults().maxAttempts(3));
            List<Integer> attempts = new CopyOnWriteArrayList<>();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> {
                attempts.add(task.attempt());
                throw new IllegalStateException("boom on attempt " + task.attempt());
            }).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50))).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            awaitDead(log, id, "the task is DEAD after 3 attempts");
            assertThat(attempts).as("attempts the handler saw").containsExactly(1, 2, 3);
            assertThat(log.of(WorkerEvent.TaskRetrying.class, id)).extracting(WorkerEvent.TaskRetrying::attempt).containsExactly(1, 2);
            WorkerEvent.TaskDead dead = log.death(id).orElseThrow();
            assertThat(dead.attempt()).isEqualTo(3);
            assertThat(dead.error()).contains("boom on attempt 3");
            if (has(INSPECTION)) {
                TaskRecord r = stored(queue, id);
                assertThat(r.state()).isEqualTo(TaskState.DEAD);
                assertThat(r.attempt()).isEqualTo(3);
                assertThat(r.lastError()).contains("boom on attempt 3");
            }
        }

        @Test
        @DisplayName("W6 (required) The retry backoff is persisted: the task is PENDING with its error until the delay has passed, and a new worker does not run it earlier")
        void required_W06_backoffIsPersisted() {
            TaskQueue<Message> queue = messages(drover());
            TaskId id = queue.push(new Message("fails once", 0), TaskOptions.defaults().maxAttempts(2));
            Duration backoff = Duration.ofMillis(1500);
            AtomicReference<Instant> failedAt = new AtomicReference<>();
            EventLog firstLog = new EventLog();
            Worker<Message> firstWorker = start(drover().worker(queue, task -> {
                failedAt.set(Instant.now());
                throw new IllegalStateException("first attempt fails");
            }).retryPolicy(RetryPolicy.fixed(backoff)).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(firstLog));
            Await.until(WAIT, () -> !firstLog.of(WorkerEvent.TaskRetrying.class, id).isEmpty(), "the failed attempt's retry is recorded");
            firstWorker.shutdown(Duration.ofSeconds(5));
            Instant dueNoEarlierThan = failedAt.get().plus(backoff).minus(CLOCK_TOLERANCE);
            if (has(INSPECTION)) {
                TaskRecord r = stored(queue, id);
                assertThat(r.state()).isEqualTo(TaskState.PENDING);
                assertThat(r.attempt()).isEqualTo(1);
                assertThat(r.lastError()).contains("first attempt fails");
                assertThat(r.runAt()).as("persisted run_at").isAfterOrEqualTo(dueNoEarlierThan);
            }
            Drover other = openDrover();
            AtomicReference<Instant> secondStart = new AtomicReference<>();
            AtomicInteger secondAttempt = new AtomicInteger();
            EventLog secondLog = new EventLog();
            start(other.worker(other.queue(queue.name().value(), Message.class), task -> {
                secondStart.set(Instant.now());
                secondAttempt.set(task.attempt());
            }).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(secondLog));
            awaitCompleted(secondLog, id, "a new worker completes the retried task");
            assertThat(secondAttempt.get()).isEqualTo(2);
            assertThat(secondStart.get()).as("start of attempt 2 (attempt 1 failed at %s, backoff %s)", failedAt.get(), backoff)
                    .isAfterOrEqualTo(dueNoEarlierThan);
        }

        @Test
        @DisplayName("W7 (required) A handler that throws DoNotRetryException makes the task DEAD after one run, with its message kept")
        void required_W07_doNotRetryKills() {
            TaskQueue<Message> queue = messages(drover());
            TaskId id = queue.push(new Message("declined", 0), TaskOptions.defaults().maxAttempts(5));
            AtomicInteger runs = new AtomicInteger();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> {
                runs.incrementAndGet();
                throw new DoNotRetryException("card declined: retrying cannot help");
            }).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(10))).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            awaitDead(log, id, "the task is DEAD");
            assertThat(runs.get()).isEqualTo(1);
            assertThat(log.death(id).orElseThrow().error()).contains("card declined: retrying cannot help");
            assertThat(log.of(WorkerEvent.TaskRetrying.class, id)).isEmpty();
            if (has(INSPECTION)) {
                TaskRecord r = stored(queue, id);
                assertThat(r.state()).isEqualTo(TaskState.DEAD);
                assertThat(r.attempt()).isEqualTo(1);
                assertThat(r.lastError()).contains("card declined: retrying cannot help");
            }
        }

        @Test
        @DisplayName("W8 (required) A payload the queue's codec cannot decode makes the task DEAD with an error naming the task and the codec, and the worker goes on with the next tasks")
        void required_W08_undecodablePayloadIsDeadAndWorkerGoesOn() {
            String name = Names.queue().value();
            TaskQueue<Message> typed = drover().queue(name, Message.class);
            TaskQueue<byte[]> raw = drover().queue(name, BytesCodec.INSTANCE);
            TaskId bad = raw.push(new byte[] {(byte) 0xff, 0x00, 'n', 'o', 't', ' ', 'j', 's', 'o', 'n', (byte) 0xc3});
            List<TaskId> good = typed.pushAll(numbered(3));
            List<Message> handled = new CopyOnWriteArrayList<>();
            EventLog log = new EventLog();
            start(drover().worker(typed, task -> handled.add(task.payload()))
                    .concurrency(1).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            awaitDead(log, bad, "the undecodable task is DEAD");
            for (TaskId id : good) awaitCompleted(log, id, "a good task after the bad one is completed");
            String error = log.death(bad).orElseThrow().error();
            assertThat(error).as("the error of the undecodable task").contains(bad.value()).contains(typed.codec().name());
            assertThat(handled).as("payloads the handler saw").containsExactlyInAnyOrderElementsOf(numbered(3));
            assertThat(log.of(WorkerEvent.TaskStarted.class, bad)).as("the handler is not started for the undecodable task").isEmpty();
            if (has(INSPECTION)) {
                TaskRecord r = stored(typed, bad);
                assertThat(r.state()).isEqualTo(TaskState.DEAD);
                assertThat(r.lastError()).contains(bad.value()).contains(typed.codec().name());
            }
        }

        @Test
        @DisplayName("W9 (required) A handler running past the task timeout is interrupted and its attempt counts as failed")
        void required_W09_timeoutInterruptsAndFails() {
            TaskQueue<Message> queue = messages(drover());
            TaskId id = queue.push(new Message("hangs once", 0), TaskOptions.defaults().maxAttempts(2));
            AtomicBoolean interrupted = new AtomicBoolean();
            List<Integer> attempts = new CopyOnWriteArrayList<>();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> {
                attempts.add(task.attempt());
                if (task.attempt() == 1) {
                    try {
                        Thread.sleep(Duration.ofSeconds(30)); // hangs
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                    }
                }
            }).taskTimeout(Duration.ofMillis(400)).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50)))
                    .pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            awaitCompleted(log, id, "attempt 2 completes after attempt 1 timed out");
            assertThat(interrupted.get()).as("the hanging handler was interrupted").isTrue();
            assertThat(attempts).containsExactly(1, 2);
            List<WorkerEvent.TaskRetrying> retries = log.of(WorkerEvent.TaskRetrying.class, id);
            assertThat(retries).hasSize(1);
            assertThat(retries.getFirst().attempt()).isEqualTo(1);
            assertThat(retries.getFirst().error()).as("the failed attempt's error").containsIgnoringCase("timed out");
            assertThat(log.completion(id).orElseThrow().attempt()).isEqualTo(2);
        }

        @Test
        @DisplayName("W17 (required) A result handler's result is kept with the DONE task, and RetryAfterException retries after the delay it names, not the policy's")
        void required_W17_resultsAndChosenRetryDelays() {
            TaskQueue<Message> queue = messages(drover());
            TaskId id = queue.push(new Message("result", 0), TaskOptions.defaults().maxAttempts(3));
            Duration chosen = Duration.ofMillis(1200);
            AtomicReference<Instant> failedAt = new AtomicReference<>();
            AtomicReference<Instant> secondStart = new AtomicReference<>();
            EventLog log = new EventLog();
            start(drover().workerWithResults(queue, task -> {
                if (task.attempt() == 1) {
                    failedAt.set(Instant.now());
                    throw new RetryAfterException(chosen, "not yet");
                }
                secondStart.set(Instant.now());
                return ResultHandler.Completion.of(("done on attempt " + task.attempt()).getBytes(StandardCharsets.UTF_8));
            }).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(10))).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            awaitCompleted(log, id, "the task completes on its second attempt");
            assertThat(secondStart.get()).as("start of attempt 2 (attempt 1 asked to retry after %s)", chosen)
                    .isAfterOrEqualTo(failedAt.get().plus(chosen).minus(CLOCK_TOLERANCE));
            if (has(INSPECTION)) {
                TaskRecord r = stored(queue, id);
                assertThat(r.state()).isEqualTo(TaskState.DONE);
                assertThat(new String(r.result(), StandardCharsets.UTF_8)).isEqualTo("done on attempt 2");
                assertThat(r.lastError()).contains("not yet");
            }
        }

        @Test
        @DisplayName("W18 (required) A timed-out handler that ignores its interrupt never runs at the same time as its own retry: the failed attempt is recorded only once its thread has ended")
        void required_W18_timedOutHandlerNeverOverlapsItsRetry() {
            TaskQueue<Message> queue = messages(drover());
            TaskId id = queue.push(new Message("ignores its interrupt", 0), TaskOptions.defaults().maxAttempts(3));
            Duration timeout = Duration.ofMillis(300);
            Duration ignoring = Duration.ofMillis(1500);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Integer> attempts = new CopyOnWriteArrayList<>();
            List<WorkerEvent> outcomesWhileRunning = new CopyOnWriteArrayList<>();
            EventLog log = new EventLog();
            Worker<Message> worker = start(drover().worker(queue, task -> {
                attempts.add(task.attempt());
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    ignoreInterruptsFor(ignoring, new AtomicBoolean()); // the task's work, deaf to the timeout's interrupt
                } finally {
                    running.decrementAndGet();
                }
            }).concurrency(2).taskTimeout(timeout).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50)))
                    .pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(event -> {
                        boolean outcome = event instanceof WorkerEvent.TaskRetrying || event instanceof WorkerEvent.TaskDead;
                        if (outcome && running.get() > 0) outcomesWhileRunning.add(event);
                        log.onEvent(event);
                    }));
            awaitDead(log, id, "the task is DEAD after its third timed-out attempt");
            assertThat(most.get()).as("runs of the task at the same time (attempts %s)", attempts).isEqualTo(1);
            assertThat(outcomesWhileRunning).as("outcomes recorded while a run of the task was still executing").isEmpty();
            assertThat(attempts).as("attempts the handler saw").containsExactly(1, 2, 3);
            assertThat(log.of(WorkerEvent.TaskRetrying.class, id)).extracting(WorkerEvent.TaskRetrying::attempt).containsExactly(1, 2);
            assertThat(log.of(WorkerEvent.TaskRetrying.class, id)).allSatisfy(r -> assertThat(r.error()).containsIgnoringCase("timed out"));
            WorkerEvent.TaskDead dead = log.death(id).orElseThrow();
            assertThat(dead.attempt()).isEqualTo(3);
            assertThat(dead.error()).containsIgnoringCase("timed out");
            assertThat(log.of(WorkerEvent.TaskStuck.class, id)).as("runs reported stuck")
                    .extracting(WorkerEvent.TaskStuck::attempt).containsExactly(1, 2, 3);
            assertThat(log.of(WorkerEvent.TaskStuck.class, id)).allSatisfy(e -> assertThat(e.running()).isGreaterThanOrEqualTo(timeout));
            assertThat(worker.stats().stuck()).as("stuck runs counted").isEqualTo(3);
            if (has(INSPECTION)) {
                TaskRecord r = stored(queue, id);
                assertThat(r.state()).isEqualTo(TaskState.DEAD);
                assertThat(r.attempt()).isEqualTo(3);
            }
        }

        @Test
        @DisplayName("W19 (required) The worker gives up on a stuck handler after its stuckTaskLimit: the timed-out attempt is recorded then, not before, while the thread still runs, and its slot stays taken until the thread ends")
        void required_W19_workerGivesUpOnAStuckHandlerAfterItsLimit() {
            TaskQueue<Message> queue = messages(drover());
            TaskId deaf = queue.push(new Message("deaf", 0), TaskOptions.defaults().maxAttempts(1));
            Duration timeout = Duration.ofMillis(300);
            Duration limit = Duration.ofMillis(700);
            AtomicLong deafStarted = new AtomicLong();
            AtomicLong deafEnded = new AtomicLong();
            AtomicLong nextStarted = new AtomicLong();
            AtomicBoolean runningAtDeath = new AtomicBoolean();
            AtomicLong deathNanos = new AtomicLong();
            CountDownLatch letGo = new CountDownLatch(1);
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> {
                if (!task.id().equals(deaf)) {
                    nextStarted.set(System.nanoTime());
                    return;
                }
                deafStarted.set(System.nanoTime());
                ignoreInterruptsUntil(letGo, new AtomicBoolean());
                deafEnded.set(System.nanoTime());
            }).concurrency(1).taskTimeout(timeout).stuckTaskLimit(limit).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(event -> {
                if (event instanceof WorkerEvent.TaskDead d && d.taskId().equals(deaf)) {
                    deathNanos.set(System.nanoTime());
                    runningAtDeath.set(deafEnded.get() == 0);
                }
                log.onEvent(event);
            }));
            try {
                Await.until(WAIT, () -> !log.of(WorkerEvent.TaskStarted.class, deaf).isEmpty(), "the deaf task has started");
                TaskId next = queue.push(new Message("next", 1));
                awaitDead(log, deaf, "the worker gives up on the deaf task, its only attempt");
                assertThat(runningAtDeath.get()).as("the deaf handler was still running when the worker gave up on it").isTrue();
                // The worker measures from the claim, a moment before the handler starts: CLOCK_TOLERANCE covers that moment.
                assertThat(Duration.ofNanos(deathNanos.get() - deafStarted.get())).as("from the deaf handler's start to the task's death")
                        .isGreaterThanOrEqualTo(timeout.plus(limit).minus(CLOCK_TOLERANCE));
                assertThat(log.death(deaf).orElseThrow().error()).containsIgnoringCase("timed out").contains("gave up");
                assertThat(log.of(WorkerEvent.TaskStuck.class, deaf)).as("the deaf run reported stuck").hasSize(1);
                Await.pause(Duration.ofMillis(600)); // three polls of the worker: a free slot would start the next task
                assertThat(log.of(WorkerEvent.TaskStarted.class, next)).as("the next task started while the deaf handler runs (concurrency 1)").isEmpty();
                letGo.countDown();
                awaitCompleted(log, next, "the next task runs once the deaf handler has ended");
                assertThat(nextStarted.get()).as("the next task's start, after the deaf handler ended").isGreaterThanOrEqualTo(deafEnded.get());
            } finally {
                letGo.countDown();
            }
            if (has(INSPECTION)) {
                TaskRecord r = stored(queue, deaf);
                assertThat(r.state()).isEqualTo(TaskState.DEAD);
                assertThat(r.attempt()).isEqualTo(1);
            }
        }
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Worker rules W10-W14 and W20: leases, shutdown and crashes")
    class LeasesAndShutdown {

        @Test
        @DisplayName("W10 (required) Heartbeats keep the lease of a task running three times longer than the lease: it runs once, completes, and no lease is lost")
        void required_W10_heartbeatsKeepLongTasks() {
            TaskQueue<Message> queue = messages(drover());
            TaskId id = queue.push(new Message("long", 0));
            Duration lease = Duration.ofMillis(600);
            AtomicInteger runs = new AtomicInteger();
            EventLog log = new EventLog();
            EventLog rivalLog = new EventLog();
            start(drover().worker(queue, task -> {
                runs.incrementAndGet();
                Thread.sleep(lease.multipliedBy(3)); // the task's work
            }).leaseDuration(lease).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            Drover other = openDrover();
            start(other.worker(other.queue(queue.name().value(), Message.class), task -> runs.incrementAndGet())
                    .leaseDuration(lease).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(rivalLog));
            Await.until(WAIT, () -> log.completion(id).isPresent() || rivalLog.completion(id).isPresent(), "the long task completes");
            assertThat(runs.get()).as("runs of the long task").isEqualTo(1);
            assertThat(log.completion(id)).as("completed by the worker that started it").isPresent();
            assertThat(log.all(WorkerEvent.LeaseLost.class)).as("leases lost").isEmpty();
            assertThat(rivalLog.all(WorkerEvent.TaskStarted.class)).as("tasks the rival worker started").isEmpty();
            if (has(INSPECTION)) {
                TaskRecord r = stored(queue, id);
                assertThat(r.state()).isEqualTo(TaskState.DONE);
                assertThat(r.attempt()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("W11 (required) Graceful shutdown lets running tasks that finish within the drain timeout complete")
        void required_W11_shutdownDrainsFinishingTasks() {
            TaskQueue<Message> queue = messages(drover());
            List<TaskId> ids = queue.pushAll(numbered(2));
            EventLog log = new EventLog();
            Worker<Message> worker = start(drover().worker(queue, task -> Thread.sleep(400)) // the task's work
                    .concurrency(2).drainTimeout(Duration.ofSeconds(10)).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            Await.until(WAIT, () -> log.all(WorkerEvent.TaskStarted.class).size() == 2, "both tasks have started");
            assertThat(worker.shutdown(Duration.ofSeconds(10))).as("shutdown drained cleanly").isTrue();
            assertThat(log.completedIds()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(log.all(WorkerEvent.TaskReleased.class)).isEmpty();
            if (has(INSPECTION)) for (TaskId id : ids) assertThat(stored(queue, id).state()).isEqualTo(TaskState.DONE);
        }

        @Test
        @DisplayName("W12 (required) Graceful shutdown releases the tasks that do not finish within the drain timeout: PENDING, attempt given back, and a new worker runs them as first attempts")
        void required_W12_shutdownReleasesUnfinishedTasks() {
            TaskQueue<Message> queue = messages(drover());
            List<TaskId> ids = queue.pushAll(numbered(3));
            EventLog log = new EventLog();
            Worker<Message> worker = start(drover().worker(queue, task -> Thread.sleep(Duration.ofSeconds(30))) // does not finish
                    .concurrency(2).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            Await.until(WAIT, () -> log.all(WorkerEvent.TaskStarted.class).size() == 2, "two tasks have started");
            List<TaskId> started = log.all(WorkerEvent.TaskStarted.class).stream().map(WorkerEvent.TaskStarted::taskId).toList();
            assertThat(worker.shutdown(Duration.ofMillis(300))).as("shutdown drained cleanly").isFalse();
            assertThat(log.all(WorkerEvent.TaskReleased.class)).extracting(WorkerEvent.TaskReleased::taskId)
                    .containsExactlyInAnyOrderElementsOf(started);
            if (has(INSPECTION)) {
                for (TaskId id : ids) {
                    TaskRecord r = stored(queue, id);
                    assertThat(r.state()).as("state of %s after shutdown", id).isEqualTo(TaskState.PENDING);
                    assertThat(r.attempt()).as("attempt of %s after shutdown", id).isZero();
                }
            }
            Drover other = openDrover();
            Map<TaskId, Integer> attempts = new ConcurrentHashMap<>();
            EventLog nextLog = new EventLog();
            start(other.worker(other.queue(queue.name().value(), Message.class), task -> attempts.put(task.id(), task.attempt()))
                    .pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(nextLog));
            Await.until(WAIT, () -> nextLog.completedIds().containsAll(ids), "a new worker completes all three tasks");
            assertThat(attempts).as("attempts the new worker saw").containsOnlyKeys(ids).allSatisfy((id, attempt) -> assertThat(attempt).isEqualTo(1));
        }

        @Test
        @DisplayName("W13 (optional: MULTI_PROCESS) A task pushed by another process is picked up by this process's worker")
        void optional_W13_taskFromAnotherProcessIsPickedUp() {
            requires(MULTI_PROCESS, "W13");
            TaskQueue<Message> queue = messages(drover());
            Map<TaskId, Message> handled = new ConcurrentHashMap<>();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> handled.put(task.id(), task.payload()))
                    .pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            List<TaskId> pushed = new ArrayList<>();
            try (ChildJvm pusher = ChildJvm.start(PusherMain.class, kitDir.resolve("children"), url(), queue.name().value(), "20")) {
                children.add(pusher);
                assertThat(pusher.awaitExit(Duration.ofSeconds(45))).as("exit code of %s%s", pusher, pusher.stderrTail()).isZero();
                for (String line : pusher.linesStartingWith("PUSHED ")) pushed.add(TaskId.of(line.substring("PUSHED ".length())));
                assertThat(pushed).as("tasks the child pushed").hasSize(20);
                Await.until(WAIT, () -> log.completedIds().containsAll(pushed), "this process's worker completes the 20 tasks of " + pusher);
                long childPid = pusher.pid();
                assertThat(handled.keySet()).containsExactlyInAnyOrderElementsOf(pushed);
                assertThat(handled.values()).allSatisfy(m -> assertThat(m.text()).isEqualTo("from pid " + childPid));
            }
        }

        @Test
        @DisplayName("W14 (optional: MULTI_PROCESS) When a worker process is killed (SIGKILL) mid-task, another worker takes the task over once its lease runs out: it ends DONE on attempt 2, and no task is lost")
        void optional_W14_killedWorkersTaskIsTakenOver() {
            requires(MULTI_PROCESS, "W14");
            TaskQueue<Message> queue = messages(drover());
            Duration childLease = Duration.ofSeconds(2);
            List<TaskId> ids;
            Instant pushedAt;
            Instant leaseAfterKill = null;
            TaskId victim;
            try (ChildJvm child = ChildJvm.start(BlockingWorkerMain.class, kitDir.resolve("children"), url(), queue.name().value(),
                    String.valueOf(childLease.toMillis()))) {
                children.add(child);
                child.awaitLineStartingWith("WORKER ", Duration.ofSeconds(45));
                pushedAt = Instant.now(); // the child claims after the push, so its lease runs out after pushedAt + childLease
                ids = queue.pushAll(numbered(5));
                String line = child.awaitLineStartingWith("STARTED ", Duration.ofSeconds(45));
                String[] parts = line.split(" ");
                victim = TaskId.of(parts[1]);
                assertThat(parts[2]).as("attempt of the task in the child").isEqualTo("1");
                int exit = child.kill();
                assertThat(exit).as("exit code of the SIGKILLed child").isNotZero();
            }
            assertThat(ids).contains(victim);
            if (has(INSPECTION)) {
                TaskRecord held = stored(queue, victim);
                assertThat(held.state()).as("the victim right after the kill").isEqualTo(TaskState.RUNNING);
                leaseAfterKill = held.leaseExpiresAt(); // heartbeats only extend it, and the child can send no more
                assertThat(leaseAfterKill).as("the dead child's lease expiry, stored").isNotNull();
            }

            Map<TaskId, Integer> attempts = new ConcurrentHashMap<>();
            Map<TaskId, Instant> startedAt = new ConcurrentHashMap<>();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> {
                        startedAt.put(task.id(), Instant.now());
                        attempts.put(task.id(), task.attempt());
                    })
                    .leaseDuration(Duration.ofSeconds(5)).pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            Await.until(WAIT, () -> log.completedIds().containsAll(ids), "every task is completed after the crash");
            assertThat(attempts.get(victim)).as("attempt of the task taken over").isEqualTo(2);
            assertThat(log.completion(victim).orElseThrow().attempt()).isEqualTo(2);
            Instant takenOver = startedAt.get(victim);
            if (leaseAfterKill != null) {
                assertThat(takenOver).as("when the task was taken over: the dead child's lease, read after the kill, ran out at %s "
                        + "(less %d ms of clock allowance)", leaseAfterKill, CLOCK_TOLERANCE.toMillis())
                        .isAfterOrEqualTo(leaseAfterKill.minus(CLOCK_TOLERANCE));
            }
            assertThat(takenOver).as("when the task was taken over: the child claimed it after the push at %s with a lease of %d ms "
                    + "(less %d ms of clock allowance)", pushedAt, childLease.toMillis(), CLOCK_TOLERANCE.toMillis())
                    .isAfterOrEqualTo(pushedAt.plus(childLease).minus(CLOCK_TOLERANCE));
            for (TaskId id : ids) {
                if (!id.equals(victim)) assertThat(attempts.get(id)).as("attempt of %s, never claimed by the child", id).isEqualTo(1);
            }
            if (has(INSPECTION)) {
                TaskRecord r = stored(queue, victim);
                assertThat(r.state()).isEqualTo(TaskState.DONE);
                assertThat(r.attempt()).isEqualTo(2);
                assertThat(count(queue.counts(), TaskState.DONE)).isEqualTo(ids.size());
            }
        }

        @Test
        @DisplayName("W20 (required) Shutdown waits within its drain timeout for a timed-out handler that ignores its interrupt, and reports an unclean stop when such a handler is still running after it")
        void required_W20_shutdownWaitsForTimedOutHandlers() {
            // A handler that ends 1.5 s after its start, long after its timeout (300 ms): shutdown waits for it.
            TaskQueue<Message> queue = messages(drover());
            TaskId late = queue.push(new Message("ends late", 0), TaskOptions.defaults().maxAttempts(3));
            AtomicBoolean interrupted = new AtomicBoolean();
            AtomicBoolean ended = new AtomicBoolean();
            EventLog log = new EventLog();
            Worker<Message> worker = start(drover().worker(queue, task -> {
                try {
                    ignoreInterruptsFor(Duration.ofMillis(1500), interrupted);
                } finally {
                    ended.set(true);
                }
            }).taskTimeout(Duration.ofMillis(300)).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50)))
                    .pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            Await.until(WAIT, interrupted::get, "the handler is interrupted by its timeout");
            boolean clean = worker.shutdown(WAIT);
            assertThat(ended.get()).as("the timed-out handler had ended when shutdown returned").isTrue();
            assertThat(clean).as("shutdown drained cleanly").isTrue();
            assertThat(log.of(WorkerEvent.TaskRetrying.class, late)).as("the timed-out attempt's failure is recorded")
                    .extracting(WorkerEvent.TaskRetrying::attempt).containsExactly(1);

            // A handler that ignores its interrupt until the test lets it go: still running after the drain timeout (300 ms).
            TaskQueue<Message> other = messages(drover());
            TaskId deaf = other.push(new Message("deaf", 1), TaskOptions.defaults().maxAttempts(3));
            AtomicBoolean deafInterrupted = new AtomicBoolean();
            CountDownLatch letGo = new CountDownLatch(1);
            EventLog deafLog = new EventLog();
            Worker<Message> deafWorker = start(drover().worker(other, task -> ignoreInterruptsUntil(letGo, deafInterrupted))
                    .taskTimeout(Duration.ofMillis(300)).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50)))
                    .pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(deafLog));
            try {
                Await.until(WAIT, deafInterrupted::get, "the deaf handler is interrupted by its timeout");
                assertThat(deafWorker.shutdown(Duration.ofMillis(300))).as("shutdown drained cleanly, with a handler still running").isFalse();
                assertThat(deafWorker.runningTasks()).as("the tasks whose handlers still run after shutdown").containsExactly(deaf);
                assertThat(deafLog.of(WorkerEvent.TaskRetrying.class, deaf)).as("the timed-out attempt's failure, recorded when the worker gave up on it")
                        .extracting(WorkerEvent.TaskRetrying::attempt).containsExactly(1);
                if (has(INSPECTION)) {
                    TaskRecord r = stored(other, deaf);
                    assertThat(r.state()).isEqualTo(TaskState.PENDING);
                    assertThat(r.attempt()).isEqualTo(1);
                }
            } finally {
                letGo.countDown();
            }
        }
    }

    // W16 sits with the shutdown rules but is numbered after W15, which it followed into the kit.
    @Nested
    @DisplayName("Worker rule W16: SIGTERM")
    class Signals {

        @Test
        @DisplayName("W16 (optional: MULTI_PROCESS) On SIGTERM a Monitor drains its workers: a task that finishes within the drain timeout completes, one that does not is released with its attempt given back and runs elsewhere as a first attempt")
        void optional_W16_sigtermDrainsThroughTheMonitor() {
            requires(MULTI_PROCESS, "W16");
            TaskQueue<Message> queue = messages(drover());
            TaskId brief = queue.push(new Message("brief", 0));
            TaskId stuck = queue.push(new Message("block", 1));
            String childOutput;
            try (ChildJvm child = ChildJvm.start(MonitorWorkerMain.class, kitDir.resolve("children"), url(), queue.name().value())) {
                children.add(child);
                Await.until(Duration.ofSeconds(45), () -> child.linesStartingWith("STARTED ").size() == 2,
                        "both tasks have started in the child");
                child.terminate();
                child.awaitExit(Duration.ofSeconds(30));
                childOutput = String.join("\n", child.lines()) + child.stderrTail();
            }
            if (has(INSPECTION)) {
                assertThat(stored(queue, brief).state()).as("the brief task after SIGTERM; the child said:%n%s", childOutput).isEqualTo(TaskState.DONE);
                TaskRecord released = stored(queue, stuck);
                assertThat(released.state()).as("the blocked task after SIGTERM; the child said:%n%s", childOutput).isEqualTo(TaskState.PENDING);
                assertThat(released.attempt()).as("attempt given back").isZero();
            }
            Map<TaskId, Integer> attempts = new ConcurrentHashMap<>();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> attempts.put(task.id(), task.attempt()))
                    .pollInterval(FAST_POLL_MIN, FAST_POLL_MAX).listener(log));
            awaitCompleted(log, stuck, "the released task completes here");
            assertThat(attempts.get(stuck)).as("attempt of the released task here").isEqualTo(1);
            assertThat(attempts).as("the brief task completed in the child and does not run again").doesNotContainKey(brief);
        }
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Worker rule W15: wake-ups")
    class Wakeups {

        @Test
        @DisplayName("W15 (optional: WAKEUPS) An idle worker starts a newly pushed task well within its poll interval (under 800 ms with polls of 1 s to 5 s)")
        void optional_W15_pushWakesAnIdleWorker() {
            requires(WAKEUPS, "W15");
            TaskQueue<Message> queue = messages(drover());
            Map<TaskId, Long> startedNanos = new ConcurrentHashMap<>();
            EventLog log = new EventLog();
            start(drover().worker(queue, task -> startedNanos.put(task.id(), System.nanoTime()))
                    .pollInterval(Duration.ofSeconds(1), Duration.ofSeconds(5)).listener(log));
            for (int round = 1; round <= 2; round++) {
                Await.pause(Duration.ofMillis(1500)); // the worker finds nothing and backs off
                long pushedNanos = System.nanoTime();
                TaskId id = queue.push(new Message("wake up", round));
                awaitCompleted(log, id, "the pushed task runs");
                Duration latency = Duration.ofNanos(startedNanos.get(id) - pushedNanos);
                assertThat(latency).as("round %d: from push to start", round).isLessThan(Duration.ofMillis(800));
            }
        }
    }

    @Nested
    @DisplayName("Worker rules W25-W26: schedulers")
    class Schedulers extends SchedulerRules {
        Schedulers() {
            super(WorkerContract.this);
        }
    }

    @Nested
    @DisplayName("Worker rules W29-W31: cancelling a running task")
    class CancellingRunningTasks extends CancelRunningWorkerRules {
        CancellingRunningTasks() {
            super(WorkerContract.this);
        }
    }

    @Nested
    @DisplayName("Worker rules W21-W23: pausing a queue and queue-wide limits")
    class QueueControl extends QueueControlWorkerRules {
        QueueControl() {
            super(WorkerContract.this);
        }
    }

    @Nested
    @DisplayName("Worker rule W24: unique keys across processes")
    class UniqueTasks extends UniqueWorkerRules {
        UniqueTasks() {
            super(WorkerContract.this);
        }
    }

    @Nested
    @DisplayName("Worker rule W27: retention sweeps")
    class RetentionSweeps extends RetentionWorkerRules {
        RetentionSweeps() {
            super(WorkerContract.this);
        }
    }

    @Nested
    @DisplayName("Worker rule W28: attempt history")
    class AttemptHistories extends AttemptHistoryWorkerRules {
        AttemptHistories() {
            super(WorkerContract.this);
        }
    }

    @Nested
    @DisplayName("Worker rules W32-W33: instrumentation")
    class Instrumentations extends InstrumentationWorkerRules {
        Instrumentations() {
            super(WorkerContract.this);
        }
    }

    // ---- handlers that ignore their interrupt (W18-W20) ----

    /** Works for {@code duration}, swallowing interrupts (and setting {@code interrupted} at the first). */
    private static void ignoreInterruptsFor(Duration duration, AtomicBoolean interrupted) {
        long end = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }
    }

    /** Works until {@code letGo} is counted down, swallowing interrupts (and setting {@code interrupted} at the first). */
    private static void ignoreInterruptsUntil(CountDownLatch letGo, AtomicBoolean interrupted) {
        while (true) {
            try {
                letGo.await();
                return;
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }
    }
}

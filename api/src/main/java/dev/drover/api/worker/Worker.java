package dev.drover.api.worker;

import dev.drover.api.Capability;
import dev.drover.api.DoNotRetryException;
import dev.drover.api.QueueName;
import dev.drover.api.ResultHandler;
import dev.drover.api.RetryAfterException;
import dev.drover.api.Task;
import dev.drover.api.TaskHandler;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.UnsupportedCapabilityException;
import dev.drover.api.WorkerId;
import dev.drover.api.codec.Codec;
import dev.drover.api.instrument.Instrumentation;
import dev.drover.api.instrument.RunOutcome;
import dev.drover.api.instrument.TaskRun;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.SettledThenClaimed;
import dev.drover.spi.Settlement;
import dev.drover.spi.WakeupSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one queue's tasks: claims due tasks in batches for its free slots only, runs each on a virtual thread,
 * keeps their leases alive with heartbeats, records outcomes in batches (retry with persisted backoff, DEAD when
 * attempts run out or the handler says so), and on shutdown stops claiming, lets running tasks finish within
 * the drain timeout and releases the rest so another worker takes them at once.
 * <p>
 * While the process lives, a task never runs twice at once here: a run that timed out keeps its lease (and its
 * slot) until its handler really ends, and only then is the timed-out attempt recorded and the task free to be
 * retried. A handler that ignores its interrupt is reported as stuck ({@link WorkerEvent.TaskStuck}); the worker
 * gives up on it after {@link Builder#stuckTaskLimit(Duration)}.
 * <p>
 * A task cancelled while it runs ({@link dev.drover.api.TaskQueue#cancel}, from any process) loses its lease at once;
 * the next heartbeat sees that, interrupts its handler and reports {@link WorkerEvent.TaskCancelled}. Whatever the
 * handler does after, nothing is recorded, and the cancellation is not a failure (no retry, not DEAD).
 * <p>
 * Polling adapts: it backs off while the queue is empty and resets to the minimum on any claim or wake-up. A
 * storage failure is logged, reported as {@link WorkerEvent.StorageFailed}, backed off and retried; it never
 * stops the worker.
 */
public final class Worker<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final int MAX_ERROR_CHARS = 4000;
    /** How long shutdown waits for handlers it has just interrupted to end, so it names only those that ignore it. */
    private static final long INTERRUPTED_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private enum Life { NEW, RUNNING, STOPPING, STOPPED }

    private final Backend backend;
    private final QueueName queue;
    private final Codec<T> codec;
    private final ResultHandler<T> handler;
    private final WorkerConfig config;
    private final WorkerId id;
    private final Semaphore slots;
    private final ConcurrentHashMap<LeaseToken, Execution> inFlight = new ConcurrentHashMap<>();
    /** Raised by anything the storage loop may act on: a wake-up, a decided outcome, a freed slot, shutdown. */
    private final Signal work = new Signal();
    private final AtomicBoolean woken = new AtomicBoolean();
    /** Raised when a handler's thread ends or a slot is freed: what shutdown waits for. */
    private final Signal runEnded = new Signal();
    private final ReentrantLock storageOrder = new ReentrantLock();
    private final AtomicReference<Life> life = new AtomicReference<>(Life.NEW);
    private final Settler settler;
    private final ScheduledExecutorService timers;
    private final Thread storageLoop;
    private volatile boolean claiming;
    private final CountDownLatch claimsOver = new CountDownLatch(1);
    private volatile boolean stopLoop;
    private volatile long abandonAtNanos = Long.MAX_VALUE;
    private WakeupSource.Subscription wakeups;
    /** Counted down when the first shutdown has ended; later calls wait for it and return its result. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stoppedCleanly = true;

    private final LongAdder claimed = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder dead = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder leasesLost = new LongAdder();
    private final LongAdder stuck = new LongAdder();
    private final LongAdder storageFailures = new LongAdder();
    private final LongAdder cancelled = new LongAdder();

    /** The retention this worker's sweeper applies to its queue, or null when it sweeps nothing. */
    private final dev.drover.api.Retention retention;
    private final Duration retentionInterval;
    /** Its own thread, so a slow sweep never delays heartbeats or timeouts; null without a sweeper. */
    private final ScheduledExecutorService retentionSweeper;

    /** The instrumentations bound to this worker (its own, then its Drover's); {@link #instrumented} false when none. */
    private final Instrumentation instruments;
    private final boolean instrumented;

    /** Finished tasks one retention call deletes at most: one short transaction each. */
    static final int RETENTION_BATCH = 500;

    private Worker(Backend backend, QueueName queue, Codec<T> codec, ResultHandler<T> handler, WorkerConfig config, WorkerId id,
                   dev.drover.api.Retention retention, Duration retentionInterval, List<Instrumentation> instrumentations) {
        this.instruments = Instrumentation.all(List.copyOf(instrumentations));
        this.instrumented = !instrumentations.isEmpty();
        this.retention = retention == null || retention.keepsEverything()
                || !backend.capabilities().contains(dev.drover.api.Capability.INSPECTION) ? null : retention;
        this.retentionInterval = retentionInterval;
        this.retentionSweeper = this.retention == null ? null
                : Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("drover-retention-" + queue).factory());
        this.backend = backend;
        this.queue = queue;
        this.codec = codec;
        this.handler = handler;
        this.config = config;
        this.id = id;
        this.slots = new Semaphore(config.concurrency());
        this.settler = new Settler(work::raise, new SettlerCallbacks());
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("drover-timer-" + queue).factory());
        this.storageLoop = Thread.ofPlatform().daemon().name("drover-storage-" + queue).unstarted(this::storageLoop);
    }

    /**
     * A worker on {@code backend} whose handler also says what to store with each completion: a result, and follow-up
     * tasks. For extensions built on the SPI; applications use {@link dev.drover.api.Drover#workerWithResults}.
     */
    public static <T> Builder<T> builderWithResults(Backend backend, QueueName queue, Codec<T> codec, ResultHandler<T> handler) {
        return new Builder<>(backend, queue, codec, handler);
    }

    /** A worker on {@code backend}. For extensions built on the SPI; applications use {@link dev.drover.api.Drover#worker}. */
    public static <T> Builder<T> builder(Backend backend, QueueName queue, Codec<T> codec, TaskHandler<T> handler) {
        return new Builder<>(backend, queue, codec, handler);
    }

    public WorkerId id() {
        return id;
    }

    public QueueName queue() {
        return queue;
    }

    public WorkerConfig config() {
        return config;
    }

    /** Starts claiming. Returns this worker. */
    public Worker<T> start() {
        if (!life.compareAndSet(Life.NEW, Life.RUNNING)) {
            if (life.get() == Life.RUNNING) {
                throw new IllegalStateException("worker " + id + " on queue " + queue + " was already started: call start() once");
            }
            throw new IllegalStateException("worker " + id + " on queue " + queue
                    + " was stopped (closed or shut down) and cannot start again: build a new worker");
        }
        claiming = true;
        wakeups = backend.wakeups().subscribe(queue, this::wake);
        long beat = config.heartbeatInterval().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        if (config.taskTimeout() != null) {
            long sweep = timeoutSweepMillis(config.taskTimeout());
            timers.scheduleWithFixedDelay(this::sweepTimeouts, sweep, sweep, TimeUnit.MILLISECONDS);
        }
        if (retentionSweeper != null) {
            long every = retentionInterval.toMillis();
            retentionSweeper.scheduleWithFixedDelay(this::sweepRetention, every, every, TimeUnit.MILLISECONDS);
        }
        storageLoop.start();
        LOG.info("worker {} started on queue {} of {} (concurrency {}, lease {})", id, queue, backend.describe(),
                config.concurrency(), config.leaseDuration());
        if (instrumented) instruments.onWorkerStarted(this);
        return this;
    }

    /**
     * Deletes this queue's finished tasks past the retention, in batches of {@link #RETENTION_BATCH} (each its own short
     * transaction), while a batch came back full. Workers on the same queue sweep independently: a task is deleted once,
     * whichever gets it. A failure is logged and tried again at the next sweep.
     */
    private void sweepRetention() {
        try {
            long deleted = 0;
            int batch;
            do {
                batch = backend.deleteFinished(queue, retention, RETENTION_BATCH);
                deleted += batch;
            } while (batch == RETENTION_BATCH && !Thread.currentThread().isInterrupted() && life.get() != Life.STOPPED);
            if (deleted > 0) LOG.debug("worker {} deleted {} finished task(s) of queue {} past {}", id, deleted, queue, retention);
        } catch (RuntimeException e) {
            LOG.warn("worker {} could not delete finished tasks of queue {} past {}: {}; it tries again in {}", id, queue, retention,
                    e.toString(), retentionInterval);
        }
    }

    public WorkerStats stats() {
        return new WorkerStats(claimed.sum(), completed.sum(), retried.sum(), dead.sum(), released.sum(),
                leasesLost.sum(), stuck.sum(), storageFailures.sum(), inFlight.size(), cancelled.sum());
    }

    /**
     * The tasks whose handlers are running now. After a {@link #shutdown} that returned false, these are the handlers
     * that ignored their interrupt and still run (their tasks' outcomes are recorded: they may run again elsewhere).
     */
    public List<TaskId> runningTasks() {
        List<TaskId> running = new ArrayList<>();
        for (Execution ex : inFlight.values()) {
            if (!ex.threadEnded) running.add(ex.claimed.task().id());
        }
        return running;
    }

    /** Shuts down with the configured drain timeout. */
    @Override
    public void close() {
        shutdown(config.drainTimeout());
    }

    /**
     * Stops claiming, waits up to {@code drainTimeout} for running handlers to end — including timed-out handlers that
     * ignore their interrupt — then interrupts and releases the tasks still running (a timed-out one gets its
     * timed-out attempt recorded instead). Returns true when every handler ended within the drain timeout and every
     * outcome was recorded; false otherwise, and when a handler still runs after it (its task is named in a WARN and
     * in {@link #runningTasks()}: it may run again elsewhere while that thread goes on). Idempotent: a later call
     * waits for the first to end and returns its result.
     */
    public boolean shutdown(Duration drainTimeout) {
        if (life.compareAndSet(Life.NEW, Life.STOPPED)) {
            timers.shutdownNow();
            if (retentionSweeper != null) retentionSweeper.shutdownNow();
            stopped.countDown();
            return true;
        }
        if (!life.compareAndSet(Life.RUNNING, Life.STOPPING)) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return stoppedCleanly;
        }
        boolean clean = true;
        List<Execution> stillRunning = List.of();
        try {
            claiming = false;
            work.raise();
            // A claim under way when shutdown began has begun its tasks once the loop sees claiming is off: they are waited for below.
            while (!claimsOver.await(50, TimeUnit.MILLISECONDS) && storageLoop.isAlive()) {
                work.raise();
            }
            wakeups.close();
            long deadline = System.nanoTime() + drainTimeout.toNanos();
            while (!allThreadsEnded() && System.nanoTime() < deadline) {
                runEnded.await(Duration.ofNanos(Math.min(deadline - System.nanoTime(), 50_000_000L)));
            }
            for (Execution ex : List.copyOf(inFlight.values())) {
                if (ex.threadEnded) continue;
                if (ex.decide()) {
                    clean = false;
                    ex.thread.interrupt();
                    LOG.warn("task {} on queue {} did not finish within the drain timeout {}; releasing it for another worker",
                            ex.claimed.task().id(), queue, drainTimeout);
                    settler.submit(ex, new Settlement.Release(ex.lease()));
                } else if (giveUp(ex, "the worker is stopping and its drain timeout of " + drainTimeout + " has passed")) {
                    clean = false;
                    ex.thread.interrupt();
                }
            }
            // Every outcome decided so far must reach storage before the loop stops; a handler just interrupted gets a moment to end.
            long now = System.nanoTime();
            long settleDeadline = now + Duration.ofSeconds(10).toNanos();
            long endDeadline = now + INTERRUPTED_GRACE_NANOS;
            while (System.nanoTime() < settleDeadline && (!allSettled() || !allThreadsEnded() && System.nanoTime() < endDeadline)) {
                runEnded.await(Duration.ofMillis(20));
            }
            abandonAtNanos = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            stopLoop = true;
            work.raise();
            storageLoop.join(Duration.ofSeconds(11));
            if (!settler.isEmpty()) clean = false;
            stillRunning = inFlight.values().stream().filter(ex -> !ex.threadEnded).toList();
            if (!stillRunning.isEmpty()) clean = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        } finally {
            timers.shutdownNow();
            if (retentionSweeper != null) retentionSweeper.shutdownNow();
            life.set(Life.STOPPED);
            stoppedCleanly = clean;
            stopped.countDown();
        }
        if (instrumented) instruments.onWorkerStopped(this);
        if (!stillRunning.isEmpty()) {
            long now = System.nanoTime();
            List<String> named = stillRunning.stream().map(ex -> "task " + ex.claimed.task().id() + " (attempt " + ex.attempt()
                    + ", running for " + Duration.ofNanos(now - ex.startedNanos).toMillis() + " ms)").toList();
            LOG.warn("worker {} on queue {} stopped, but {} handler(s) ignored their interrupt and still run: {}; their outcomes are "
                    + "recorded (released, or failed by the timeout), so these tasks may run again elsewhere while the threads go on",
                    id, queue, named.size(), String.join(", ", named));
        } else {
            LOG.info("worker {} on queue {} stopped ({})", id, queue, clean ? "drained" : "released unfinished tasks");
        }
        return clean;
    }

    private boolean allSettled() {
        for (Execution ex : inFlight.values()) {
            if (!ex.settled) return false;
        }
        return true;
    }

    private boolean allThreadsEnded() {
        for (Execution ex : inFlight.values()) {
            if (!ex.threadEnded) return false;
        }
        return true;
    }

    // ---- the storage loop: outcomes and claims ----

    /** An outcome waits at most this long for a claim to share its round trip while the queue has a backlog. */
    static final long OUTCOME_MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private void wake() {
        woken.set(true);
        work.raise();
    }

    /**
     * The one thread that talks to storage for claims and outcomes. Each round trip writes the outcomes decided so
     * far and claims for the free slots ({@link Backend#settleThenClaim}), so a busy worker makes one round trip per
     * cycle. While the queue has a backlog (the last claim got all it asked for) it claims again once half the slots
     * (at most maxBatch / 2) are free, or when outcomes have waited {@link #OUTCOME_MAX_WAIT_NANOS}: fewer, larger
     * transactions. Once the queue runs dry it polls with backoff from pollMin to pollMax, reset by wake-ups, and
     * writes outcomes at once. A storage failure is reported and backed off; the outcomes are kept and written again.
     */
    private void storageLoop() {
        Duration interval = config.pollMin();
        long nextClaimAt = System.nanoTime();
        long retryAt = Long.MIN_VALUE;
        boolean backlog = false;
        int failures = 0;
        int batchTarget = Math.max(1, Math.min(config.maxBatch(), config.concurrency()) / 2);
        while (true) {
            List<Settler.Pending> outcomes = List.of();
            int max = 0;
            try {
                if (!claiming && claimsOver.getCount() > 0) claimsOver.countDown();
                if (stopLoop && settler.isEmpty()) return;
                long now = System.nanoTime();
                if (woken.getAndSet(false)) {
                    nextClaimAt = now;
                    interval = config.pollMin();
                }
                // After a failure, wait out the backoff; when stopping, no longer than the moment outcomes are abandoned.
                long retryUntil = stopLoop ? Math.min(retryAt, abandonAtNanos) : retryAt;
                boolean retryWait = now < retryUntil;
                boolean mayClaim = claiming && !retryWait && (backlog || now >= nextClaimAt);
                int free = mayClaim ? slots.availablePermits() + settler.endedThreads() : 0;
                boolean claimDue = mayClaim && free >= (backlog ? batchTarget : 1);
                boolean outcomesDue = !retryWait && !settler.isEmpty()
                        && (!backlog || !claiming || now - settler.oldestNanos() >= OUTCOME_MAX_WAIT_NANOS);
                if (!claimDue && !outcomesDue) {
                    long wait = config.pollMax().toNanos();
                    if (retryWait) wait = Math.min(wait, retryUntil - now);
                    if (!settler.isEmpty()) wait = Math.min(wait, settler.oldestNanos() + OUTCOME_MAX_WAIT_NANOS - now);
                    if (claiming && !backlog) wait = Math.min(wait, nextClaimAt - now);
                    work.await(Duration.ofNanos(Math.max(wait, 100_000)));
                    continue;
                }
                outcomes = settler.take(config.maxBatch());
                if (mayClaim) max = Math.min(config.maxBatch(), slots.availablePermits() + ended(outcomes));
                if (outcomes.isEmpty() && max == 0) continue;
                SettledThenClaimed result;
                storageOrder.lock();
                long sent = System.nanoTime();
                try {
                    result = backend.settleThenClaim(Settler.settlements(outcomes), queue, id, max, config.leaseDuration());
                    settler.written(outcomes, result.applied());
                } finally {
                    storageOrder.unlock();
                }
                if (result.claimFailed() == null) {
                    emit(new WorkerEvent.StorageRoundTrip(id, queue, outcomes.size(), max, result.claimed().size(),
                            Duration.ofNanos(System.nanoTime() - sent)));
                }
                for (ClaimedTask task : result.claimed()) {
                    begin(task);
                }
                if (result.claimFailed() != null) {
                    failures++;
                    Duration wait = Backoff.storageRetry(failures);
                    storageFailed("claim", result.claimFailed(), wait);
                    retryAt = System.nanoTime() + wait.toNanos();
                    continue;
                }
                failures = 0;
                retryAt = Long.MIN_VALUE;
                if (max > 0) {
                    int got = result.claimed().size();
                    backlog = got == max;
                    if (got == 0) {
                        nextClaimAt = now + interval.toNanos();
                        interval = min(interval.multipliedBy(2), config.pollMax());
                    } else {
                        interval = config.pollMin();
                        if (!backlog) nextClaimAt = now + interval.toNanos();
                    }
                }
            } catch (InterruptedException e) {
                if (stopLoop) return;
            } catch (RuntimeException e) {
                failures++;
                Duration wait = Backoff.storageRetry(failures);
                if (!outcomes.isEmpty()) {
                    if (stopLoop && System.nanoTime() > abandonAtNanos) {
                        settler.abandon(outcomes, e);
                    } else {
                        settler.putBack(outcomes);
                    }
                }
                storageFailed(outcomes.isEmpty() ? "claim" : "record " + outcomes.size() + " outcome(s)" + (max > 0 ? " and claim" : ""), e, wait);
                retryAt = System.nanoTime() + wait.toNanos();
            }
        }
    }

    private static int ended(List<Settler.Pending> outcomes) {
        int n = 0;
        for (Settler.Pending p : outcomes) {
            if (p.execution().threadEnded) n++;
        }
        return n;
    }

    private void begin(ClaimedTask task) {
        slots.acquireUninterruptibly();
        claimed.increment();
        Execution ex = new Execution(task);
        Thread thread = Thread.ofVirtual().name("drover-task-" + queue + "-" + task.task().id()).unstarted(() -> run(ex));
        ex.thread = thread;
        inFlight.put(task.lease().token(), ex);
        thread.start();
    }

    // ---- running ----

    private void run(Execution ex) {
        TaskRecord record = ex.claimed.task();
        MDC.put("drover.queue", queue.value());
        MDC.put("drover.task", record.id().value());
        MDC.put("drover.attempt", Integer.toString(record.attempt()));
        MDC.put("drover.worker", id.value());
        try {
            if (instrumented) {
                instruments.aroundRun(new Run(ex));
            } else {
                runHandler(ex);
            }
        } finally {
            MDC.remove("drover.queue");
            MDC.remove("drover.task");
            MDC.remove("drover.attempt");
            MDC.remove("drover.worker");
            threadEnded(ex);
        }
    }

    /** A run as instrumentations see it: {@link #proceed} runs the handler once, on the calling (handler's) thread. */
    private final class Run implements TaskRun {
        private final Execution ex;
        private RunOutcome outcome;

        Run(Execution ex) {
            this.ex = ex;
        }

        @Override
        public WorkerId worker() {
            return id;
        }

        @Override
        public TaskRecord task() {
            return ex.claimed.task();
        }

        @Override
        public RunOutcome proceed() {
            if (outcome == null) outcome = runHandler(ex);
            return outcome;
        }
    }

    /** Decodes the payload, runs the handler and decides the outcome (handed to the settler); returns what was decided. */
    private RunOutcome runHandler(Execution ex) {
        TaskRecord record = ex.claimed.task();
        T payload;
        try {
            payload = codec.decode(record.payload());
        } catch (RuntimeException e) {
            if (!ex.decide()) return new RunOutcome(RunOutcome.Kind.OVERTAKEN, Duration.ZERO, e);
            settle(ex, new Settlement.Kill(ex.lease(), "undecodable payload: task " + record.id() + " on queue " + queue
                    + " cannot be read with codec '" + codec.name() + "' (stored as '" + record.codec() + "'): " + e.getMessage()));
            return new RunOutcome(RunOutcome.Kind.UNDECODABLE, Duration.ZERO, e);
        }
        emit(new WorkerEvent.TaskStarted(id, queue, record.id(), record.attempt(), record.runAt()));
        Throwable failure = null;
        ResultHandler.Completion completion = null;
        long began = System.nanoTime();
        try {
            completion = handler.handle(Task.builder(record.id(), queue, payload).attempt(record.attempt())
                    .maxAttempts(record.maxAttempts()).priority(record.priority()).metadata(record.metadata())
                    .enqueuedAt(record.enqueuedAt()).build());
            if (completion == null) completion = ResultHandler.Completion.NONE;
            if (!completion.then().isEmpty() && !backend.capabilities().contains(Capability.FOLLOW_UPS)) {
                throw new UnsupportedCapabilityException(Capability.FOLLOW_UPS, backend.describe(),
                        "the handler of task " + record.id() + " returned follow-up tasks, which this backend cannot push with the completion");
            }
        } catch (Throwable t) {
            failure = t;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        emit(new WorkerEvent.HandlerEnded(id, queue, record.id(), record.attempt(), took, failure));
        if (!ex.decide()) {
            return new RunOutcome(RunOutcome.Kind.OVERTAKEN, took, failure); // timed out or released meanwhile: that outcome stands
        }
        Settlement outcome;
        if (failure == null) {
            outcome = new Settlement.Complete(ex.lease(), completion.result(), completion.then());
        } else if (failure instanceof RetryAfterException retry) {
            outcome = failureOutcome(ex, describe(failure), false, retry.delay());
        } else {
            outcome = failureOutcome(ex, failure instanceof DoNotRetryException ? failure.getMessage() : describe(failure),
                    failure instanceof DoNotRetryException);
        }
        settle(ex, outcome);
        RunOutcome.Kind kind = switch (outcome) {
            case Settlement.Complete c -> RunOutcome.Kind.COMPLETED;
            case Settlement.Retry r -> RunOutcome.Kind.RETRYING;
            case Settlement.Kill k -> RunOutcome.Kind.DEAD;
            case Settlement.Release r -> RunOutcome.Kind.OVERTAKEN;
        };
        return new RunOutcome(kind, took, failure);
    }

    /**
     * How often running tasks are checked against the timeout: a quarter of it, between 5 ms and 1 s, so a task is
     * interrupted at most that late. One periodic sweep instead of a timer per task, which cost a priority-queue
     * insertion per claim and kept every cancelled timer in memory until its (default: 30 min) delay ran out.
     */
    static long timeoutSweepMillis(Duration timeout) {
        return Math.clamp(timeout.toMillis() / 4, 5, 1000);
    }

    /** A timed-out handler still running this long after its interrupt is reported stuck: one sweep, at least 100 ms. */
    static long stuckAfterMillis(Duration timeout) {
        return Math.max(timeoutSweepMillis(timeout), 100);
    }

    private void sweepTimeouts() {
        try {
            long now = System.nanoTime();
            long limit = config.taskTimeout().toNanos();
            long stuckAfter = TimeUnit.MILLISECONDS.toNanos(stuckAfterMillis(config.taskTimeout()));
            for (Execution ex : inFlight.values()) {
                if (!ex.decided()) {
                    if (now - ex.startedNanos >= limit) timedOut(ex, now);
                } else if (ex.awaitingItsThread() && !ex.threadEnded) {
                    long deaf = now - ex.timedOutNanos();
                    if (deaf >= stuckAfter && ex.markStuck()) reportStuck(ex, now);
                    if (deaf >= config.stuckTaskLimit().toNanos()) giveUp(ex, "stuckTaskLimit is " + config.stuckTaskLimit());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("worker {} on queue {}: unexpected failure in the timeout sweep; continuing", id, queue, e);
        }
    }

    /**
     * Interrupts a run past its timeout and decides its outcome: the attempt failed. The failure is recorded when the
     * handler's thread ends ({@link #threadEnded}), not now: until then the lease is kept alive, so the task cannot be
     * claimed again while this run goes on.
     */
    private void timedOut(Execution ex, long now) {
        if (!ex.decideTimedOut(now)) return;
        ex.thread.interrupt();
        LOG.warn("task {} on queue {} timed out after {} (attempt {}); interrupting it, its failure is recorded once the handler ends",
                ex.claimed.task().id(), queue, config.taskTimeout(), ex.attempt());
        if (ex.threadEnded && ex.takeTimeoutOutcome()) recordTimedOut(ex); // it ended meanwhile
    }

    private void recordTimedOut(Execution ex) {
        Duration deaf = Duration.ofNanos(System.nanoTime() - ex.timedOutNanos());
        String error = "timed out after " + config.taskTimeout() + " (the handler was interrupted)";
        if (ex.reportedStuck()) {
            error = "timed out after " + config.taskTimeout() + "; the handler ignored its interrupt and ended " + deaf.toMillis() + " ms later";
            LOG.warn("stuck task {} on queue {} (attempt {}) ended {} ms after its interrupt; recording the timed-out attempt",
                    ex.claimed.task().id(), queue, ex.attempt(), deaf.toMillis());
        }
        settle(ex, failureOutcome(ex, error, false));
    }

    private void reportStuck(Execution ex, long now) {
        stuck.increment();
        TaskRecord task = ex.claimed.task();
        Duration running = Duration.ofNanos(now - ex.startedNanos);
        LOG.warn("task {} on queue {} (attempt {}) is stuck: it timed out after {} but its handler ignores the interrupt and has been "
                        + "running for {} ms; the worker keeps its lease and its slot until the handler ends, and gives up on it after "
                        + "stuckTaskLimit ({})", task.id(), queue, task.attempt(), config.taskTimeout(), running.toMillis(),
                config.stuckTaskLimit());
        emit(new WorkerEvent.TaskStuck(id, queue, task.id(), task.attempt(), running));
    }

    /**
     * Records a stuck run's timed-out attempt while its thread still runs, and so stops keeping its lease: the task
     * may run again, here or elsewhere, while that thread goes on. The slot stays taken until the thread ends.
     * False when the attempt was already recorded (the thread ended, or the worker gave up before).
     */
    private boolean giveUp(Execution ex, String because) {
        if (!ex.takeTimeoutOutcome()) return false;
        if (ex.markStuck()) reportStuck(ex, System.nanoTime());
        TaskRecord task = ex.claimed.task();
        Duration deaf = Duration.ofNanos(System.nanoTime() - ex.timedOutNanos());
        LOG.error("giving up on task {} on queue {} (attempt {}) because {}: it timed out after {} and its handler has ignored the "
                        + "interrupt for {} ms. Its timed-out attempt is recorded now and its lease no longer kept, so the task may run "
                        + "again, here or in another worker, while this thread may still be running (it keeps its slot until it ends)",
                task.id(), queue, task.attempt(), because, config.taskTimeout(), deaf.toMillis());
        settle(ex, failureOutcome(ex, "timed out after " + config.taskTimeout() + "; the handler ignored its interrupt for "
                + deaf.toMillis() + " ms and the worker gave up on it (" + because + "); its thread may still be running", false));
        return true;
    }

    private Settlement failureOutcome(Execution ex, String error, boolean doNotRetry) {
        return failureOutcome(ex, error, doNotRetry, null);
    }

    /** @param delay the retry delay the handler asked for, or null for the retry policy's */
    private Settlement failureOutcome(Execution ex, String error, boolean doNotRetry, Duration delay) {
        TaskRecord record = ex.claimed.task();
        if (doNotRetry) {
            return new Settlement.Kill(ex.lease(), "killed by its handler on attempt " + record.attempt() + ": " + error);
        }
        if (record.attempt() >= record.maxAttempts()) {
            return new Settlement.Kill(ex.lease(), "attempt " + record.attempt() + " of " + record.maxAttempts() + " failed, none left: " + error);
        }
        return new Settlement.Retry(ex.lease(), delay != null ? delay : config.retryPolicy().delayAfter(record.attempt()), error);
    }

    private void settle(Execution ex, Settlement settlement) {
        settler.submit(ex, settlement);
    }

    private void threadEnded(Execution ex) {
        ex.threadEnded = true;
        if (ex.takeTimeoutOutcome()) recordTimedOut(ex);
        runEnded.raise();
        if (ex.partDone()) freeSlot(ex);
    }

    private void freeSlot(Execution ex) {
        inFlight.remove(ex.lease().token());
        slots.release();
        runEnded.raise();
        work.raise();
    }

    // ---- heartbeats ----

    private void heartbeat() {
        storageOrder.lock();
        try {
            List<Lease> leases = new ArrayList<>();
            for (Execution ex : inFlight.values()) {
                if (!ex.settled) leases.add(ex.lease());
            }
            if (leases.isEmpty()) return;
            Set<LeaseToken> held;
            try {
                held = backend.heartbeat(leases, config.leaseDuration());
            } catch (RuntimeException e) {
                storageFailed("heartbeat", e, config.heartbeatInterval());
                return;
            }
            List<Execution> lost = new ArrayList<>();
            for (Lease lease : leases) {
                if (!held.contains(lease.token())) {
                    Execution ex = inFlight.get(lease.token());
                    if (ex != null && !ex.settled) lost.add(ex);
                }
            }
            if (!lost.isEmpty()) lostLeases(lost);
        } catch (RuntimeException e) {
            LOG.error("worker {} on queue {}: unexpected failure in the heartbeat; continuing", id, queue, e);
        } finally {
            storageOrder.unlock();
        }
    }

    /**
     * Leases a heartbeat or a settlement found no longer held: cancelled tasks are {@link #cancelled cancelled} here, the
     * others' leases were lost (they ran out and may have been taken over). Asked again at every heartbeat while the run
     * goes on, so a lease lost first and its task cancelled later still interrupts the run.
     */
    private void lostLeases(List<Execution> lost) {
        List<Lease> unexplained = new ArrayList<>(lost.size());
        for (Execution ex : lost) {
            if (!ex.cancelled()) unexplained.add(ex.lease());
        }
        Set<LeaseToken> cancelledTokens = Set.of();
        if (!unexplained.isEmpty()) {
            try {
                cancelledTokens = backend.cancelled(unexplained);
            } catch (RuntimeException e) {
                // Not knowing why, report them lost; a heartbeat asks again while their handlers run.
                storageFailed("asking which lost leases were cancelled", e, config.heartbeatInterval());
            }
        }
        for (Execution ex : lost) {
            if (ex.cancelled()) continue;
            if (cancelledTokens.contains(ex.lease().token())) {
                cancelled(ex);
            } else {
                leaseLost(ex);
            }
        }
    }

    /**
     * The task was cancelled while this run held it. If nobody decided its outcome yet, the cancellation decides it: there
     * is nothing to record, the handler is interrupted, and the run frees its slot when the handler ends. If the handler
     * had already returned (its outcome is refused by the storage) or a timeout decided it, that outcome is dropped or
     * refused. Never counted as a failure.
     */
    private void cancelled(Execution ex) {
        if (!ex.markCancelled()) return;
        cancelled.increment();
        TaskRecord task = ex.claimed.task();
        boolean ours = ex.decide() || ex.takeTimeoutOutcome();
        LOG.info("task {} on queue {} (attempt {}) was cancelled while it ran{}; its outcome will not be recorded", task.id(), queue,
                task.attempt(), ours && !ex.threadEnded ? ": interrupting its handler" : "");
        emit(new WorkerEvent.TaskCancelled(id, queue, task.id(), task.attempt()));
        if (!ours) return; // an outcome is on its way to storage, which refuses it; its settlement frees the slot
        ex.settled = true; // nothing to write, no lease to keep
        if (!ex.threadEnded) ex.thread.interrupt();
        runEnded.raise();
        if (ex.partDone()) freeSlot(ex);
    }

    private void leaseLost(Execution ex) {
        if (!ex.markLeaseLost()) return;
        leasesLost.increment();
        LOG.warn("worker {} lost the lease of task {} on queue {} (attempt {}): it expired and may run elsewhere; this run's outcome will not be recorded",
                id, ex.claimed.task().id(), queue, ex.attempt());
        emit(new WorkerEvent.LeaseLost(id, queue, ex.claimed.task().id(), ex.attempt()));
    }

    // ---- outcomes ----

    private final class SettlerCallbacks implements Settler.Callbacks {
        @Override
        public void settled(List<Settler.Pending> batch, Set<LeaseToken> applied) {
            List<Execution> refused = new ArrayList<>();
            for (Settler.Pending p : batch) {
                Execution ex = p.execution();
                if (applied.contains(ex.lease().token())) {
                    reportApplied(ex, p.settlement());
                } else {
                    refused.add(ex);
                }
            }
            if (!refused.isEmpty()) lostLeases(refused);
            for (Settler.Pending p : batch) {
                if (p.execution().partDone()) freeSlot(p.execution());
            }
        }

        @Override
        public void abandoned(List<Settler.Pending> batch) {
            for (Settler.Pending p : batch) {
                if (p.execution().partDone()) freeSlot(p.execution());
            }
        }

    }

    private void reportApplied(Execution ex, Settlement settlement) {
        TaskRecord task = ex.claimed.task();
        switch (settlement) {
            case Settlement.Complete c -> {
                completed.increment();
                emit(new WorkerEvent.TaskCompleted(id, queue, task.id(), task.attempt(), Duration.ofNanos(System.nanoTime() - ex.startedNanos)));
            }
            case Settlement.Retry r -> {
                retried.increment();
                LOG.warn("task {} on queue {} failed on attempt {} of {}; retrying in {}: {}", task.id(), queue, task.attempt(),
                        task.maxAttempts(), r.delay(), firstLine(r.error()));
                emit(new WorkerEvent.TaskRetrying(id, queue, task.id(), task.attempt(), r.delay(), r.error()));
            }
            case Settlement.Kill k -> {
                dead.increment();
                LOG.error("task {} on queue {} is DEAD: {}", task.id(), queue, firstLine(k.error()));
                emit(new WorkerEvent.TaskDead(id, queue, task.id(), task.attempt(), k.error()));
            }
            case Settlement.Release r -> {
                released.increment();
                emit(new WorkerEvent.TaskReleased(id, queue, task.id(), task.attempt()));
            }
        }
    }

    private void storageFailed(String operation, RuntimeException error, Duration retryIn) {
        storageFailures.increment();
        LOG.warn("worker {} on queue {}: {} failed, retrying in {} ms: {}", id, queue, operation, retryIn.toMillis(), error.getMessage());
        emit(new WorkerEvent.StorageFailed(id, queue, operation, error, retryIn));
    }

    private void emit(WorkerEvent event) {
        WorkerListener listener = config.listener();
        if (listener != null) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("worker {}: event listener failed on {}", id, event.getClass().getSimpleName(), e);
            }
        }
        if (instrumented) instruments.onEvent(event);
    }

    static String describe(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        String text = out.toString().strip();
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "\n\t... (truncated)";
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Options of a worker; every one has a default. */
    public static final class Builder<T> {
        private final Backend backend;
        private final QueueName queue;
        private final Codec<T> codec;
        private final ResultHandler<T> handler;
        private WorkerConfig config = WorkerConfig.defaults();
        private WorkerId id;
        private dev.drover.api.Retention retention = dev.drover.api.Retention.defaults();
        private Duration retentionInterval = Duration.ofMinutes(1);
        private final List<Instrumentation> instrumentations = new ArrayList<>();

        private Builder(Backend backend, QueueName queue, Codec<T> codec, TaskHandler<T> handler) {
            this(backend, queue, codec, asResultHandler(Objects.requireNonNull(handler, "handler")));
        }

        private Builder(Backend backend, QueueName queue, Codec<T> codec, ResultHandler<T> handler) {
            this.backend = Objects.requireNonNull(backend, "backend");
            this.queue = Objects.requireNonNull(queue, "queue");
            this.codec = Objects.requireNonNull(codec, "codec");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        private static <T> ResultHandler<T> asResultHandler(TaskHandler<T> handler) {
            return task -> {
                handler.handle(task);
                return ResultHandler.Completion.NONE;
            };
        }

        /** Tasks run at once at most (default 8). */
        public Builder<T> concurrency(int n) {
            config = config.withConcurrency(n);
            return this;
        }

        /** How long a claim holds a task without a heartbeat (default 30 s); heartbeats come every third of it. */
        public Builder<T> leaseDuration(Duration lease) {
            config = config.withLease(lease);
            return this;
        }

        public Builder<T> heartbeatInterval(Duration interval) {
            config = config.withHeartbeatInterval(interval);
            return this;
        }

        /** Polling backs off from {@code min} to {@code max} while the queue is empty (default 50 ms to 2 s). */
        public Builder<T> pollInterval(Duration min, Duration max) {
            config = config.withPollInterval(min, max);
            return this;
        }

        /** The most tasks one claim or one outcome write takes (default 100). */
        public Builder<T> maxBatch(int n) {
            config = config.withMaxBatch(n);
            return this;
        }

        /**
         * A run longer than this is interrupted and counts as a failed attempt (default 30 min). Runs are checked every
         * quarter of the timeout (between 5 ms and 1 s), so the interrupt comes at most that late. The failed attempt is
         * recorded when the handler has ended, so a retry never runs beside it; a handler still running a check (at
         * least 100 ms) after its interrupt is reported stuck, and waited for up to {@link #stuckTaskLimit(Duration)}.
         */
        public Builder<T> taskTimeout(Duration timeout) {
            config = config.withTaskTimeout(timeout);
            return this;
        }

        public Builder<T> noTaskTimeout() {
            config = config.withTaskTimeout(null);
            return this;
        }

        /**
         * How long a handler that ignores its timeout's interrupt is waited for (default 5 min). Until then the worker
         * keeps the task's lease alive and its slot taken, reports the run as stuck ({@link WorkerEvent.TaskStuck}, a
         * WARN, {@link WorkerStats#stuck()}), and records the timed-out attempt only when the handler ends, so the task
         * never runs twice at once. After it the worker gives up, logging an ERROR: it records the timed-out attempt
         * (a retry, or DEAD on the last attempt) and stops extending the lease, so the retry may then run — in this
         * worker or another — while the stuck thread still runs. The slot stays taken until that thread ends.
         */
        public Builder<T> stuckTaskLimit(Duration limit) {
            config = config.withStuckTaskLimit(limit);
            return this;
        }

        /**
         * How long shutdown waits for running handlers, timed-out ones that ignore their interrupt included, before
         * interrupting and releasing them (default 30 s).
         */
        public Builder<T> drainTimeout(Duration timeout) {
            config = config.withDrainTimeout(timeout);
            return this;
        }

        public Builder<T> retryPolicy(RetryPolicy policy) {
            config = config.withRetryPolicy(policy);
            return this;
        }

        public Builder<T> listener(WorkerListener listener) {
            config = config.withListener(listener);
            return this;
        }

        /**
         * Binds {@code instrumentation} to this worker: it hears the worker's start and stop and its events, and wraps
         * each run of the handler. A worker built by {@link dev.drover.api.Drover#worker} has its Drover's
         * instrumentations already ({@link dev.drover.api.Drover#instrument}); this adds one of its own, called first.
         */
        public Builder<T> instrument(Instrumentation instrumentation) {
            instrumentations.add(Objects.requireNonNull(instrumentation, "instrumentation"));
            return this;
        }

        public Builder<T> id(WorkerId workerId) {
            this.id = workerId;
            return this;
        }

        /**
         * How long finished tasks of this queue are kept (default {@link dev.drover.api.Retention#defaults()}: DONE and
         * CANCELLED 7 days, DEAD 30 days). The worker deletes older ones in the background every
         * {@link #retentionInterval(Duration)}, in small batches, on a backend that declares
         * {@link dev.drover.api.Capability#INSPECTION}; {@link dev.drover.api.Retention#forever()} switches it off.
         */
        public Builder<T> retention(dev.drover.api.Retention retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** How often the worker applies its {@link #retention} (default 1 minute). */
        public Builder<T> retentionInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero() || interval.toMillis() == 0) {
                throw new IllegalArgumentException("retention interval of the worker on queue " + queue + " is " + interval
                        + ": it must be at least 1 ms");
            }
            this.retentionInterval = interval;
            return this;
        }

        public Worker<T> build() {
            return new Worker<>(backend, queue, codec, handler, config, id != null ? id : WorkerId.generate(queue.value()),
                    retention, retentionInterval, instrumentations);
        }

        /** Builds and starts the worker. */
        public Worker<T> start() {
            return build().start();
        }
    }
}

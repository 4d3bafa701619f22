package dev.drover.api.worker;

import dev.drover.api.ScheduleOptions;
import dev.drover.api.ScheduleRecord;
import dev.drover.spi.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pushes the tasks of recurring schedules ({@code Drover.schedule}) when their ticks come. Any number of schedulers, in any
 * number of processes, may run on one storage at once: each tick is fired with a compare-and-set of the schedule's last
 * tick that pushes the tick's task in the same transaction ({@link Backend#fireSchedule}), so exactly one task is pushed
 * per tick whichever schedulers see it. A scheduler reads the schedules, fires the due ticks by the backend's clock
 * ({@link Backend#now()}), then sleeps until the next tick, or at most {@code refresh} (so schedules saved, paused or
 * removed by other processes are seen within it); {@link #close()} wakes it and stops it.
 * <p>
 * Ticks missed while no scheduler ran are handled by each schedule's {@link ScheduleOptions.MissedTicks}: the latest one is
 * pushed once, or, when it is more than {@link ScheduleOptions#missedAfter()} late, skipped.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** How long a scheduler sleeps at most before reading the schedules again, by default. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);

    private final Backend backend;
    private final Duration refresh;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AtomicLong pushed = new AtomicLong();
    private volatile boolean stopping;
    private Thread thread;

    /** A scheduler on {@code backend} that reads the schedules again at least every {@code refresh}; call {@link #start()}. */
    public Scheduler(Backend backend, Duration refresh) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        if (refresh.compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("a scheduler's refresh must be at least 10 ms (got " + refresh + ")");
        }
    }

    /** Starts the scheduler's thread; returns this. Fails when started twice. */
    public Scheduler start() {
        lock.lock();
        try {
            if (thread != null) throw new IllegalStateException("this scheduler was already started");
            thread = Thread.ofPlatform().daemon().name("drover-scheduler").start(this::loop);
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** How many tasks this scheduler has pushed (ticks it fired and won, without skipped ones). */
    public long pushed() {
        return pushed.get();
    }

    private void loop() {
        while (!stopping) {
            Duration sleep = refresh;
            try {
                Instant next = fireDue();
                if (next != null) {
                    Duration untilNext = Duration.between(backend.now(), next);
                    if (untilNext.compareTo(sleep) < 0) sleep = untilNext.isNegative() ? Duration.ZERO : untilNext;
                }
            } catch (RuntimeException e) {
                if (stopping) return;
                LOG.warn("scheduler on {}: firing schedules failed, trying again in {}: {}", backend.describe(), refresh, e.toString());
            }
            lock.lock();
            try {
                if (!stopping && !sleep.isZero()) wake.awaitNanos(sleep.toNanos());
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Fires every tick that is due now, once; returns the next tick of any schedule (null when none will tick). Called by the
     * scheduler's thread; callable directly, for example in a test, without {@link #start()}.
     */
    public Instant fireDue() {
        List<ScheduleRecord> schedules = backend.schedules();
        Instant now = backend.now();
        Instant next = null;
        for (ScheduleRecord s : schedules) {
            if (s.paused()) continue;
            Instant last = s.lastTick();
            Optional<Instant> due = s.schedule().latestTickBetween(last, now);
            if (due.isPresent()) {
                Instant tick = due.get();
                boolean skip = s.options().missedTicks() == ScheduleOptions.MissedTicks.SKIP
                        && Duration.between(tick, now).compareTo(s.options().missedAfter()) > 0;
                boolean won = backend.fireSchedule(s.name(), last, tick, skip ? null : s.taskFor(tick));
                if (won && !skip) pushed.incrementAndGet();
                if (won) LOG.debug("schedule {}: {} tick {}", s.name(), skip ? "skipped missed" : "pushed the task of", tick);
                last = tick;
            }
            Optional<Instant> following = s.schedule().nextTickAfter(last.isAfter(now) ? last : now);
            if (following.isPresent() && (next == null || following.get().isBefore(next))) next = following.get();
        }
        return next;
    }

    /** Stops the scheduler, waking it if it sleeps, and waits for its thread to end. Idempotent. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            stopping = true;
            wake.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t == null || t == Thread.currentThread()) return;
        try {
            t.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Scheduler[" + backend.describe() + ", refresh " + refresh + "]";
    }
}

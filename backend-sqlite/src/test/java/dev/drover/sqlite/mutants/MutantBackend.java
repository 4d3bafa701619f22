package dev.drover.sqlite.mutants;

import dev.drover.api.CancelResult;
import dev.drover.api.Capability;
import dev.drover.api.NewTask;
import dev.drover.api.QueueControl;
import dev.drover.api.QueueLimits;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import dev.drover.spi.WakeupSource;
import dev.drover.sqlite.SqliteBackend;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The real SQLite backend behind one {@link Mutation}; without one, it does what the real backend does. */
final class MutantBackend implements Backend {
    private final Mutation mutation;
    private final SqliteBackend real;
    /** For {@link Mutation#CLAIMS_EARLY}: the same file, opened with a clock that runs ahead; else null. */
    private final SqliteBackend claimer;

    MutantBackend(Mutation mutation, SqliteBackend real, SqliteBackend claimer) {
        this.mutation = mutation;
        this.real = real;
        this.claimer = claimer;
    }

    @Override
    public String describe() {
        return real.describe() + " (mutant: " + mutation.urlName() + ")";
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> declared = EnumSet.copyOf(real.capabilities());
        if (mutation == Mutation.DECLARES_NO_PUSH_BUT_PUSHES) declared.remove(Capability.TRANSACTIONAL_PUSH);
        return Set.copyOf(declared);
    }

    @Override
    public void push(List<NewTask> tasks) {
        real.push(tasks);
    }

    @Override
    public List<TaskId> pushReporting(List<NewTask> tasks) {
        return real.pushReporting(tasks);
    }

    @Override
    public void push(List<NewTask> tasks, Connection transaction) {
        switch (mutation) {
            case DECLARES_PUSH_IT_LACKS -> Backend.super.push(tasks, transaction);
            case COMMITS_THE_CALLERS_TRANSACTION -> {
                real.push(tasks, transaction);
                try {
                    if (!transaction.getAutoCommit()) transaction.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> real.push(tasks, transaction);
        }
    }

    @Override
    public List<ClaimedTask> claim(QueueName queue, WorkerId worker, int max, Duration leaseDuration) {
        return switch (mutation) {
            case THIRD_OF_THE_LEASE -> real.claim(queue, worker, max, leaseDuration.dividedBy(3));
            // the claimer's now is CLAIM_EARLY_BY ahead: shorten the lease by as much, so it still ends lease-duration from now
            case CLAIMS_EARLY -> claimer.claim(queue, worker, max, atLeastOneMilli(leaseDuration.minus(Mutation.CLAIM_EARLY_BY)));
            default -> real.claim(queue, worker, max, leaseDuration);
        };
    }

    @Override
    public Set<LeaseToken> heartbeat(Collection<Lease> leases, Duration extension) {
        return real.heartbeat(leases, mutation == Mutation.THIRD_OF_THE_LEASE ? extension.dividedBy(3) : extension);
    }

    @Override
    public Set<LeaseToken> settle(List<Settlement> settlements) {
        return real.settle(settlements);
    }

    @Override
    public Map<TaskState, Long> counts(QueueName queue) {
        return real.counts(queue);
    }

    @Override
    public Optional<TaskRecord> get(QueueName queue, TaskId id) {
        return real.get(queue, id);
    }

    @Override
    public List<TaskRecord> list(TaskQuery query) {
        return real.list(query);
    }

    @Override
    public CancelResult cancel(QueueName queue, TaskId id) {
        return real.cancel(queue, id);
    }

    @Override
    public Set<LeaseToken> cancelled(Collection<Lease> leases) {
        return real.cancelled(leases);
    }

    @Override
    public void pause(QueueName queue, boolean paused) {
        real.pause(queue, paused);
    }

    @Override
    public void limit(QueueName queue, QueueLimits limits) {
        real.limit(queue, limits);
    }

    @Override
    public QueueControl control(QueueName queue) {
        return real.control(queue);
    }

    @Override
    public int deleteFinished(QueueName queue, dev.drover.api.Retention retention, int limit) {
        return real.deleteFinished(queue, retention, limit);
    }

    @Override
    public boolean requeue(QueueName queue, TaskId id) {
        return real.requeue(queue, id);
    }

    // ---- recurring tasks ----

    @Override
    public java.time.Instant now() {
        return real.now();
    }

    @Override
    public void saveSchedule(dev.drover.api.ScheduleRecord schedule) {
        real.saveSchedule(schedule);
    }

    @Override
    public java.util.List<dev.drover.api.ScheduleRecord> schedules() {
        return real.schedules();
    }

    @Override
    public boolean pauseSchedule(String name, boolean paused) {
        return real.pauseSchedule(name, paused);
    }

    @Override
    public boolean removeSchedule(String name) {
        return real.removeSchedule(name);
    }

    @Override
    public boolean fireSchedule(String name, java.time.Instant expectedLastTick, java.time.Instant tick, dev.drover.api.NewTask task) {
        return real.fireSchedule(name, expectedLastTick, tick, task);
    }

    @Override
    public WakeupSource wakeups() {
        return mutation == Mutation.DECLARES_WAKEUPS_IT_LACKS ? WakeupSource.NONE : real.wakeups();
    }

    @Override
    public void close() {
        try {
            if (claimer != null) claimer.close();
        } finally {
            real.close();
        }
    }

    private static Duration atLeastOneMilli(Duration d) {
        return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
    }
}

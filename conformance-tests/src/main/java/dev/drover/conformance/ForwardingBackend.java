package dev.drover.conformance;

import dev.drover.api.CancelResult;
import dev.drover.api.Capability;
import dev.drover.api.NewTask;
import dev.drover.api.QueueControl;
import dev.drover.api.QueueLimits;
import dev.drover.api.QueueName;
import dev.drover.api.Retention;
import dev.drover.api.ScheduleRecord;
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

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A backend that hands every call to another: the base of a wrapper that changes one thing about a real backend (hides a
 * capability, breaks one rule on purpose to check that the kit catches it) and must do everything else as the real one.
 * A subclass overrides what it changes; a method added to the SPI is forwarded here once, for every wrapper.
 * <p>
 * {@link #settleThenClaim} is not forwarded: the interface's default settles, then claims, through this wrapper, so
 * a subclass that overrides {@link #settle} or {@link #claim} sees every settlement and claim the worker makes.
 */
public abstract class ForwardingBackend implements Backend {
    private final Backend delegate;

    protected ForwardingBackend(Backend delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    /** The backend every call goes to. */
    protected final Backend delegate() {
        return delegate;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public void push(List<NewTask> tasks) {
        delegate.push(tasks);
    }

    @Override
    public List<TaskId> pushReporting(List<NewTask> tasks) {
        return delegate.pushReporting(tasks);
    }

    @Override
    public void push(List<NewTask> tasks, Connection transaction) {
        delegate.push(tasks, transaction);
    }

    @Override
    public List<ClaimedTask> claim(QueueName queue, WorkerId worker, int max, Duration leaseDuration) {
        return delegate.claim(queue, worker, max, leaseDuration);
    }

    @Override
    public Set<LeaseToken> heartbeat(Collection<Lease> leases, Duration extension) {
        return delegate.heartbeat(leases, extension);
    }

    @Override
    public Set<LeaseToken> settle(List<Settlement> settlements) {
        return delegate.settle(settlements);
    }

    @Override
    public Map<TaskState, Long> counts(QueueName queue) {
        return delegate.counts(queue);
    }

    @Override
    public Optional<Instant> oldestDue(QueueName queue) {
        return delegate.oldestDue(queue);
    }

    @Override
    public Optional<TaskRecord> get(QueueName queue, TaskId id) {
        return delegate.get(queue, id);
    }

    @Override
    public List<TaskRecord> list(TaskQuery query) {
        return delegate.list(query);
    }

    @Override
    public CancelResult cancel(QueueName queue, TaskId id) {
        return delegate.cancel(queue, id);
    }

    @Override
    public Set<LeaseToken> cancelled(Collection<Lease> leases) {
        return delegate.cancelled(leases);
    }

    @Override
    public boolean requeue(QueueName queue, TaskId id) {
        return delegate.requeue(queue, id);
    }

    @Override
    public List<QueueName> queues() {
        return delegate.queues();
    }

    @Override
    public List<dev.drover.api.FinishedMinute> finishedPerMinute(QueueName queue, Instant since) {
        return delegate.finishedPerMinute(queue, since);
    }

    @Override
    public boolean runNow(QueueName queue, TaskId id) {
        return delegate.runNow(queue, id);
    }

    @Override
    public boolean delete(QueueName queue, TaskId id) {
        return delegate.delete(queue, id);
    }

    @Override
    public void pause(QueueName queue, boolean paused) {
        delegate.pause(queue, paused);
    }

    @Override
    public void limit(QueueName queue, QueueLimits limits) {
        delegate.limit(queue, limits);
    }

    @Override
    public QueueControl control(QueueName queue) {
        return delegate.control(queue);
    }

    @Override
    public int deleteFinished(QueueName queue, Retention retention, int limit) {
        return delegate.deleteFinished(queue, retention, limit);
    }

    @Override
    public Instant now() {
        return delegate.now();
    }

    @Override
    public void saveSchedule(ScheduleRecord schedule) {
        delegate.saveSchedule(schedule);
    }

    @Override
    public List<ScheduleRecord> schedules() {
        return delegate.schedules();
    }

    @Override
    public boolean pauseSchedule(String name, boolean paused) {
        return delegate.pauseSchedule(name, paused);
    }

    @Override
    public boolean removeSchedule(String name) {
        return delegate.removeSchedule(name);
    }

    @Override
    public boolean fireSchedule(String name, Instant expectedLastTick, Instant tick, NewTask task) {
        return delegate.fireSchedule(name, expectedLastTick, tick, task);
    }

    @Override
    public WakeupSource wakeups() {
        return delegate.wakeups();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

package dev.drover.conformance.workflow;

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

import java.sql.Connection;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The backend under test with {@link Capability#FOLLOW_UPS} taken out of its declared capabilities, so the workflow
 * engine takes its path for backends without follow-ups (idempotent pushes before the completion). Everything else is
 * the backend's own.
 */
public final class FollowUpsHidden implements Backend {
    private final Backend backend;

    public FollowUpsHidden(Backend backend) {
        this.backend = backend;
    }

    @Override
    public String describe() {
        return backend.describe() + " (FOLLOW_UPS hidden)";
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> all = backend.capabilities();
        EnumSet<Capability> copy = all.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(all);
        copy.remove(Capability.FOLLOW_UPS);
        return copy;
    }

    @Override
    public void push(List<NewTask> tasks) {
        backend.push(tasks);
    }

    @Override
    public List<TaskId> pushReporting(List<NewTask> tasks) {
        return backend.pushReporting(tasks);
    }

    @Override
    public void push(List<NewTask> tasks, Connection transaction) {
        backend.push(tasks, transaction);
    }

    @Override
    public List<ClaimedTask> claim(QueueName queue, WorkerId worker, int max, Duration leaseDuration) {
        return backend.claim(queue, worker, max, leaseDuration);
    }

    @Override
    public Set<LeaseToken> heartbeat(Collection<Lease> leases, Duration extension) {
        return backend.heartbeat(leases, extension);
    }

    @Override
    public Set<LeaseToken> settle(List<Settlement> settlements) {
        for (Settlement s : settlements) {
            if (s instanceof Settlement.Complete c && !c.then().isEmpty()) {
                throw new IllegalStateException("a completion with follow-ups reached a backend whose FOLLOW_UPS is hidden: task " + s.lease().taskId());
            }
        }
        return backend.settle(settlements);
    }

    @Override
    public Map<TaskState, Long> counts(QueueName queue) {
        return backend.counts(queue);
    }

    @Override
    public Optional<TaskRecord> get(QueueName queue, TaskId id) {
        return backend.get(queue, id);
    }

    @Override
    public List<TaskRecord> list(TaskQuery query) {
        return backend.list(query);
    }

    @Override
    public CancelResult cancel(QueueName queue, TaskId id) {
        return backend.cancel(queue, id);
    }

    @Override
    public Set<LeaseToken> cancelled(Collection<Lease> leases) {
        return backend.cancelled(leases);
    }

    @Override
    public void pause(QueueName queue, boolean paused) {
        backend.pause(queue, paused);
    }

    @Override
    public void limit(QueueName queue, QueueLimits limits) {
        backend.limit(queue, limits);
    }

    @Override
    public QueueControl control(QueueName queue) {
        return backend.control(queue);
    }

    @Override
    public int deleteFinished(QueueName queue, dev.drover.api.Retention retention, int limit) {
        return backend.deleteFinished(queue, retention, limit);
    }

    @Override
    public boolean requeue(QueueName queue, TaskId id) {
        return backend.requeue(queue, id);
    }

    // ---- recurring tasks ----

    @Override
    public java.time.Instant now() {
        return backend.now();
    }

    @Override
    public void saveSchedule(dev.drover.api.ScheduleRecord schedule) {
        backend.saveSchedule(schedule);
    }

    @Override
    public java.util.List<dev.drover.api.ScheduleRecord> schedules() {
        return backend.schedules();
    }

    @Override
    public boolean pauseSchedule(String name, boolean paused) {
        return backend.pauseSchedule(name, paused);
    }

    @Override
    public boolean removeSchedule(String name) {
        return backend.removeSchedule(name);
    }

    @Override
    public boolean fireSchedule(String name, java.time.Instant expectedLastTick, java.time.Instant tick, dev.drover.api.NewTask task) {
        return backend.fireSchedule(name, expectedLastTick, tick, task);
    }

    @Override
    public WakeupSource wakeups() {
        return backend.wakeups();
    }

    @Override
    public void close() {
        backend.close();
    }
}

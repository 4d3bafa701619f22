package dev.drover.spi;

import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.WorkerId;

import java.time.Instant;
import java.util.Objects;

/**
 * A worker's exclusive, expiring right to run one task, fenced by {@link LeaseToken}. It names the task's queue
 * so a backend that keeps queues apart (one table per queue, wake-ups per queue) needs no lookup to settle it.
 */
public record Lease(TaskId taskId, QueueName queue, WorkerId owner, LeaseToken token, Instant expiresAt) {
    public Lease {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}

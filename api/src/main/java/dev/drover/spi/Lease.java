package dev.drover.spi;

import dev.drover.api.TaskId;

import java.time.Instant;
import java.util.Objects;

/** A worker's exclusive, expiring right to run one task, fenced by {@link LeaseToken}. */
public record Lease(TaskId taskId, WorkerId owner, LeaseToken token, Instant expiresAt) {
    public Lease {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}

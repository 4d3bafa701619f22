package dev.drover.spi;

import dev.drover.api.TaskRecord;

/** A task a claim handed out (state RUNNING, attempt already counted) and the lease it is held under. */
public record ClaimedTask(TaskRecord task, Lease lease) {
}

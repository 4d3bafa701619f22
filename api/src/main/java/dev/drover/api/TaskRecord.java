package dev.drover.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A task as stored: what inspection returns and what a claim hands to a worker. Instants are stored with
 * millisecond precision. {@code leaseExpiresAt} is set while the task is RUNNING; {@code leaseOwner} names the
 * worker that holds or last held it.
 *
 * @param attempt starts at 0 and grows by one with every claim
 * @param codec the name of the codec that encoded {@code payload}
 */
public record TaskRecord(
        TaskId id,
        QueueName queue,
        TaskState state,
        int priority,
        Instant runAt,
        int attempt,
        int maxAttempts,
        byte[] payload,
        String codec,
        Map<String, String> metadata,
        String lastError,
        byte[] result,
        String leaseOwner,
        Instant leaseExpiresAt,
        Instant enqueuedAt,
        Instant startedAt,
        Instant finishedAt) {

    public TaskRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(runAt, "runAt");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(codec, "codec");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    @Override
    public String toString() {
        return "TaskRecord[" + id + " queue=" + queue + " state=" + state + " attempt=" + attempt + "/" + maxAttempts
                + " priority=" + priority + " runAt=" + runAt + " payload=" + payload.length + " bytes ("
                + codec + ")" + (lastError == null ? "" : " lastError=" + lastError) + "]";
    }
}

package dev.drover.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** A task to store: everything a push decided. A backend stores it PENDING with attempt 0. */
public record NewTask(TaskId id, QueueName queue, byte[] payload, String codec, int priority, Instant runAt,
                      int maxAttempts, Map<String, String> metadata) {
    public NewTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(runAt, "runAt");
        if (maxAttempts < 1) throw new InvalidTaskException("task " + id + ": maxAttempts must be at least 1 (got " + maxAttempts + ")");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}

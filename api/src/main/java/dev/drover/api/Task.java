package dev.drover.api;

import java.time.Instant;
import java.util.Map;

/**
 * What a handler sees: the decoded payload and the facts about this run of the task.
 *
 * @param attempt 1 on the first run, 2 on the first retry, and so on
 */
public record Task<T>(TaskId id, QueueName queue, T payload, int attempt, int maxAttempts, int priority,
                      Map<String, String> metadata, Instant enqueuedAt) {
    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }
}

package dev.drover.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a handler whose attempt failed and that knows when the next one should be: the worker retries after
 * {@code delay} instead of its retry policy's delay (while attempts remain; on the last attempt the task goes DEAD).
 */
public class RetryAfterException extends RuntimeException {
    private final Duration delay;

    public RetryAfterException(Duration delay, String message, Throwable cause) {
        super(message, cause);
        this.delay = Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("a retry delay must not be negative: " + delay);
    }

    public RetryAfterException(Duration delay, String message) {
        this(delay, message, null);
    }

    public Duration delay() {
        return delay;
    }
}

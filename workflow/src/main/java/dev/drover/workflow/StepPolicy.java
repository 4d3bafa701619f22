package dev.drover.workflow;

import dev.drover.api.worker.RetryPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * How a step that throws is retried: at most {@code maxAttempts} runs (the step task's max attempts), waiting
 * {@code backoff} between them. When the last attempt fails, the step task is DEAD with the error and the run FAILED.
 * A step that throws {@link dev.drover.api.DoNotRetryException} fails at once.
 */
public record StepPolicy(int maxAttempts, RetryPolicy backoff) {
    private static final StepPolicy DEFAULTS = new StepPolicy(5, RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.2));

    public StepPolicy {
        if (maxAttempts < 1) throw new WorkflowDefinitionException("a step policy needs at least 1 attempt (got " + maxAttempts + ")");
        Objects.requireNonNull(backoff, "backoff");
    }

    /** 5 attempts, 1 s doubling to at most 5 min between them, ±20%. */
    public static StepPolicy defaults() {
        return DEFAULTS;
    }

    /** {@code maxAttempts} attempts, {@code delay} between them. */
    public static StepPolicy fixed(int maxAttempts, Duration delay) {
        return new StepPolicy(maxAttempts, RetryPolicy.fixed(delay));
    }

    /** {@code maxAttempts} attempts, backing off exponentially from {@code base} to at most {@code max}, ±20%. */
    public static StepPolicy exponential(int maxAttempts, Duration base, Duration max) {
        return new StepPolicy(maxAttempts, RetryPolicy.exponential(base, max, 0.2));
    }

    /** No retry: the first failure fails the run. */
    public static StepPolicy once() {
        return new StepPolicy(1, RetryPolicy.fixed(Duration.ZERO));
    }
}

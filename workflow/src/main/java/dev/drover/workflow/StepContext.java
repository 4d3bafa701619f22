package dev.drover.workflow;

import java.util.Optional;

/**
 * What a step function may ask about the task running it, through {@link #current()}: the run, the node, the
 * element of a fan-out, and the attempt. {@link #idempotencyKey()} is the same on every attempt of this step of
 * this run and different everywhere else: pass it to a payment provider or mail service so that a step retried
 * after a crash does not charge or send twice.
 *
 * @param element the element's index in a filter or flat-map, or -1 for a step
 * @param attempt 1 on the first run of the step, 2 on the first retry, and so on
 */
public record StepContext(String workflow, RunId run, String node, int element, int attempt, int maxAttempts, String idempotencyKey) {
    private static final ThreadLocal<StepContext> CURRENT = new ThreadLocal<>();

    /** The step running on this thread; empty outside a step function. */
    public static Optional<StepContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }

    static void set(StepContext context) {
        if (context == null) CURRENT.remove();
        else CURRENT.set(context);
    }
}

package dev.drover.api;

/**
 * The application's code for one queue. Return normally and the task is DONE. Throw and it is retried after
 * a backoff until its attempts run out, then it is DEAD with the error kept. Throw {@link DoNotRetryException}
 * to make it DEAD at once. A handler may run more than once for one task (delivery is at least once), so make
 * its effects idempotent.
 */
@FunctionalInterface
public interface TaskHandler<T> {
    void handle(Task<T> task) throws Exception;
}

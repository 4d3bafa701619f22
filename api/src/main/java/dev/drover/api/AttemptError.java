package dev.drover.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One failed attempt of a task, as its history keeps it ({@link TaskRecord#attempts()}): which attempt it was, when the
 * failure was recorded (on the backend's clock), the worker that ran it (null when unknown), and its error.
 *
 * @param attempt the attempt's number, from 1 (after a requeue the numbers start again at 1)
 * @param at      when the failure was recorded
 * @param worker  the id of the worker that held the task's lease, or null when the storage did not know it
 * @param error   the error, as the task's {@link TaskRecord#lastError()} had it
 */
public record AttemptError(int attempt, Instant at, String worker, String error) {
    /** How many failed attempts a task keeps, newest last: older ones are dropped. */
    public static final int KEPT = 10;

    public AttemptError {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(error, "error");
    }
}

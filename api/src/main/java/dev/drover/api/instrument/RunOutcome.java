package dev.drover.api.instrument;

import java.time.Duration;
import java.util.Objects;

/**
 * How a run of a handler ended, as the worker decided it: its kind, how long the handler ran, and the error it threw
 * (null when it returned).
 *
 * @param kind     what the worker will record
 * @param duration how long the handler ran
 * @param error    what the handler threw, or null
 */
public record RunOutcome(Kind kind, Duration duration, Throwable error) {
    public RunOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(duration, "duration");
    }

    /** What the worker records for a run. */
    public enum Kind {
        /** The handler returned: the task is DONE. */
        COMPLETED,
        /** The handler failed and the task will run again (PENDING, due after the retry policy's delay). */
        RETRYING,
        /** The handler failed for the last time (attempts exhausted, {@link dev.drover.api.DoNotRetryException}): DEAD. */
        DEAD,
        /**
         * The run's outcome was decided elsewhere before the handler ended: it timed out (the timeout records the failed
         * attempt), was released at shutdown, or the task was cancelled while it ran.
         */
        OVERTAKEN,
        /** The payload could not be decoded, so no handler ran: DEAD. */
        UNDECODABLE
    }
}

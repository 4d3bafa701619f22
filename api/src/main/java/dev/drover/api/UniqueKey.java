package dev.drover.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A task's unique key within its queue, and how long it holds it: while a task of the same queue holds the key "in
 * scope", a second push with that key stores nothing and returns the holder's id. Made by {@link TaskOptions#unique(String)},
 * {@link TaskOptions#unique(String, Duration)} and {@link TaskOptions#uniqueUntilDone(String)}.
 * <ul>
 * <li>{@link Scope#ACTIVE}: while the holder is PENDING or RUNNING; once it is DONE, DEAD or CANCELLED the key is free.</li>
 * <li>{@link Scope#PERIOD}: for {@code period} after the holder's push (by the backend's clock), whatever its state.</li>
 * <li>{@link Scope#UNTIL_DONE}: until the holder is DONE. A CANCELLED holder frees the key; a DEAD one holds it (it may
 * still be requeued and then done), until it is requeued and done, or deleted.</li>
 * </ul>
 * In every scope a holder that no longer exists (deleted) frees the key. Keys are per queue: the same key on two queues
 * are two keys. The scope is the holder's: a push that finds the key free becomes its holder with its own scope.
 *
 * @param key the key: not blank, at most {@link #MAX_LENGTH} characters
 * @param scope how long the holder holds it
 * @param period for {@link Scope#PERIOD}, how long after the push (positive); null for the other scopes
 */
public record UniqueKey(String key, Scope scope, Duration period) {
    /** The longest key, in characters. */
    public static final int MAX_LENGTH = 512;

    /** How long a task holds its unique key. */
    public enum Scope {
        /** While the holder is PENDING or RUNNING. */
        ACTIVE,
        /** For a period after the holder's push, whatever its state. */
        PERIOD,
        /** Until the holder is DONE (or CANCELLED, or deleted); a DEAD holder keeps it. */
        UNTIL_DONE
    }

    public UniqueKey {
        if (key == null || key.isBlank()) {
            throw new InvalidTaskException("a unique key must not be blank (got " + (key == null ? "null" : "\"" + key + "\"")
                    + "): use a text naming what must not be pushed twice, such as \"invoice-42\"");
        }
        if (key.length() > MAX_LENGTH) {
            throw new InvalidTaskException("a unique key is at most " + MAX_LENGTH + " characters (got " + key.length()
                    + ", starting \"" + key.substring(0, 40) + "...\"): hash long keys, e.g. to a SHA-256 hex text");
        }
        Objects.requireNonNull(scope, "scope");
        if (scope == Scope.PERIOD) {
            if (period == null || period.isNegative() || period.isZero()) {
                throw new InvalidTaskException("unique key \"" + key + "\": the period must be a positive duration (got " + period + ")");
            }
        } else if (period != null) {
            throw new InvalidTaskException("unique key \"" + key + "\": only the PERIOD scope takes a period (scope " + scope
                    + ", period " + period + ")");
        }
    }

    /** Held while the holder is PENDING or RUNNING. */
    public static UniqueKey active(String key) {
        return new UniqueKey(key, Scope.ACTIVE, null);
    }

    /** Held for {@code period} after the holder's push, whatever its state. */
    public static UniqueKey forPeriod(String key, Duration period) {
        return new UniqueKey(key, Scope.PERIOD, period);
    }

    /** Held until the holder is DONE; see {@link Scope#UNTIL_DONE}. */
    public static UniqueKey untilDone(String key) {
        return new UniqueKey(key, Scope.UNTIL_DONE, null);
    }
}

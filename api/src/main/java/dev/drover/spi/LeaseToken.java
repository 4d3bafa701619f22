package dev.drover.spi;

import java.util.Objects;

/**
 * The fencing token of one claim. It is new on every claim of a task, and every later transition of that
 * task is conditional on it: a worker whose lease was lost (it expired and another worker claimed the task)
 * holds a token that no longer matches and changes nothing.
 */
public record LeaseToken(String value) {
    public LeaseToken {
        Objects.requireNonNull(value, "lease token");
    }

    @Override
    public String toString() {
        return value;
    }
}

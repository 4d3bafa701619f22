package dev.drover.test;

import dev.drover.api.TaskId;

import java.util.List;
import java.util.Map;

/**
 * What a {@link Drain} ran: the tasks whose handler returned (now DONE), and those whose handler threw, with the
 * exception, split by what became of them: retried later (PENDING with its backoff, not run again by this drain) or
 * DEAD (no attempt left, {@code DoNotRetryException}, or an undecodable payload).
 *
 * @param succeeded the tasks completed, in the order they ran
 * @param retried   the tasks that failed and will be retried after their backoff, with their failure
 * @param dead      the tasks that failed for good, with their failure
 */
public record DrainReport(List<TaskId> succeeded, Map<TaskId, Throwable> retried, Map<TaskId, Throwable> dead) {
    /** Copies the lists and maps. */
    public DrainReport {
        succeeded = List.copyOf(succeeded);
        retried = Map.copyOf(retried);
        dead = Map.copyOf(dead);
    }

    /** How many tasks ran: succeeded, retried and dead. */
    public int ran() {
        return succeeded.size() + retried.size() + dead.size();
    }

    /** True when every task that ran succeeded. */
    public boolean allSucceeded() {
        return retried.isEmpty() && dead.isEmpty();
    }

    /** Throws an {@link AssertionError} naming each failed task and carrying its exception, unless all succeeded. */
    public DrainReport assertAllSucceeded() {
        if (allSucceeded()) return this;
        AssertionError error = new AssertionError("drain: " + (retried.size() + dead.size()) + " of " + ran() + " task(s) failed: "
                + describe("retried", retried) + describe("dead", dead));
        retried.values().forEach(error::addSuppressed);
        dead.values().forEach(error::addSuppressed);
        throw error;
    }

    private static String describe(String what, Map<TaskId, Throwable> failures) {
        StringBuilder sb = new StringBuilder();
        failures.forEach((id, e) -> sb.append("\n  ").append(what).append(' ').append(id).append(": ").append(e));
        return sb.toString();
    }
}

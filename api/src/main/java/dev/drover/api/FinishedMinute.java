package dev.drover.api;

import java.time.Instant;
import java.util.Objects;

/**
 * How many tasks of a queue finished in one minute: the throughput an operator watches. {@code minute} is the start
 * of the minute (whole minutes since the epoch, on the storage's clock).
 *
 * @param minute the minute's start
 * @param done   tasks that ended DONE in it
 * @param dead   tasks that ended DEAD in it
 */
public record FinishedMinute(Instant minute, long done, long dead) {
    public FinishedMinute {
        Objects.requireNonNull(minute, "minute");
        if (done < 0 || dead < 0) throw new IllegalArgumentException("counts cannot be negative (done " + done + ", dead " + dead + ")");
    }
}

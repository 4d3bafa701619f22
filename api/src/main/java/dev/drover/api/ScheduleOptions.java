package dev.drover.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a recurring task's schedule behaves: what happens to ticks missed while no scheduler ran, and the options of the
 * tasks it pushes.
 *
 * @param missedTicks what to do with ticks missed after downtime; {@link MissedTicks#RUN_LATEST_ONCE} by default
 * @param missedAfter how late a tick may be seen and still count as on time (for {@link MissedTicks#SKIP}); 1 minute by default
 * @param priority    the priority of each pushed task
 * @param maxAttempts the attempts of each pushed task
 */
public record ScheduleOptions(MissedTicks missedTicks, Duration missedAfter, int priority, int maxAttempts) {

    /** What a scheduler does when it finds ticks that passed while no scheduler ran. */
    public enum MissedTicks {
        /** Push one task, for the latest missed tick; the earlier ones are dropped. */
        RUN_LATEST_ONCE,
        /** Push nothing for ticks more than {@code missedAfter} late; wait for the next tick. */
        SKIP
    }

    public ScheduleOptions {
        Objects.requireNonNull(missedTicks, "missedTicks");
        Objects.requireNonNull(missedAfter, "missedAfter");
        if (missedAfter.isNegative()) throw new IllegalArgumentException("missedAfter must not be negative (got " + missedAfter + ")");
        if (maxAttempts < 1) throw new IllegalArgumentException("a schedule's maxAttempts must be at least 1 (got " + maxAttempts + ")");
    }

    /** Run the latest missed tick once, missed after 1 minute, priority 0, the default attempts. */
    public static ScheduleOptions defaults() {
        return new ScheduleOptions(MissedTicks.RUN_LATEST_ONCE, Duration.ofMinutes(1), 0, DroverSettings.DEFAULT_MAX_ATTEMPTS);
    }

    /** These options with {@code policy} for missed ticks. */
    public ScheduleOptions missedTicks(MissedTicks policy) {
        return new ScheduleOptions(policy, missedAfter, priority, maxAttempts);
    }

    /** These options with ticks counting as missed when seen more than {@code lateness} after their time. */
    public ScheduleOptions missedAfter(Duration lateness) {
        return new ScheduleOptions(missedTicks, lateness, priority, maxAttempts);
    }

    /** These options with {@code value} as the pushed tasks' priority. */
    public ScheduleOptions priority(int value) {
        return new ScheduleOptions(missedTicks, missedAfter, value, maxAttempts);
    }

    /** These options with {@code attempts} as the pushed tasks' attempts. */
    public ScheduleOptions maxAttempts(int attempts) {
        return new ScheduleOptions(missedTicks, missedAfter, priority, attempts);
    }
}

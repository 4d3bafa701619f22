package dev.drover.api;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When a recurring task runs: a cron expression in a time zone, or a fixed interval.
 * <ul>
 *   <li>{@link #cron(String, ZoneId)}: standard 5-field cron ({@code minute hour day-of-month month day-of-week}), 6 fields
 *   with seconds first ({@code second minute hour day-of-month month day-of-week}, Spring's syntax), or a macro:
 *   {@code @hourly}, {@code @daily} (also {@code @midnight}), {@code @weekly}, {@code @monthly}, {@code @yearly} (also
 *   {@code @annually}). Parsed by cron-utils.</li>
 *   <li>{@link #every(Duration)}: ticks at whole multiples of the interval since the epoch (UTC), so every process computes
 *   the same ticks whenever it started.</li>
 * </ul>
 * Ticks are {@link Instant}s computed in the schedule's zone. Across daylight-saving transitions a local time that does not
 * exist (the clocks spring forward over it) has no tick, and a local time that happens twice (the clocks fall back) ticks
 * once, at its first occurrence.
 */
public final class Schedule {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SPRING = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));
    /** How many cron matches to look at for one tick before giving up (only skipped local times are passed over). */
    private static final int MAX_STEPS = 100_000;

    private final String spec;
    private final ZoneId zone;
    private final ExecutionTime cron;
    private final long intervalMillis;

    private Schedule(String spec, ZoneId zone, ExecutionTime cron, long intervalMillis) {
        this.spec = spec;
        this.zone = zone;
        this.cron = cron;
        this.intervalMillis = intervalMillis;
    }

    /** A cron schedule in {@code zone}; see the class comment for the syntax. Fails on an expression that does not parse. */
    public static Schedule cron(String expression, ZoneId zone) {
        Objects.requireNonNull(expression, "cron expression");
        Objects.requireNonNull(zone, "zone");
        String trimmed = expression.trim().replaceAll("\\s+", " ");
        String expanded = MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
        int fields = expanded.isEmpty() ? 0 : expanded.split(" ").length;
        CronParser parser = switch (fields) {
            case 5 -> UNIX;
            case 6 -> SPRING;
            default -> throw new IllegalArgumentException("cron expression '" + expression + "' has " + fields
                    + " fields: give 5 (minute hour day-of-month month day-of-week), 6 (seconds first) or a macro such as @hourly");
        };
        Cron parsed;
        try {
            parsed = parser.parse(expanded);
            parsed.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron expression '" + expression + "' does not parse: " + e.getMessage(), e);
        }
        return new Schedule("cron:" + trimmed, zone, ExecutionTime.forCron(parsed), 0);
    }

    /** A cron schedule in UTC. */
    public static Schedule cron(String expression) {
        return cron(expression, ZoneOffset.UTC);
    }

    /** Every {@code interval} (at least one second, whole milliseconds), at multiples of it since the epoch. */
    public static Schedule every(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a schedule's interval must be at least 1 second (got " + interval + ")");
        }
        if (interval.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("a schedule's interval must be whole milliseconds (got " + interval + ")");
        }
        return new Schedule("every:" + interval, ZoneOffset.UTC, null, interval.toMillis());
    }

    /** The schedule {@link #spec()} and {@link #zone()} describe, as storage keeps it. */
    public static Schedule parse(String spec, ZoneId zone) {
        Objects.requireNonNull(spec, "spec");
        if (spec.startsWith("cron:")) return cron(spec.substring("cron:".length()), zone);
        if (spec.startsWith("every:")) return every(Duration.parse(spec.substring("every:".length())));
        throw new IllegalArgumentException("schedule spec '" + spec + "' is neither 'cron:<expression>' nor 'every:<ISO-8601 duration>'");
    }

    /** The stored form: {@code cron:<expression>} or {@code every:<ISO-8601 duration>}. */
    public String spec() {
        return spec;
    }

    /** The zone ticks are computed in (UTC for an interval). */
    public ZoneId zone() {
        return zone;
    }

    /** The first tick strictly after {@code instant}; empty when the cron expression never matches again. */
    public Optional<Instant> nextTickAfter(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        if (cron == null) {
            long millis = instant.toEpochMilli();
            return Optional.of(Instant.ofEpochMilli(Math.floorDiv(millis, intervalMillis) * intervalMillis + intervalMillis));
        }
        // Matches are found on local wall-clock time (computed as if in UTC, which has no transitions), then placed in the zone.
        LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<ZonedDateTime> next = cron.nextExecution(local.atZone(ZoneOffset.UTC));
            if (next.isEmpty()) return Optional.empty();
            local = next.get().toLocalDateTime();
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
            if (offsets.isEmpty()) continue;                        // in a spring-forward gap: this local time does not exist
            Instant tick = local.toInstant(offsets.getFirst());     // in a fall-back overlap: the first occurrence only
            if (tick.isAfter(instant)) return Optional.of(tick);
        }
        return Optional.empty();
    }

    /** The last tick at or before {@code now} that is strictly after {@code after}; empty when there is none. */
    public Optional<Instant> latestTickBetween(Instant after, Instant now) {
        if (cron == null) {
            long latest = Math.floorDiv(now.toEpochMilli(), intervalMillis) * intervalMillis;
            return latest > after.toEpochMilli() ? Optional.of(Instant.ofEpochMilli(latest)) : Optional.empty();
        }
        Optional<Instant> first = nextTickAfter(after);
        if (first.isEmpty() || first.get().isAfter(now)) return Optional.empty();
        // Step back from now: the latest cron match at or before now that exists in the zone.
        LocalDateTime local = LocalDateTime.ofInstant(now, zone).plusSeconds(1);
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<ZonedDateTime> previous = cron.lastExecution(local.atZone(ZoneOffset.UTC));
            if (previous.isEmpty()) return first;
            local = previous.get().toLocalDateTime();
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
            if (offsets.isEmpty()) continue;
            Instant tick = local.toInstant(offsets.getFirst());
            if (tick.isAfter(now)) continue;
            return tick.isAfter(after) ? Optional.of(tick) : first;
        }
        return first;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule other && spec.equals(other.spec) && zone.equals(other.zone);
    }

    @Override
    public int hashCode() {
        return 31 * spec.hashCode() + zone.hashCode();
    }

    @Override
    public String toString() {
        return cron == null ? spec : spec + " in " + zone;
    }
}

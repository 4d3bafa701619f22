package dev.drover.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tick computation of {@link Schedule}: pure, with fixed instants and a zone with daylight-saving transitions. */
class ScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static List<Instant> ticks(Schedule s, Instant from, int n) {
        List<Instant> out = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < n; i++) {
            t = s.nextTickAfter(t).orElseThrow();
            out.add(t);
        }
        return out;
    }

    @Test
    void springForwardSkipsTheLocalTimeThatDoesNotExist() {
        // 2026-03-29: Berlin's clocks go from 02:00 CET to 03:00 CEST, so 02:30 does not exist that day.
        Schedule daily = Schedule.cron("30 2 * * *", BERLIN);
        assertThat(ticks(daily, Instant.parse("2026-03-27T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-03-28T01:30:00Z"),   // 02:30 CET
                Instant.parse("2026-03-30T00:30:00Z"),   // 02:30 CEST; the 29th has no tick
                Instant.parse("2026-03-31T00:30:00Z"));
    }

    @Test
    void fallBackFiresTheRepeatedLocalTimeOnce() {
        // 2026-10-25: Berlin's clocks go from 03:00 CEST back to 02:00 CET, so 02:30 happens twice; it ticks at the first.
        Schedule daily = Schedule.cron("30 2 * * *", BERLIN);
        assertThat(ticks(daily, Instant.parse("2026-10-24T12:00:00Z"), 2)).containsExactly(
                Instant.parse("2026-10-25T00:30:00Z"),   // 02:30 CEST, the first occurrence
                Instant.parse("2026-10-26T01:30:00Z"));  // 02:30 CET next day; not 2026-10-25T01:30Z
        Schedule quarterHourly = Schedule.cron("*/15 2 * * *", BERLIN);
        // From inside the second pass of the repeated hour, the repeated local times do not tick again.
        assertThat(quarterHourly.nextTickAfter(Instant.parse("2026-10-25T01:10:00Z")))
                .contains(Instant.parse("2026-10-26T01:00:00Z"));
        assertThat(quarterHourly.latestTickBetween(Instant.parse("2026-10-24T00:00:00Z"), Instant.parse("2026-10-25T01:50:00Z")))
                .contains(Instant.parse("2026-10-25T00:45:00Z"));
    }

    @Test
    void sixFieldsHaveSecondsAndMacrosExpand() {
        Schedule everyFive = Schedule.cron("*/5 * * * * *", BERLIN);
        assertThat(ticks(everyFive, Instant.parse("2026-01-01T00:00:01Z"), 2))
                .containsExactly(Instant.parse("2026-01-01T00:00:05Z"), Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(Schedule.cron("@hourly").nextTickAfter(Instant.parse("2026-01-01T05:00:00Z")))
                .contains(Instant.parse("2026-01-01T06:00:00Z"));
        assertThat(Schedule.cron("@daily", BERLIN).nextTickAfter(Instant.parse("2026-01-01T12:00:00Z")))
                .contains(Instant.parse("2026-01-01T23:00:00Z"));
        assertThat(Schedule.cron("@weekly").nextTickAfter(Instant.parse("2026-01-01T00:00:00Z")))   // a Thursday
                .contains(Instant.parse("2026-01-04T00:00:00Z"));
        assertThat(Schedule.cron("@monthly").nextTickAfter(Instant.parse("2026-01-15T00:00:00Z"))).contains(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(Schedule.cron("@yearly").nextTickAfter(Instant.parse("2026-01-15T00:00:00Z"))).contains(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(Schedule.cron("0 */5 * * * *").nextTickAfter(Instant.parse("2026-01-01T00:01:00Z"))).contains(Instant.parse("2026-01-01T00:05:00Z"));
    }

    @Test
    void intervalsTickAtMultiplesSinceTheEpoch() {
        Schedule s = Schedule.every(Duration.ofSeconds(10));
        assertThat(s.nextTickAfter(Instant.parse("2026-01-01T00:00:03Z"))).contains(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(s.nextTickAfter(Instant.parse("2026-01-01T00:00:10Z"))).contains(Instant.parse("2026-01-01T00:00:20Z"));
        assertThat(s.latestTickBetween(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:01:05Z")))
                .contains(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(s.latestTickBetween(Instant.parse("2026-01-01T00:01:00Z"), Instant.parse("2026-01-01T00:01:05Z"))).isEmpty();
    }

    @Test
    void latestTickOfACronCoalescesMissedTicks() {
        Schedule s = Schedule.cron("0 * * * *", BERLIN);
        assertThat(s.latestTickBetween(Instant.parse("2026-01-01T00:30:00Z"), Instant.parse("2026-01-01T05:10:00Z")))
                .contains(Instant.parse("2026-01-01T05:00:00Z"));
        assertThat(s.latestTickBetween(Instant.parse("2026-01-01T05:00:00Z"), Instant.parse("2026-01-01T05:10:00Z"))).isEmpty();
        assertThat(Schedule.parse(s.spec(), s.zone())).isEqualTo(s);
    }

    @Test
    void badSpecsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Schedule.cron("* * *")).hasMessageContaining("3 fields");
        assertThatThrownBy(() -> Schedule.cron("61 * * * *")).hasMessageContaining("does not parse");
        assertThatThrownBy(() -> Schedule.every(Duration.ofMillis(500))).hasMessageContaining("at least 1 second");
    }
}

package dev.drover.conformance;

import dev.drover.api.TaskRecord;
import dev.drover.api.QueueName;
import dev.drover.api.Schedule;
import dev.drover.api.ScheduleOptions;
import dev.drover.api.ScheduleRecord;
import dev.drover.api.TaskId;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.drover.conformance.KitTasks.text;
import static dev.drover.conformance.KitTasks.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rules S44-S45: recurring-task schedules ({@code SPEC.md}): saved, listed, paused, resumed and removed through any
 * instance, and fired with a compare-and-set that pushes exactly one task per tick.
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code Schedules} binds them to the storage of
 * the running test. Schedules are not per queue, so each rule names its schedules after its own queue and looks only at those.
 */
abstract class ScheduleRules extends StorageRules {
    ScheduleRules(StorageContract kit) {
        super(kit);
    }

    static Optional<ScheduleRecord> find(Backend backend, String name) {
        return backend.schedules().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    static ScheduleRecord stored(Backend backend, String name) {
        return find(backend, name).orElseThrow(() -> new AssertionError("schedule " + name + " is not listed by " + backend.describe()));
    }

    @Test
    @DisplayName("S44 A schedule saved through one instance is listed by another with every field; pause, resume, save again and remove are seen by every instance, and a re-save keeps the last tick and the paused flag")
    void S44_schedulesArePersistedAndManagedFromAnyInstance() {
        QueueName queue = Names.queue();
        String name = "kit-" + queue.value();
        ScheduleOptions options = ScheduleOptions.defaults().missedTicks(ScheduleOptions.MissedTicks.SKIP)
                .missedAfter(Duration.ofSeconds(30)).priority(7).maxAttempts(3);
        Schedule cron = Schedule.cron("0 30 2 * * *", ZoneId.of("Europe/Berlin"));
        Instant before = backend().now().minus(CLOCK_TOLERANCE);
        backend().saveSchedule(new ScheduleRecord(name, queue, cron, utf8("nightly"), "text", options, false, null));
        Instant after = backend().now().plus(CLOCK_TOLERANCE);

        Backend other = open();
        ScheduleRecord listed = stored(other, name);
        assertThat(listed.queue()).isEqualTo(queue);
        assertThat(listed.schedule()).isEqualTo(cron);
        assertThat(text(listed.payload())).isEqualTo("nightly");
        assertThat(listed.codec()).isEqualTo("text");
        assertThat(listed.options()).isEqualTo(options);
        assertThat(listed.paused()).isFalse();
        assertThat(listed.lastTick()).as("a new schedule's last tick is the backend's now at the save").isBetween(before, after);

        assertThat(other.pauseSchedule(name, true)).as("pause through another instance").isTrue();
        assertThat(stored(backend(), name).paused()).as("paused, seen by the first instance").isTrue();
        Schedule every = Schedule.every(Duration.ofMinutes(5));
        backend().saveSchedule(new ScheduleRecord(name, queue, every, utf8("changed"), "text", ScheduleOptions.defaults(), false, null));
        ScheduleRecord resaved = stored(open(), name);
        assertThat(resaved.schedule()).as("schedule after a re-save").isEqualTo(every);
        assertThat(text(resaved.payload())).isEqualTo("changed");
        assertThat(resaved.options()).isEqualTo(ScheduleOptions.defaults());
        assertThat(resaved.paused()).as("a re-save keeps the paused flag").isTrue();
        assertThat(resaved.lastTick()).as("a re-save keeps the last tick").isEqualTo(listed.lastTick());

        assertThat(backend().pauseSchedule(name, false)).as("resume").isTrue();
        assertThat(stored(other, name).paused()).as("resumed, seen by another instance").isFalse();

        Instant given = Instant.parse("2026-01-01T00:00:00Z");
        backend().saveSchedule(new ScheduleRecord(name, queue, every, utf8("changed"), "text", ScheduleOptions.defaults(), false, given));
        assertThat(stored(other, name).lastTick()).as("a re-save with a last tick sets it").isEqualTo(given);

        assertThat(other.removeSchedule(name)).as("remove").isTrue();
        assertThat(find(backend(), name)).as("the removed schedule, listed by the first instance").isEmpty();
        assertThat(backend().removeSchedule(name)).as("remove again").isFalse();
        assertThat(backend().pauseSchedule(name, true)).as("pause of a removed schedule").isFalse();
    }

    @Test
    @DisplayName("S45 Of concurrent fires of one tick from several instances, exactly one succeeds and exactly one task, with the tick's id, is pushed; a stale expected tick and a paused schedule are refused and push nothing; a fire without a task advances the tick only")
    void S45_fireIsACompareAndSetThatPushesOneTaskPerTick() throws Exception {
        QueueName queue = Names.queue();
        String name = "kit-" + queue.value();
        Instant t0 = backend().now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
        ScheduleRecord schedule = new ScheduleRecord(name, queue, Schedule.every(Duration.ofMinutes(1)), utf8("tick"), "text",
                ScheduleOptions.defaults(), false, t0);
        backend().saveSchedule(schedule);
        Instant tick = t0.plus(Duration.ofMinutes(1));

        int racers = 4;
        List<Backend> instances = new ArrayList<>();
        for (int i = 0; i < racers; i++) instances.add(open());
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Boolean> won = new ArrayList<>();
        try {
            List<Future<Boolean>> fires = new ArrayList<>();
            for (Backend b : instances) {
                fires.add(pool.submit(() -> {
                    start.await();
                    return b.fireSchedule(name, t0, tick, schedule.taskFor(tick));
                }));
            }
            for (Future<Boolean> f : fires) won.add(f.get());
        } finally {
            pool.shutdownNow();
        }
        assertThat(won.stream().filter(w -> w).count()).as("fires of tick %s that succeeded, of %d concurrent ones (%s)", tick, racers, won)
                .isEqualTo(1);
        assertThat(stored(backend(), name).lastTick()).isEqualTo(tick);
        List<ClaimedTask> pushed = claimAll(backend(), queue, Names.worker("s45"));
        assertThat(pushed).as("tasks pushed for tick %s", tick).hasSize(1);
        TaskRecord task = pushed.getFirst().task();
        assertThat(task.id()).isEqualTo(ScheduleRecord.tickTaskId(name, tick));
        assertThat(text(task.payload())).isEqualTo("tick");
        assertThat(task.runAt()).isEqualTo(tick);

        Instant tick2 = tick.plus(Duration.ofMinutes(1));
        assertThat(backend().fireSchedule(name, t0, tick2, schedule.taskFor(tick2))).as("a fire with the stale expected tick %s", t0).isFalse();
        assertThat(backend().pauseSchedule(name, true)).isTrue();
        assertThat(open().fireSchedule(name, tick, tick2, schedule.taskFor(tick2))).as("a fire of a paused schedule").isFalse();
        assertThat(claimAll(backend(), queue, Names.worker("s45"))).as("tasks after the refused fires").isEmpty();
        assertThat(stored(backend(), name).lastTick()).as("last tick after the refused fires").isEqualTo(tick);

        assertThat(backend().pauseSchedule(name, false)).isTrue();
        assertThat(backend().fireSchedule(name, tick, tick2, null)).as("a fire without a task (a skipped tick)").isTrue();
        assertThat(stored(open(), name).lastTick()).isEqualTo(tick2);
        assertThat(claimAll(backend(), queue, Names.worker("s45"))).as("tasks after a skipped tick").isEmpty();
        Instant tick3 = tick2.plus(Duration.ofMinutes(1));
        assertThat(open().fireSchedule(name, tick2, tick3, schedule.taskFor(tick3))).isTrue();
        assertThat(claimAll(backend(), queue, Names.worker("s45"))).extracting(c -> c.task().id())
                .as("the task of the next tick").containsExactly(ScheduleRecord.tickTaskId(name, tick3));
        assertThat(ScheduleRecord.tickTaskId(name, tick3)).isNotEqualTo(ScheduleRecord.tickTaskId(name, tick2))
                .isEqualTo(TaskId.of(ScheduleRecord.tickTaskId(name, tick3).value()));
        backend().removeSchedule(name);
    }
}

package dev.drover.conformance;

import dev.drover.api.Drover;
import dev.drover.api.Schedule;
import dev.drover.api.ScheduleOptions;
import dev.drover.api.ScheduleRecord;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.worker.Scheduler;
import dev.drover.conformance.child.Message;
import dev.drover.conformance.child.SchedulerMain;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.drover.api.Capability.MULTI_PROCESS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker rules W25-W26: schedulers ({@code SPEC.md}). Several schedulers on one storage, in one process or in several, push
 * exactly one task per tick; ticks missed while no scheduler ran are run once (the latest) or skipped, by the schedule's option.
 * <p>
 * The tasks are read back by claiming them: each has the tick's id and is due at its tick, so the ticks they were pushed for
 * are known. "One task per tick" is checked as: the ticks are distinct, one second apart with none missing between the first
 * and the last, and as many as the schedulers say they pushed.
 */
abstract class SchedulerRules {
    static final Duration WAIT = WorkerContract.WAIT;
    static final int TICKS = 4;

    final WorkerContract kit;

    SchedulerRules(WorkerContract kit) {
        this.kit = kit;
    }

    /** Claims what is due of {@code queue} until {@code min} tasks were claimed in all (bounded wait); returns them by tick. */
    private static List<TaskRecord> collect(Backend backend, TaskQueue<?> queue, int min, List<TaskRecord> into) {
        Await.until(WAIT, () -> {
            for (ClaimedTask c : backend.claim(queue.name(), Names.worker("w25"), 100, Duration.ofMinutes(5))) into.add(c.task());
            return into.size() >= min;
        }, min + " scheduled tasks on " + queue.name() + " (got " + into.size() + ")");
        return into;
    }

    private static void assertOnePerTick(String name, List<TaskRecord> tasks, long pushed) {
        List<Instant> ticks = tasks.stream().map(TaskRecord::runAt).sorted().toList();
        assertThat(ticks).as("ticks of the pushed tasks").doesNotHaveDuplicates();
        for (TaskRecord t : tasks) {
            assertThat(t.id()).as("id of the task due at %s", t.runAt()).isEqualTo(ScheduleRecord.tickTaskId(name, t.runAt()));
            assertThat(t.metadata()).containsEntry("drover.schedule", name);
        }
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(Duration.between(ticks.get(i - 1), ticks.get(i))).as("between ticks %s and %s: no tick missing or doubled (all: %s)",
                    ticks.get(i - 1), ticks.get(i), ticks).isEqualTo(Duration.ofSeconds(1));
        }
        assertThat(pushed).as("tasks the schedulers report pushing, against the %d stored", tasks.size()).isEqualTo(tasks.size());
    }

    @Test
    @DisplayName("W25 Two schedulers in two Drover instances on a 1-second schedule push exactly one task per tick over several ticks, each with the tick's id; and ticks missed while no scheduler ran are pushed once (the latest) or skipped, by the schedule's option")
    void W25_twoSchedulersPushOneTaskPerTick() {
        Drover a = kit.drover();
        Drover b = kit.openDrover();
        TaskQueue<Message> queue = kit.messages(a);
        String name = "kit-" + queue.name().value();
        a.schedule(name, Schedule.every(Duration.ofSeconds(1)), queue, new Message("tick", 0));
        List<TaskRecord> tasks = new ArrayList<>();
        long pushed;
        try (Scheduler first = a.scheduler().start(); Scheduler second = b.scheduler().start()) {
            collect(a.backend(), queue, TICKS, tasks);
            first.close();
            second.close();
            pushed = first.pushed() + second.pushed();
        } finally {
            a.removeSchedule(name);
        }
        for (ClaimedTask c : a.backend().claim(queue.name(), Names.worker("w25"), 100, Duration.ofMinutes(5))) tasks.add(c.task());
        assertOnePerTick(name, tasks, pushed);
    }

    @Test
    @DisplayName("W25 (missed ticks) A schedule whose ticks passed while no scheduler ran gets one task, for the latest tick, by default; with MissedTicks.SKIP it gets none; either way its last tick moves to the latest")
    void W25_missedTicksRunTheLatestOnceOrAreSkipped() {
        Drover drover = kit.drover();
        Backend backend = drover.backend();
        TaskQueue<Message> queue = kit.messages(drover);
        String latest = "kit-latest-" + queue.name().value();
        String skip = "kit-skip-" + queue.name().value();
        Schedule hourly = Schedule.every(Duration.ofHours(1));
        Instant now = backend.now();
        Instant longAgo = now.minus(Duration.ofHours(10));
        byte[] payload = queue.codec().encode(new Message("missed", 0));
        backend.saveSchedule(new ScheduleRecord(latest, queue.name(), hourly, payload, queue.codec().name(), ScheduleOptions.defaults(), false, longAgo));
        backend.saveSchedule(new ScheduleRecord(skip, queue.name(), hourly, payload, queue.codec().name(),
                ScheduleOptions.defaults().missedTicks(ScheduleOptions.MissedTicks.SKIP).missedAfter(Duration.ofMillis(1)), false, longAgo));
        try {
            Scheduler scheduler = new Scheduler(backend, Duration.ofSeconds(1));
            scheduler.fireDue();
            Instant expected = hourly.latestTickBetween(longAgo, backend.now()).orElseThrow();
            List<ClaimedTask> claimed = backend.claim(queue.name(), Names.worker("w25"), 100, Duration.ofMinutes(5));
            assertThat(claimed).extracting(c -> c.task().id()).as("tasks after ten missed hourly ticks of %s (run latest once) and %s (skip)", latest, skip)
                    .containsExactly(ScheduleRecord.tickTaskId(latest, expected));
            assertThat(claimed.getFirst().task().runAt()).isEqualTo(expected);
            assertThat(ScheduleRules.stored(backend, latest).lastTick()).isEqualTo(expected);
            assertThat(ScheduleRules.stored(backend, skip).lastTick()).as("last tick of the skipping schedule").isEqualTo(expected);
            scheduler.fireDue();
            assertThat(backend.claim(queue.name(), Names.worker("w25"), 100, Duration.ofMinutes(5))).as("tasks after firing again").isEmpty();
            assertThat(scheduler.pushed()).isEqualTo(1);
        } finally {
            backend.removeSchedule(latest);
            backend.removeSchedule(skip);
        }
    }

    @Test
    @DisplayName("W26 (optional: MULTI_PROCESS) Schedulers in two other processes on a 1-second schedule push exactly one task per tick over several ticks")
    void optional_W26_schedulersInTwoProcessesPushOneTaskPerTick() {
        kit.requires(MULTI_PROCESS, "W26");
        Drover drover = kit.drover();
        TaskQueue<Message> queue = kit.messages(drover);
        String name = "kit-" + queue.name().value();
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                ChildJvm child = ChildJvm.start(SchedulerMain.class, kit.kitDir.resolve("children"), kit.url());
                kit.children.add(child);
                children.add(child);
            }
            for (ChildJvm child : children) child.awaitLineStartingWith("SCHEDULER", Duration.ofSeconds(45));
            drover.schedule(name, Schedule.every(Duration.ofSeconds(1)), queue, new Message("tick", 0));
            List<TaskRecord> tasks = collect(drover.backend(), queue, TICKS, new ArrayList<>());
            long pushed = 0;
            for (ChildJvm child : children) {
                child.send("GO");
                pushed += Long.parseLong(child.awaitLineStartingWith("PUSHED ", WAIT).substring("PUSHED ".length()));
            }
            for (ClaimedTask c : drover.backend().claim(queue.name(), Names.worker("w26"), 100, Duration.ofMinutes(5))) tasks.add(c.task());
            assertOnePerTick(name, tasks, pushed);
        } finally {
            drover.removeSchedule(name);
            children.forEach(ChildJvm::close);
        }
    }
}

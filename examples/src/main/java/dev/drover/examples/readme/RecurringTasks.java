package dev.drover.examples.readme;

import dev.drover.api.Drover;
import dev.drover.api.Schedule;
import dev.drover.api.ScheduleOptions;
import dev.drover.api.ScheduleRecord;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Scheduler;
import dev.drover.api.worker.Worker;

import java.time.Duration;
import java.time.ZoneId;

public final class RecurringTasks {
    record Report(String kind) { }

    public static void main(String[] args) throws Exception {
        try (Drover drover = Drover.open("sqlite:jobs.db")) {
            TaskQueue<Report> reports = drover.queue("reports", Report.class);
            // Saved in storage: any process can list, pause, resume or remove it. Saving the name again replaces it.
            drover.schedule("nightly-report", Schedule.cron("30 2 * * *", ZoneId.of("Europe/Berlin")), reports, new Report("nightly"));
            drover.schedule("heartbeat", Schedule.every(Duration.ofMinutes(5)), reports, new Report("heartbeat"),
                    ScheduleOptions.defaults().missedTicks(ScheduleOptions.MissedTicks.SKIP).priority(5));
            drover.schedule("top-of-hour", Schedule.cron("@hourly"), reports, new Report("hourly"));

            for (ScheduleRecord s : drover.schedules()) System.out.println(s.name() + ": " + s.schedule() + ", last tick " + s.lastTick());
            drover.pauseSchedule("top-of-hour");                  // no task for its ticks until resumed
            drover.resumeSchedule("top-of-hour");

            // Run a scheduler in every process that should push (one is enough, more are safe: one task per tick).
            try (Scheduler scheduler = drover.scheduler().start();
                 Worker<Report> worker = drover.worker(reports, task -> System.out.println("report " + task.payload().kind())).start()) {
                Thread.sleep(Duration.ofMinutes(10));
            }
            drover.removeSchedule("heartbeat");                   // its tasks already pushed stay
        }
    }
}

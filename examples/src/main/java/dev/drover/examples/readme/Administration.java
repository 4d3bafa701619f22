package dev.drover.examples.readme;

import dev.drover.api.Drover;
import dev.drover.api.FinishedMinute;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.admin.DroverAdmin;
import dev.drover.api.admin.QueueSummary;
import dev.drover.api.admin.TaskPage;
import dev.drover.dashboard.DroverDashboard;

import java.time.Duration;

/** The README's "Operating a Drover" example: what the dashboard and the CLI do, from Java. */
public final class Administration {
    public static void main(String[] args) {
        try (Drover drover = Drover.open("sqlite:jobs.db")) {
            // region admin
            DroverAdmin admin = drover.admin();
            for (QueueSummary queue : admin.queues()) {
                System.out.printf("%-20s %6d pending %6d dead%s%n", queue.name(), queue.count(TaskState.PENDING),
                        queue.count(TaskState.DEAD), queue.paused() ? " (paused)" : "");
            }
            long doneLastHour = admin.throughput("emails", 60).stream().mapToLong(FinishedMinute::done).sum();
            TaskPage dead = admin.tasks("emails", TaskState.DEAD, null, null, 50);   // then nextAfter() / previousBefore()
            for (TaskRecord task : dead.tasks()) System.out.println(task.id() + ": " + task.lastError());
            int requeued = admin.requeueAllDead("emails");
            int purged = admin.purge("emails", TaskState.DONE, Duration.ofDays(7));
            // endregion admin
            System.out.println(doneLastHour + " done in the last hour; " + requeued + " requeued, " + purged + " purged");
        }
    }

    /** The README's dashboard example: embedded in the application, beside its workers. */
    static void dashboard(Drover drover) {
        // region dashboard
        DroverDashboard dashboard = DroverDashboard.start(drover, 8090);   // http://127.0.0.1:8090/, with actions

        // Reachable from other machines: a credential is required, here a token, and no actions.
        DroverDashboard shared = DroverDashboard.builder(drover)
                .bind("0.0.0.0").port(8091)
                .token(System.getenv("DROVER_DASHBOARD_TOKEN"))
                .readOnly(true)
                .start();
        // endregion dashboard
        dashboard.close();
        shared.close();
    }
}

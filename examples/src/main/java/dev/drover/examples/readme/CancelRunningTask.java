package dev.drover.examples.readme;

import dev.drover.api.CancelResult;
import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;

import java.time.Duration;

public final class CancelRunningTask {
    record Report(String month) { }

    public static void main(String[] args) throws Exception {
        try (Drover drover = Drover.open("sqlite:jobs.db")) {
            TaskQueue<Report> reports = drover.queue("reports", Report.class);
            Worker<Report> worker = drover.worker(reports, task -> {
                        for (int page = 1; page <= 1_000; page++) {
                            render(task.payload(), page);         // a blocking call or Thread.sleep ends with InterruptedException
                        }
                    })
                    .leaseDuration(Duration.ofSeconds(30))        // heartbeats every 10 s: a cancel is seen within one
                    .listener(event -> {
                        if (event instanceof WorkerEvent.TaskCancelled c) System.out.println("stopped " + c.taskId());
                    })
                    .start();

            TaskId id = reports.push(new Report("2026-11"));
            Thread.sleep(500);                                    // it runs now; any process may cancel it:
            switch (reports.cancel(id)) {
                case CancelResult.Cancelled c when c.wasRunning() -> System.out.println("interrupting " + id);
                case CancelResult.Cancelled c -> System.out.println(id + " will not run");
                case CancelResult.AlreadyFinished f -> System.out.println(id + " had already ended: " + f.state());
                case CancelResult.Unknown u -> System.out.println("no task " + id + " in " + reports.name());
            }
            worker.shutdown(Duration.ofSeconds(30));
        }
    }

    static void render(Report report, int page) throws InterruptedException {
        Thread.sleep(100);
    }
}

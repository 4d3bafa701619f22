package dev.drover.conformance.child;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;

import java.time.Duration;

/**
 * A real {@link Worker} in its own process, for the rule that a task cancelled from another process is interrupted
 * there. Arguments: URL, queue, lease and heartbeat interval in milliseconds. It runs one task at a time. A task whose
 * text is {@code block} prints {@code STARTED <taskId> <attempt>} and sleeps until interrupted, then prints
 * {@code INTERRUPTED <taskId>} and ends by throwing; any other task ends at once. The worker's events are printed:
 * {@code CANCELLED}, {@code COMPLETED}, {@code RETRYING}, {@code DEAD}, {@code LEASE_LOST}, each with the task id.
 */
public final class CancelledWorkerMain {
    private CancelledWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: CancelledWorkerMain <url> <queue> <leaseMillis> <heartbeatMillis>");
            System.exit(64);
        }
        ChildSupport.watchParent();
        Drover drover = Drover.open(args[0]);
        TaskQueue<Message> queue = drover.queue(args[1], Message.class);
        Worker<Message> worker = drover.worker(queue, task -> {
                    if (!task.payload().text().equals("block")) return;
                    ChildSupport.say("STARTED " + task.id() + " " + task.attempt());
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        ChildSupport.say("INTERRUPTED " + task.id());
                        throw e;
                    }
                })
                .concurrency(1)
                .leaseDuration(Duration.ofMillis(Long.parseLong(args[2])))
                .heartbeatInterval(Duration.ofMillis(Long.parseLong(args[3])))
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .listener(event -> {
                    switch (event) {
                        case WorkerEvent.TaskCancelled e -> ChildSupport.say("CANCELLED " + e.taskId());
                        case WorkerEvent.TaskCompleted e -> ChildSupport.say("COMPLETED " + e.taskId());
                        case WorkerEvent.TaskRetrying e -> ChildSupport.say("RETRYING " + e.taskId());
                        case WorkerEvent.TaskDead e -> ChildSupport.say("DEAD " + e.taskId());
                        case WorkerEvent.LeaseLost e -> ChildSupport.say("LEASE_LOST " + e.taskId());
                        default -> { }
                    }
                })
                .start();
        ChildSupport.say("WORKER " + worker.id());
        Thread.currentThread().join(); // until the parent closes this process
    }
}

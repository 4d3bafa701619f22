package dev.drover.conformance.child;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Monitor;
import dev.drover.api.worker.Worker;

import java.time.Duration;

/**
 * A service as an application would write it: a {@link Monitor} running a worker until SIGTERM. Arguments: URL,
 * queue. The handler prints {@code STARTED <taskId> <text>}; a task whose text is {@code brief} works 300 ms, any
 * other blocks until interrupted. The drain timeout is 1 s, so on SIGTERM the brief task completes and the others
 * are released.
 */
public final class MonitorWorkerMain {
    private MonitorWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: MonitorWorkerMain <url> <queue>");
            System.exit(64);
        }
        ChildSupport.watchParent();
        Drover drover = Drover.open(args[0]);
        TaskQueue<Message> queue = drover.queue(args[1], Message.class);
        Worker<Message> worker = drover.worker(queue, task -> {
                    ChildSupport.say("STARTED " + task.id() + " " + task.payload().text());
                    Thread.sleep("brief".equals(task.payload().text()) ? 300 : Long.MAX_VALUE); // the task's work
                })
                .concurrency(2)
                .drainTimeout(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
        Monitor monitor = Monitor.of(worker).start().stopOnShutdownSignal();
        monitor.awaitTermination();
    }
}

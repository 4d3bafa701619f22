package dev.drover.conformance.child;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;

import java.time.Duration;

/**
 * A real {@link Worker} in its own process whose handler never returns, for the rule that a crashed worker's task
 * is taken over. Arguments: URL, queue, lease in milliseconds. It runs one task at a time; the handler prints
 * {@code STARTED <taskId> <attempt>} and blocks, so the parent can kill the process while the task is RUNNING
 * under this worker's lease.
 */
public final class BlockingWorkerMain {
    private BlockingWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: BlockingWorkerMain <url> <queue> <leaseMillis>");
            System.exit(64);
        }
        ChildSupport.watchParent();
        Drover drover = Drover.open(args[0]);
        TaskQueue<Message> queue = drover.queue(args[1], Message.class);
        Worker<Message> worker = drover.worker(queue, task -> {
                    ChildSupport.say("STARTED " + task.id() + " " + task.attempt());
                    Thread.sleep(Long.MAX_VALUE);
                })
                .concurrency(1)
                .leaseDuration(Duration.ofMillis(Long.parseLong(args[2])))
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .start();
        ChildSupport.say("WORKER " + worker.id());
        Thread.currentThread().join(); // until the parent kills this process
    }
}

package dev.drover.conformance.workflow;

import dev.drover.conformance.child.ChildSupport;

import dev.drover.api.worker.Worker;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.workflow.WorkflowClient;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A workflow worker in its own process, for the crash rules: runs {@link KitWorkflows#crashable} one task at a time,
 * recording side effects in a file, and holds forever at one element of {@code work}, printing
 * {@code HELD work <element> <attempt>}, so the parent can kill it (SIGKILL) in the middle of the run.
 * <p>
 * Arguments: URL, workflow name, side-effect file, the element to hold at, lease in milliseconds, and {@code hidden}
 * to hide the backend's FOLLOW_UPS (or {@code declared}). Exits when its standard input closes (the parent is gone).
 */
public final class WorkflowWorkerMain {

    private WorkflowWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 6) {
            System.err.println("usage: WorkflowWorkerMain <url> <workflow> <sideEffectFile> <holdAtElement> <leaseMillis> hidden|declared");
            System.exit(64);
        }
        ChildSupport.watchParent();
        Backend backend = Backends.open(args[0]);
        if (args[5].equals("hidden")) backend = new FollowUpsHidden(backend);
        int holdAt = Integer.parseInt(args[3]);
        KitWorkflows.Gate hold = (node, element) -> {
            if (node.equals("work") && element == holdAt) {
                ChildSupport.say("HELD work " + element + " " + dev.drover.workflow.StepContext.current().orElseThrow().attempt());
                Thread.sleep(Long.MAX_VALUE);
            }
        };
        WorkflowClient<Integer, String> client = WorkflowClient.of(backend,
                KitWorkflows.crashable(args[1], Ledger.appendingTo(Path.of(args[2])), hold));
        Worker<byte[]> worker = client.worker()
                .concurrency(1)
                .leaseDuration(Duration.ofMillis(Long.parseLong(args[4])))
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .start();
        ChildSupport.say("WORKER " + worker.id());
        Thread.currentThread().join(); // until the parent kills this process
    }
}

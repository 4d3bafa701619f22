package dev.drover.conformance.child;

import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A claimer in its own process, for the rule that a queue's concurrency limit holds across processes. Arguments: URL,
 * queue, batch size, hold in milliseconds. It opens the backend, prints {@code READY}, waits for the parent's {@code GO},
 * then claims batches, holds each batch for the hold time (its "work") and completes it, until 100 claims in a row came
 * back empty (the queue is drained). For every batch it prints {@code HELD <claimReturnedMillis> <settleCalledMillis>
 * <count>} (wall-clock milliseconds, taken after the claim returned and before the settlement
 * was sent, so the interval lies inside the tasks' RUNNING time in the storage). Then {@code END}, exit 0.
 */
public final class LimitedClaimerMain {
    private LimitedClaimerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LimitedClaimerMain <url> <queue> <batch> <holdMillis>");
            System.exit(64);
        }
        ChildSupport support = ChildSupport.watchParent();
        QueueName queue = QueueName.of(args[1]);
        int batch = Integer.parseInt(args[2]);
        long holdMillis = Long.parseLong(args[3]);
        WorkerId me = new WorkerId("kit-limited-claimer-" + ProcessHandle.current().pid());
        int failures = 0;
        int emptyInARow = 0;
        try (Backend backend = Backends.open(args[0])) {
            ChildSupport.say("READY " + me);
            support.awaitGo();
            while (emptyInARow < 100) {
                List<ClaimedTask> got;
                try {
                    got = backend.claim(queue, me, batch, Duration.ofMinutes(5));
                } catch (StorageException e) {
                    if (!e.isTransient() || ++failures > 200) throw e;
                    Thread.sleep(5L * Math.min(failures, 20));
                    continue;
                }
                if (got.isEmpty()) {
                    emptyInARow++;
                    Thread.sleep(10);
                    continue;
                }
                emptyInARow = 0;
                long claimed = System.currentTimeMillis();
                Thread.sleep(holdMillis);
                List<Settlement> done = new ArrayList<>(got.size());
                for (ClaimedTask task : got) done.add(new Settlement.Complete(task.lease(), null));
                long settling = System.currentTimeMillis();
                ChildSupport.say("HELD " + claimed + " " + settling + " " + got.size());
                for (int f = 1; ; f++) {
                    try {
                        backend.settle(done);
                        break;
                    } catch (StorageException e) {
                        if (!e.isTransient() || f > 200) throw e;
                        Thread.sleep(5L * Math.min(f, 20));
                    }
                }
            }
        }
        ChildSupport.say("END");
        System.exit(0);
    }
}
